from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("funds/sources", views.FundSourceViewSet, basename="funds-source")
router.register("funds/donations", views.DonationViewSet, basename="funds-donation")
router.register("funds/pools", views.FundPoolViewSet, basename="funds-pool")
router.register("funds/pool-entries", views.PoolEntryViewSet, basename="funds-pool-entry")
router.register("funds/allocations", views.AllocationViewSet, basename="funds-allocation")
router.register("funds/projects", views.ProjectViewSet, basename="funds-project")
router.register(
    "funds/project-outputs", views.ProjectOutputViewSet, basename="funds-project-output"
)

urlpatterns = router.urls
