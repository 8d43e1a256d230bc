from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("standards/verdicts", views.VerdictViewSet, basename="standards-verdict")

urlpatterns = router.urls
router.register(
    "standards/region-verdicts", views.RegionVerdictViewSet, basename="standards-regionverdict"
)
urlpatterns = router.urls
