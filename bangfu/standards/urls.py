from django.urls import path

from . import views

app_name = "standards"
urlpatterns = [
    path("verdicts/", views.VerdictListView.as_view(), name="verdict_list"),
    path("runs/", views.RunListView.as_view(), name="run_list"),
    path("runs/<int:pk>/", views.RunView.as_view(), name="run"),
    path("runs/<int:pk>/csv/", views.RunCsvView.as_view(), name="run_csv"),
    path("gaps/", views.GapListView.as_view(), name="gaps"),
    path("what-if/<int:pk>/", views.WhatIfView.as_view(), name="what_if"),
    path("manage/", views.StandardManageView.as_view(), name="manage"),
    path("manage/new/", views.StandardCreateView.as_view(), name="standard_new"),
    path("manage/item/", views.ItemEditView.as_view(), name="item_edit"),
    path("manage/copy/", views.CopyVersionView.as_view(), name="version_copy"),
    path("thresholds/", views.ThresholdView.as_view(), name="thresholds"),
]
urlpatterns += [
    path("region-verdicts/", views.RegionVerdictListView.as_view(), name="regionverdict_list"),
]
