"""The verdicts' FilterSet, shared by the list page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from bangfu.core.filters import region_prefix

from .models import RegionVerdict, Standard, Verdict

YES_NO = [("1", _("是")), ("0", _("否"))]


class VerdictFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    standard = django_filters.ModelChoiceFilter(
        label=_("退出标准"),
        field_name="version__standard",
        queryset=Standard.objects.all(),
        to_field_name="code",
    )
    year = django_filters.NumberFilter(label=_("年度"), field_name="year")
    passed = django_filters.ChoiceFilter(
        label=_("是否达标"), choices=YES_NO, method="filter_passed"
    )
    household = django_filters.NumberFilter(label=_("贫困户"), field_name="household_id")
    run = django_filters.NumberFilter(label=_("评估批次"), field_name="run_id")

    class Meta:
        model = Verdict
        fields = ["region", "standard", "year", "passed", "household", "run"]

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "region", value)

    def filter_passed(self, queryset, name, value):
        return queryset.filter(passed=value == "1")


class RegionVerdictFilterSet(django_filters.FilterSet):
    """Village and county verdicts: the list page and the API."""

    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    standard = django_filters.ModelChoiceFilter(
        label=_("退出标准"),
        field_name="version__standard",
        queryset=Standard.objects.exclude(subject="household"),
        to_field_name="code",
    )
    year = django_filters.NumberFilter(label=_("年度"), field_name="year")
    passed = django_filters.ChoiceFilter(
        label=_("是否达标"), choices=YES_NO, method="filter_passed"
    )
    run = django_filters.NumberFilter(label=_("评估批次"), field_name="run_id")

    class Meta:
        model = RegionVerdict
        fields = ["region", "standard", "year", "passed", "run"]

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "region", value)

    def filter_passed(self, queryset, name, value):
        return queryset.filter(passed=value == "1")
