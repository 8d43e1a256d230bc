from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("standards/verdicts", views.VerdictViewSet, basename="standards-verdict")

urlpatterns = router.urls
