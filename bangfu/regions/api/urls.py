from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("village-facts", views.VillageYearViewSet, basename="regions-villageyear")

urlpatterns = [
    *router.urls,
]
