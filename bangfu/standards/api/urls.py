from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("standards/verdicts", views.VerdictViewSet, basename="standards-verdict")
router.register(
    "standards/region-verdicts", views.RegionVerdictViewSet, basename="standards-regionverdict"
)
router.register("standards/runs", views.EvaluationRunViewSet, basename="standards-run")

urlpatterns = [
    path("standards/gaps/", views.GapListView.as_view(), name="standards-gaps"),
    *router.urls,
]
