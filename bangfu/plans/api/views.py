"""Plans API: `/api/plans/plans/` and `/api/plans/measures/`, each scoped to the user, filtered
with the list pages' FilterSets, written through `services.plans`. Plans and measures are not
deleted through the API (a measure that will not be done is cancelled: status `cancelled`)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema

from bangfu.core.api.schema import NO_DELETE, object_schema
from bangfu.core.api.viewsets import ScopedModelViewSet
from bangfu.registry.models import Household

from .. import filters
from ..models import Measure, Plan
from ..services.progress import with_progress
from . import serializers


@object_schema("帮扶计划", "帮扶计划列表")
@extend_schema(tags=["plans"])
class PlanViewSet(ScopedModelViewSet):
    queryset = Plan.objects.all()
    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilterSet
    http_method_names = NO_DELETE
    select_related = ("village", "household")

    def get_queryset(self):
        """With the progress figures (`services.progress.with_progress`), in the user's scope."""
        user = self.request.user
        return with_progress(super().get_queryset(), Household.objects.for_user(user))


@object_schema("帮扶措施", "帮扶措施列表")
@extend_schema(tags=["plans"])
class MeasureViewSet(ScopedModelViewSet):
    queryset = Measure.objects.all()
    serializer_class = serializers.MeasureSerializer
    filterset_class = filters.MeasureFilterSet
    http_method_names = NO_DELETE
