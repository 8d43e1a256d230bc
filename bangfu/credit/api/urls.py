from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("credit/products", views.ProductViewSet, "credit-product")
router.register("credit/loans", views.LoanViewSet, "credit-loan")

urlpatterns = router.urls
