from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.RegionListView.as_view(), name="region_list"),
    # village facts (村情) before the region code pattern, which would match their prefix
    path("village-facts/", views.VillageYearListView.as_view(), name="villageyear_list"),
    path("village-facts/add/", views.VillageYearEditView.as_view(), name="villageyear_add"),
    path(
        "village-facts/import/",
        views.VillageFactsImportView.as_view(),
        name="villageyear_import",
    ),
    path("village-facts/<int:pk>/", views.VillageYearView.as_view(), name="villageyear"),
    path(
        "village-facts/<int:pk>/edit/",
        views.VillageYearEditView.as_view(),
        name="villageyear_edit",
    ),
    path(
        "village-facts/<int:pk>/delete/",
        views.VillageYearDeleteView.as_view(),
        name="villageyear_delete",
    ),
    path("<str:code>/", views.RegionView.as_view(), name="region"),
]
