from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.RegionListView.as_view(), name="region_list"),
    path("<str:code>/", views.RegionView.as_view(), name="region"),
]
