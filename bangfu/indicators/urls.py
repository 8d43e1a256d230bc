from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("incidence/", views.IncidenceView.as_view(), name="incidence"),
    path(
        "incidence/households/",
        views.IncidenceHouseholdsView.as_view(),
        name="incidence_households",
    ),
    path("evaluator/", views.EvaluatorView.as_view(), name="evaluator"),
    path(
        "evaluator/households/",
        views.EvaluatorHouseholdsView.as_view(),
        name="evaluator_households",
    ),
]
