"""Cooperatives API, scoped to the user; filters are the list pages' FilterSets."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from bangfu.core.api.viewsets import ScopedModelViewSet, ScopedQuerysetMixin

from .. import filters
from ..models import Cooperative, CooperativeYear, Dividend, Membership, PurchaseContract
from . import serializers


@extend_schema(tags=["cooperatives"])
class CooperativeViewSet(ScopedModelViewSet):
    queryset = Cooperative.objects.all()
    serializer_class = serializers.CooperativeSerializer
    filterset_class = filters.CooperativeFilterSet


@extend_schema(tags=["cooperatives"])
class MembershipViewSet(ScopedModelViewSet):
    queryset = Membership.objects.all()
    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilterSet
    select_related = ("household",)


@extend_schema(tags=["cooperatives"])
class ContractViewSet(ScopedModelViewSet):
    queryset = PurchaseContract.objects.all()
    serializer_class = serializers.ContractSerializer
    filterset_class = filters.ContractFilterSet


@extend_schema(tags=["cooperatives"])
class YearViewSet(ScopedModelViewSet):
    queryset = CooperativeYear.objects.all()
    serializer_class = serializers.YearSerializer
    filterset_class = filters.YearFilterSet


@extend_schema(tags=["cooperatives"])
class DividendViewSet(ScopedModelViewSet):
    queryset = Dividend.objects.all()
    serializer_class = serializers.DividendSerializer
    filterset_class = filters.DividendFilterSet


@extend_schema(
    tags=["cooperatives"],
    summary=gettext_lazy("产业覆盖率"),
    parameters=[
        OpenApiParameter("region", str, description="区划代码前缀"),
        OpenApiParameter("level", str, enum=["county", "township", "village"]),
    ],
    responses=serializers.CoverageSerializer,
)
class IndustryCoverageView(ScopedQuerysetMixin, APIView):
    """产业覆盖率 per region in the user's scope (the same figures as the page)."""

    queryset = Cooperative.objects.all()  # the permission: cooperatives.view_cooperative

    def get(self, request):
        from ..views import coverage_report

        data = coverage_report(request.user, request.query_params)
        return Response(serializers.CoverageSerializer(data).data)
