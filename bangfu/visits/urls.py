from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("", views.VisitListView.as_view(), name="visit_list"),
    path("add/", views.VisitEditView.as_view(), name="visit_add"),
    path("quick/", views.QuickVisitView.as_view(), name="quick"),
    path("<int:pk>/", views.VisitView.as_view(), name="visit"),
    path("<int:pk>/edit/", views.VisitEditView.as_view(), name="visit_edit"),
    path("<int:pk>/follow-ups/add/", views.FollowUpAddView.as_view(), name="follow_up_add"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow_up_list"),
    path("follow-ups/<int:pk>/done/", views.FollowUpDoneView.as_view(), name="follow_up_done"),
]
