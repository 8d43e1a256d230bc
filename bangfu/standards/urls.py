from django.urls import path

from . import views

app_name = "standards"
urlpatterns = [
    path("verdicts/", views.VerdictListView.as_view(), name="verdict_list"),
]
urlpatterns += [
    path("region-verdicts/", views.RegionVerdictListView.as_view(), name="regionverdict_list"),
]
