from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("households", views.HouseholdViewSet, basename="household")
router.register("members", views.MemberViewSet, basename="member")
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("status-changes", views.StatusChangeViewSet, basename="statuschange")

urlpatterns = router.urls
