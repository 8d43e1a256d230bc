from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("exits/cases", views.ExitCaseViewSet, basename="exits-case")
router.register("exits/steps", views.ExitStepViewSet, basename="exits-step")
router.register("exits/objections", views.ObjectionViewSet, basename="exits-objection")

urlpatterns = router.urls
