from django.db.models import Count
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from bangfu.core.api.viewsets import ScopedModelViewSet

from ..filters import RegionFilterSet, VillageYearFilterSet
from ..models import Region, VillageYear
from .serializers import RegionChildSerializer, RegionSerializer, VillageYearSerializer

CODE = OpenApiParameter(
    "code", OpenApiTypes.STR, OpenApiParameter.PATH, description=gettext_lazy("区划代码")
)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("行政区划列表")),
    retrieve=extend_schema(summary=gettext_lazy("行政区划详情"), parameters=[CODE]),
    create=extend_schema(summary=gettext_lazy("新增行政区划（系统管理员）")),
    update=extend_schema(summary=gettext_lazy("修改行政区划（系统管理员）"), parameters=[CODE]),
    partial_update=extend_schema(
        summary=gettext_lazy("部分修改行政区划（系统管理员）"), parameters=[CODE]
    ),
    destroy=extend_schema(summary=gettext_lazy("删除行政区划（系统管理员）"), parameters=[CODE]),
)
@extend_schema(tags=["regions"])
class RegionViewSet(ScopedModelViewSet):
    """The administrative tree within the user's area. Everyone may read it; only roles with
    `regions.add_region` / `change_region` / `delete_region` (administrators) may write."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    lookup_field = "code"
    lookup_value_regex = r"\d{2,15}"

    def get_queryset(self):
        return super().get_queryset().annotate(children_count=Count("children"))

    @extend_schema(
        summary=gettext_lazy("下级区划及其贫困户数"),
        parameters=[CODE],
        responses=RegionChildSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def children(self, request, code=None):
        """The region's children in the user's scope, with the households under each (one
        GROUP BY on the code prefix)."""
        from bangfu.registry.models import Household

        region = self.get_object()
        children = Region.objects.for_user(request.user).filter(parent=region).order_by("code")
        counts = region.child_counts(Household.objects.for_user(request.user))
        rows = [
            {
                "code": child.code,
                "name": child.name,
                "level": child.level,
                "households": counts.get(child.code, 0),
            }
            for child in children
        ]
        return Response(RegionChildSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("村情列表")),
    retrieve=extend_schema(summary=gettext_lazy("村情")),
    create=extend_schema(summary=gettext_lazy("新增村情")),
    update=extend_schema(summary=gettext_lazy("修改村情")),
    partial_update=extend_schema(summary=gettext_lazy("修改村情")),
    destroy=extend_schema(summary=gettext_lazy("删除村情")),
)
@extend_schema(tags=["regions"])
class VillageYearViewSet(ScopedModelViewSet):
    """`/api/village-facts/`: village facts in the user's scope, filtered as the list page."""

    queryset = VillageYear.objects.all()
    serializer_class = VillageYearSerializer
    filterset_class = VillageYearFilterSet
    select_related = ("region",)
