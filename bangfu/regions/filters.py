import django_filters
from django.utils.translation import gettext_lazy as _

from bangfu.core.filters import region_prefix

from .choices import Level
from .models import Region, VillageYear


class RegionFilterSet(django_filters.FilterSet):
    parent = django_filters.CharFilter(label=_("上级区划代码"), field_name="parent_id")
    level = django_filters.ChoiceFilter(label=_("级别"), choices=Level.choices)
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q")

    class Meta:
        model = Region
        fields = ["parent", "level", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__contains=value) | queryset.filter(code__startswith=value)


class VillageYearFilterSet(django_filters.FilterSet):
    """One filter for the village facts list, the API and the import's page."""

    region = django_filters.CharFilter(
        label=_("区划代码"), method="filter_region", help_text=_("该区域及其下级")
    )
    year = django_filters.NumberFilter(label=_("年度"), field_name="year")

    class Meta:
        model = VillageYear
        fields = ["region", "year"]

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "region", value)
