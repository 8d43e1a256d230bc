from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("visits/visits", views.VisitViewSet, basename="visits-visit")
router.register("visits/follow-ups", views.FollowUpViewSet, basename="visits-follow-up")

urlpatterns = router.urls
