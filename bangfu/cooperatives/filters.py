"""One filter definition per list: the page, the API and the figures' links use the same."""

import django_filters
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.filters import unit_tree_filter
from bangfu.core.filters import region_prefix_method

from .choices import Industry
from .models import Cooperative, CooperativeYear, Dividend, Membership, PurchaseContract


class CooperativeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="name", lookup_expr="contains")
    industry = django_filters.ChoiceFilter(label=_("产业"), choices=Industry.choices)
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    unit = django_filters.NumberFilter(label=_("帮扶单位（含后盾单位）"), method="filter_unit")

    class Meta:
        model = Cooperative
        fields = ["q", "industry", "region", "unit"]

    filter_region = region_prefix_method("village")
    filter_unit = unit_tree_filter("unit")


class _PartFilterSet(django_filters.FilterSet):
    cooperative = django_filters.NumberFilter(label=_("合作社"), field_name="cooperative_id")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    filter_region = region_prefix_method("cooperative__village")


class MembershipFilterSet(_PartFilterSet):
    household = django_filters.NumberFilter(label=_("建档立卡户"), field_name="household_id")

    class Meta:
        model = Membership
        fields = ["cooperative", "household", "region"]


class ContractFilterSet(_PartFilterSet):
    class Meta:
        model = PurchaseContract
        fields = ["cooperative", "region"]


class YearFilterSet(_PartFilterSet):
    year = django_filters.NumberFilter(label=_("年度"))

    class Meta:
        model = CooperativeYear
        fields = ["cooperative", "year", "region"]


class DividendFilterSet(_PartFilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    household = django_filters.NumberFilter(
        label=_("建档立卡户"), field_name="membership__household_id"
    )

    class Meta:
        model = Dividend
        fields = ["cooperative", "year", "household", "region"]
