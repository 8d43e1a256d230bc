from django.urls import path

from . import views

app_name = "assistance"
urlpatterns = [
    path("", views.UnitListView.as_view(), name="unit_list"),
    path("units/add/", views.UnitEditView.as_view(), name="unit_add"),
    path("units/<int:pk>/", views.UnitView.as_view(), name="unit"),
    path("units/<int:pk>/edit/", views.UnitEditView.as_view(), name="unit_edit"),
    path("assignments/", views.AssignmentListView.as_view(), name="assignment_list"),
    path("assignments/add/", views.AssignmentAddView.as_view(), name="assignment_add"),
    path("assignments/<int:pk>/end/", views.AssignmentEndView.as_view(), name="assignment_end"),
    path("cadres/", views.CadreListView.as_view(), name="cadre_list"),
    path("cadres/add/", views.CadreEditView.as_view(), name="cadre_add"),
    path("cadres/<int:pk>/", views.CadreView.as_view(), name="cadre"),
    path("cadres/<int:pk>/edit/", views.CadreEditView.as_view(), name="cadre_edit"),
    path("cadres/<int:pk>/delete/", views.CadreDeleteView.as_view(), name="cadre_delete"),
    path("postings/", views.PostingListView.as_view(), name="posting_list"),
    path("postings/add/", views.PostingAddView.as_view(), name="posting_add"),
    path("postings/<int:pk>/end/", views.PostingEndView.as_view(), name="posting_end"),
    path("pairings/", views.PairingListView.as_view(), name="pairing_list"),
    path("pairings/add/", views.PairingAddView.as_view(), name="pairing_add"),
    path("pairings/<int:pk>/end/", views.PairingEndView.as_view(), name="pairing_end"),
    path("zones/", views.ZoneListView.as_view(), name="zone_list"),
    path("zones/add/", views.ZoneEditView.as_view(), name="zone_add"),
    path("zones/<int:pk>/", views.ZoneView.as_view(), name="zone"),
    path("zones/<int:pk>/edit/", views.ZoneEditView.as_view(), name="zone_edit"),
    path("zones/<int:pk>/villages/", views.ZoneVillagesView.as_view(), name="zone_villages"),
    path("responsibilities/", views.ResponsibilityListView.as_view(), name="responsibility_list"),
    path(
        "responsibilities/add/",
        views.ResponsibilityAddView.as_view(),
        name="responsibility_add",
    ),
    path(
        "responsibilities/<int:pk>/end/",
        views.ResponsibilityEndView.as_view(),
        name="responsibility_end",
    ),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
]
