from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("consumption/purchases", views.PurchaseViewSet, "consumption-purchase")

urlpatterns = router.urls
