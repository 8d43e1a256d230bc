from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("add/", views.PlanEditView.as_view(), name="plan_add"),
    path("<int:pk>/", views.PlanView.as_view(), name="plan"),
    path("<int:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("<int:pk>/measures/add/", views.MeasureAddView.as_view(), name="measure_add"),
    path("measures/", views.MeasureListView.as_view(), name="measure_list"),
    path("measures/<int:pk>/", views.MeasureView.as_view(), name="measure"),
    path("measures/<int:pk>/edit/", views.MeasureEditView.as_view(), name="measure_edit"),
    path(
        "measures/<int:pk>/complete/", views.MeasureCompleteView.as_view(), name="measure_complete"
    ),
]
