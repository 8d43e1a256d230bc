from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("assistance/units", views.UnitViewSet, basename="assistance-unit")
router.register("assistance/assignments", views.AssignmentViewSet, basename="assistance-assignment")
router.register("assistance/cadres", views.CadreViewSet, basename="assistance-cadre")
router.register("assistance/postings", views.PostingViewSet, basename="assistance-posting")
router.register("assistance/pairings", views.PairingViewSet, basename="assistance-pairing")
router.register(
    "assistance/responsibilities",
    views.ResponsibilityViewSet,
    basename="assistance-responsibility",
)
router.register("assistance/zones", views.ZoneViewSet, basename="assistance-zone")

urlpatterns = router.urls
