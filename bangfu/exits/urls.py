from django.urls import path

from . import views

app_name = "exits"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("add/", views.CaseAddView.as_view(), name="case_add"),
    path("<int:pk>/", views.CaseView.as_view(), name="case"),
    path("<int:pk>/steps/add/", views.StepRecordView.as_view(), name="step_add"),
    path("steps/<int:pk>/", views.StepView.as_view(), name="step"),
    path("<int:pk>/notice-days/", views.NoticeDaysView.as_view(), name="notice_days"),
    path("<int:pk>/objections/add/", views.ObjectionAddView.as_view(), name="objection_add"),
    path(
        "objections/<int:pk>/resolve/",
        views.ObjectionResolveView.as_view(),
        name="objection_resolve",
    ),
    path("regions/<str:code>/section/", views.RegionSectionView.as_view(), name="region_section"),
    path("villages/<str:code>/notice/", views.NoticeView.as_view(), name="notice"),
    path(
        "villages/<str:code>/announcement/", views.AnnouncementView.as_view(), name="announcement"
    ),
]
