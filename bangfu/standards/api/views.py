"""`/api/standards/verdicts/`: verdicts in the user's scope, read only, with the page's
FilterSet. Inputs (which may include income details) are not exposed; explanations are."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view

from bangfu.core.api.viewsets import ScopedReadOnlyModelViewSet

from .. import filters
from ..models import RegionVerdict, Verdict
from . import serializers


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("评估结果列表")),
    retrieve=extend_schema(summary=gettext_lazy("评估结果")),
)
@extend_schema(tags=["standards"])
class VerdictViewSet(ScopedReadOnlyModelViewSet):
    queryset = Verdict.objects.all()
    serializer_class = serializers.VerdictSerializer
    filterset_class = filters.VerdictFilterSet
    select_related = ("household", "version__standard")


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("村、县评估结果列表")),
    retrieve=extend_schema(summary=gettext_lazy("村、县评估结果")),
)
@extend_schema(tags=["standards"])
class RegionVerdictViewSet(ScopedReadOnlyModelViewSet):
    """`/api/standards/region-verdicts/`: village and county verdicts, read only, with their
    inputs (aggregate numbers, no personal data) and explanations."""

    queryset = RegionVerdict.objects.all()
    serializer_class = serializers.RegionVerdictSerializer
    filterset_class = filters.RegionVerdictFilterSet
    select_related = ("region", "version__standard")
