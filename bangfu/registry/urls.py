from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("households/", views.HouseholdListView.as_view(), name="household_list"),
    path("households/add/", views.HouseholdEditView.as_view(), name="household_add"),
    path("households/<int:pk>/", views.HouseholdView.as_view(), name="household"),
    path("households/<int:pk>/edit/", views.HouseholdEditView.as_view(), name="household_edit"),
    path("households/<int:pk>/status/", views.StatusChangeView.as_view(), name="status_change"),
    path("households/<int:pk>/members/add/", views.MemberAddView.as_view(), name="member_add"),
    path("households/<int:pk>/surveys/add/", views.SurveyAddView.as_view(), name="survey_add"),
    path("members/<int:pk>/edit/", views.MemberEditView.as_view(), name="member_edit"),
    path("members/<int:pk>/delete/", views.MemberDeleteView.as_view(), name="member_delete"),
    path("surveys/<int:pk>/edit/", views.SurveyEditView.as_view(), name="survey_edit"),
]
