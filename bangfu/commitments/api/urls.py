from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("commitments/commitments", views.CommitmentViewSet, "commitments-commitment")
router.register("commitments/payments", views.PaymentViewSet, "commitments-payment")

urlpatterns = router.urls
