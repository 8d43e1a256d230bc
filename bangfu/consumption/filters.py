"""One filter definition for the purchase list, the API and the unit figures' links."""

import django_filters
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.filters import unit_tree_filter
from bangfu.core.filters import region_prefix

from .models import Purchase


class PurchaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="product", lookup_expr="contains")
    unit = django_filters.NumberFilter(label=_("帮扶单位（含后盾单位）"), method="filter_unit")
    cooperative = django_filters.NumberFilter(label=_("销售合作社"), field_name="cooperative_id")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    start = django_filters.DateFilter(label=_("起始日期"), field_name="date", lookup_expr="gte")
    end = django_filters.DateFilter(label=_("截止日期"), field_name="date", lookup_expr="lte")

    class Meta:
        model = Purchase
        fields = ["q", "unit", "cooperative", "region", "start", "end"]

    filter_unit = unit_tree_filter("unit")

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "village", value)
