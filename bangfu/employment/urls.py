from django.urls import path

from . import views

app_name = "employment"
urlpatterns = [
    path("", views.JobListView.as_view(), name="job_list"),
    path("add/", views.JobEditView.as_view(), name="job_add"),
    path("<int:pk>/", views.JobView.as_view(), name="job"),
    path("<int:pk>/edit/", views.JobEditView.as_view(), name="job_edit"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/add/", views.AgreementEditView.as_view(), name="agreement_add"),
    path("agreements/<int:pk>/", views.AgreementView.as_view(), name="agreement"),
    path("agreements/<int:pk>/edit/", views.AgreementEditView.as_view(), name="agreement_edit"),
]
