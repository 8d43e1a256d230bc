"""`/api/standards/verdicts/`: verdicts in the user's scope, read only, with the page's
FilterSet. Inputs (which may include income details) are not exposed; explanations are."""

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from bangfu.core.api.viewsets import ScopedListCreateRetrieveViewSet, ScopedReadOnlyModelViewSet

from .. import filters
from ..models import EvaluationRun, RegionVerdict, Verdict
from ..services import gaps, runs
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
    select_related = ("household", "version__standard", "run")


class RunPermission(BasePermission):
    """Reading runs is `standards.view_evaluationrun`; starting one is
    `standards.run_evaluation` (county office, administrators)."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return request.user.has_perm("standards.view_evaluationrun")
        return request.user.has_perm("standards.run_evaluation")


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("评估批次列表")),
    retrieve=extend_schema(summary=gettext_lazy("评估批次（轮询进度）")),
    create=extend_schema(summary=gettext_lazy("发起评估")),
)
@extend_schema(tags=["standards"])
class EvaluationRunViewSet(ScopedListCreateRetrieveViewSet):
    queryset = EvaluationRun.objects.all()
    serializer_class = serializers.EvaluationRunSerializer
    select_related = ("standard", "version", "started_by")
    permission_classes = [IsAuthenticated, RunPermission]

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        try:
            run = runs.start_run(
                request.user, data["standard"], data["year"], data.get("region_id")
            )
        except runs.RunRefused as e:
            raise ValidationError({"region": [str(e)]}) from None
        run.refresh_from_db()
        body = self.get_serializer(run).data
        code = status.HTTP_400_BAD_REQUEST if run.status == run.Status.FAILED else 201
        return Response(body, status=code)


class GapListView(APIView):
    """`/api/standards/gaps/?standard=&year=&region=`: the failing households of the user's
    scope with the least each needs, sorted by closeness to passing (latest verdicts)."""

    queryset = Verdict.objects.all()  # RolePermission: standards.view_verdict

    @extend_schema(
        summary=gettext_lazy("脱贫差距清单"),
        tags=["standards"],
        responses=serializers.HouseholdGapsSerializer(many=True),
    )
    def get(self, request):
        standard = request.query_params.get("standard") or "cn-household"
        region = request.query_params.get("region") or None
        scoped = Verdict.objects.for_user(request.user)
        try:
            year = int(request.query_params.get("year") or 0)
        except ValueError:
            raise ValidationError({"year": [gettext("年度必须是数字")]}) from None
        if not year:
            year = (
                scoped.filter(version__standard__code=standard)
                .order_by("-year")
                .values_list("year", flat=True)
                .first()
            )
        rows, _groups = gaps.work_list(scoped, standard, year, region) if year else ([], {})
        data = serializers.HouseholdGapsSerializer(rows, many=True).data
        return Response({"count": len(rows), "standard": standard, "year": year, "results": data})


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
