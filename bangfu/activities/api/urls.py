from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("activities/activities", views.ActivityViewSet, basename="activities-activity")

urlpatterns = router.urls
