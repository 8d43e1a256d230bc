from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("employment/agreements", views.AgreementViewSet, "employment-agreement")
router.register("employment/jobs", views.JobViewSet, "employment-job")

urlpatterns = router.urls
