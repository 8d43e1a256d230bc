from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("cooperatives/cooperatives", views.CooperativeViewSet, "cooperatives-cooperative")
router.register("cooperatives/members", views.MembershipViewSet, "cooperatives-membership")
router.register("cooperatives/contracts", views.ContractViewSet, "cooperatives-contract")
router.register("cooperatives/years", views.YearViewSet, "cooperatives-year")
router.register("cooperatives/dividends", views.DividendViewSet, "cooperatives-dividend")

urlpatterns = [
    path(
        "cooperatives/coverage/", views.IndustryCoverageView.as_view(), name="cooperatives-coverage"
    ),
    *router.urls,
]
