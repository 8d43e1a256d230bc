from django.urls import path

from . import views

urlpatterns = [
    path(
        "indicators/incidence/",
        views.IncidenceAPIView.as_view(),
        name="indicators-incidence",
    ),
    path(
        "indicators/evaluator/",
        views.EvaluatorAPIView.as_view(),
        name="indicators-evaluator",
    ),
]
