"""Funds API: sources, donations, pools, pool entries, allocations and projects, each scoped
to the user and filtered with the pages' FilterSets; writes go through the services. Money
records are kept: no DELETE, and allocations and pool entries are never edited."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view

from bangfu.core.api.viewsets import ScopedModelViewSet

from .. import filters
from ..models import Allocation, Donation, FundPool, FundSource, PoolEntry, Project, ProjectOutput
from ..views import received_expression
from . import serializers

NO_DELETE = ["get", "post", "put", "patch", "head", "options"]
APPEND_ONLY = ["get", "post", "head", "options"]


def _schema(one: str, many: str):
    return extend_schema_view(
        list=extend_schema(summary=gettext_lazy(many)),
        retrieve=extend_schema(summary=gettext_lazy(one)),
        create=extend_schema(summary=gettext_lazy(one)),
        update=extend_schema(summary=gettext_lazy(one)),
        partial_update=extend_schema(summary=gettext_lazy(one)),
    )


@_schema("资金来源", "资金来源列表")
@extend_schema(tags=["funds"])
class FundSourceViewSet(ScopedModelViewSet):
    queryset = FundSource.objects.all()
    serializer_class = serializers.FundSourceSerializer
    filterset_class = filters.FundSourceFilterSet
    http_method_names = NO_DELETE
    select_related = ("region", "unit")


@_schema("社会捐赠", "社会捐赠列表")
@extend_schema(tags=["funds"])
class DonationViewSet(ScopedModelViewSet):
    queryset = Donation.objects.all()
    serializer_class = serializers.DonationSerializer
    filterset_class = filters.DonationFilterSet
    http_method_names = NO_DELETE
    select_related = ("region", "unit", "source")


@_schema("资金池", "资金池列表")
@extend_schema(tags=["funds"])
class FundPoolViewSet(ScopedModelViewSet):
    queryset = FundPool.objects.all()
    serializer_class = serializers.FundPoolSerializer
    filterset_class = filters.FundPoolFilterSet
    http_method_names = NO_DELETE


@_schema("资金池收支", "资金池收支列表")
@extend_schema(tags=["funds"])
class PoolEntryViewSet(ScopedModelViewSet):
    queryset = PoolEntry.objects.all()
    serializer_class = serializers.PoolEntrySerializer
    filterset_fields = ["pool", "direction", "source"]
    http_method_names = APPEND_ONLY


@_schema("资金拨付", "资金拨付列表")
@extend_schema(tags=["funds"])
class AllocationViewSet(ScopedModelViewSet):
    queryset = Allocation.objects.all()
    serializer_class = serializers.AllocationSerializer
    filterset_class = filters.AllocationFilterSet
    http_method_names = APPEND_ONLY


@_schema("扶贫项目", "扶贫项目列表")
@extend_schema(tags=["funds"])
class ProjectViewSet(ScopedModelViewSet):
    queryset = Project.objects.all()
    serializer_class = serializers.ProjectSerializer
    filterset_class = filters.ProjectFilterSet
    http_method_names = NO_DELETE

    def get_queryset(self):
        return super().get_queryset().annotate(received=received_expression())


@_schema("项目产出", "项目产出列表")
@extend_schema(tags=["funds"])
class ProjectOutputViewSet(ScopedModelViewSet):
    queryset = ProjectOutput.objects.all()
    serializer_class = serializers.ProjectOutputSerializer
    filterset_fields = ["project"]
    http_method_names = APPEND_ONLY
