"""Visits API: visits and follow-ups, each scoped to the user, filtered with the pages'
FilterSets; writes go through `services.visits`. Visits and follow-ups are kept (no DELETE)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view

from bangfu.core.api.viewsets import ScopedModelViewSet

from .. import filters
from ..models import FollowUp, Visit
from . import serializers

NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


def _schema(one: str, many: str):
    return extend_schema_view(
        list=extend_schema(summary=gettext_lazy(many)),
        retrieve=extend_schema(summary=gettext_lazy(one)),
        create=extend_schema(summary=gettext_lazy(one)),
        update=extend_schema(summary=gettext_lazy(one)),
        partial_update=extend_schema(summary=gettext_lazy(one)),
    )


@_schema("走访", "走访列表")
@extend_schema(tags=["visits"])
class VisitViewSet(ScopedModelViewSet):
    queryset = Visit.objects.all()
    serializer_class = serializers.VisitSerializer
    filterset_class = filters.VisitFilterSet
    http_method_names = NO_DELETE
    select_related = ("cadre", "household", "region")


@_schema("走访待办", "走访待办列表")
@extend_schema(tags=["visits"])
class FollowUpViewSet(ScopedModelViewSet):
    queryset = FollowUp.objects.all()
    serializer_class = serializers.FollowUpSerializer
    filterset_class = filters.FollowUpFilterSet
    http_method_names = NO_DELETE
    select_related = ("visit", "owner")
