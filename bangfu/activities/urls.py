from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity_list"),
    path("add/", views.ActivityEditView.as_view(), name="activity_add"),
    path("<int:pk>/", views.ActivityView.as_view(), name="activity"),
    path("<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity_edit"),
]
