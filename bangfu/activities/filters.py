"""One filter definition for the activity list page, the API and the unit page's links."""

import django_filters
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.filters import unit_tree_filter
from bangfu.core.filters import region_prefix

from .choices import ActivityKind
from .models import Activity


class ActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="title", lookup_expr="contains")
    kind = django_filters.ChoiceFilter(label=_("活动类型"), choices=ActivityKind.choices)
    unit = django_filters.NumberFilter(label=_("帮扶单位（含后盾单位）"), method="filter_unit")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    cadre = django_filters.NumberFilter(label=_("负责干部"), field_name="cadre_id")
    start = django_filters.DateFilter(label=_("起始日期"), field_name="date", lookup_expr="gte")
    end = django_filters.DateFilter(label=_("截止日期"), field_name="date", lookup_expr="lte")

    class Meta:
        model = Activity
        fields = ["q", "kind", "unit", "region", "cadre", "start", "end"]

    filter_unit = unit_tree_filter("unit")

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "region", value)
