from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("plans/plans", views.PlanViewSet, basename="plans-plan")
router.register("plans/measures", views.MeasureViewSet, basename="plans-measure")

urlpatterns = router.urls
