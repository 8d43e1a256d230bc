"""Cooperatives API, scoped to the user; filters are the list pages' FilterSets."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema

from bangfu.core.api.viewsets import ScopedModelViewSet

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
