"""Visits API: visits and follow-ups, each scoped to the user, filtered with the pages'
FilterSets; writes go through `services.visits`. Visits and follow-ups are kept (no DELETE)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema

from bangfu.core.api.schema import NO_DELETE, object_schema
from bangfu.core.api.viewsets import ScopedModelViewSet

from .. import filters
from ..models import FollowUp, Visit
from . import serializers


@object_schema("走访", "走访列表")
@extend_schema(tags=["visits"])
class VisitViewSet(ScopedModelViewSet):
    queryset = Visit.objects.all()
    serializer_class = serializers.VisitSerializer
    filterset_class = filters.VisitFilterSet
    http_method_names = NO_DELETE
    select_related = ("cadre", "household", "region")


@object_schema("走访待办", "走访待办列表")
@extend_schema(tags=["visits"])
class FollowUpViewSet(ScopedModelViewSet):
    queryset = FollowUp.objects.all()
    serializer_class = serializers.FollowUpSerializer
    filterset_class = filters.FollowUpFilterSet
    http_method_names = NO_DELETE
    select_related = ("visit", "owner")
