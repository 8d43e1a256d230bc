"""One filter definition per list: the page, the API and the figures' links use the same."""

import django_filters
from django.db.models import Q
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
    unit = django_filters.NumberFilter(label=_("帮扶单位（含后盾单位）"), method="filter_unit")
    filter_region = region_prefix_method("cooperative__village")
    filter_unit = unit_tree_filter("cooperative__unit")


# A registered poor member: a household of the registry that is not 非贫困户 (the figures'
# “建档立卡户社员”; everyone else — non-registered people and non-poor households — is “其他社员”).
# `Membership.poor` is that fact copied from the household (bangfu/registry/copies.py).
POOR_MEMBER = Q(poor=True)


class MembershipFilterSet(_PartFilterSet):
    household = django_filters.NumberFilter(label=_("建档立卡户"), field_name="household_id")
    poor = django_filters.BooleanFilter(label=_("建档立卡户社员"), method="filter_poor")
    start = django_filters.DateFilter(label=_("起始日期"), method="filter_start")
    end = django_filters.DateFilter(label=_("截止日期"), method="filter_end")

    class Meta:
        model = Membership
        fields = ["cooperative", "household", "region", "unit", "poor", "start", "end"]

    def filter_poor(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(POOR_MEMBER) if value else queryset.exclude(POOR_MEMBER)

    def filter_start(self, queryset, name, value):
        """Members still in the cooperative on or after `value` (not left before it)."""
        return queryset.filter(Q(left__isnull=True) | Q(left__gte=value))

    def filter_end(self, queryset, name, value):
        """Members who joined on or before `value`."""
        return queryset.filter(joined__lte=value)


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

    start = django_filters.DateFilter(
        label=_("起始日期"), method="filter_start", help_text=_("按分红年度")
    )
    end = django_filters.DateFilter(label=_("截止日期"), method="filter_end")

    class Meta:
        model = Dividend
        fields = ["cooperative", "year", "household", "region", "unit", "start", "end"]

    def filter_start(self, queryset, name, value):
        """Dividends of the years the period touches (as the figures count them)."""
        return queryset.filter(year__gte=value.year)

    def filter_end(self, queryset, name, value):
        return queryset.filter(year__lte=value.year)
