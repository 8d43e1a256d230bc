"""Activities API, scoped to the user; filters are `activities.filters.ActivityFilterSet`, the
same the list page uses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view

from bangfu.core.api.viewsets import ScopedModelViewSet

from .. import filters
from ..models import Activity
from . import serializers


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("会议与活动列表")),
    retrieve=extend_schema(summary=gettext_lazy("活动")),
    create=extend_schema(summary=gettext_lazy("活动")),
    update=extend_schema(summary=gettext_lazy("活动")),
    partial_update=extend_schema(summary=gettext_lazy("活动")),
    destroy=extend_schema(summary=gettext_lazy("活动")),
)
@extend_schema(tags=["activities"])
class ActivityViewSet(ScopedModelViewSet):
    queryset = Activity.objects.all()
    serializer_class = serializers.ActivitySerializer
    filterset_class = filters.ActivityFilterSet
