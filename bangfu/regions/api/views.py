from django.db.models import Count
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from bangfu.core.api.viewsets import ScopedModelViewSet

from ..filters import RegionFilterSet
from ..models import Region
from .serializers import RegionSerializer

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
