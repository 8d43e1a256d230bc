"""One filter definition per list: the page, the API and the figures' links use the same."""

import django_filters
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.filters import unit_tree_filter
from bangfu.core.filters import region_prefix

from .choices import JobKind
from .models import Job, LabourAgreement


class AgreementFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="company", lookup_expr="contains")
    unit = django_filters.NumberFilter(label=_("帮扶单位（含后盾单位）"), method="filter_unit")
    start = django_filters.DateFilter(
        label=_("起始日期"), field_name="start_date", lookup_expr="gte"
    )

    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")

    class Meta:
        model = LabourAgreement
        fields = ["q", "unit", "start", "region"]

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "region", value)

    filter_unit = unit_tree_filter("unit")


class JobFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("就业方式"), choices=JobKind.choices)
    year = django_filters.NumberFilter(label=_("年度"))
    household = django_filters.NumberFilter(
        label=_("建档立卡户"), field_name="member__household_id"
    )
    agreement = django_filters.NumberFilter(label=_("劳务输出协议"), field_name="agreement_id")
    unit = django_filters.NumberFilter(label=_("帮扶单位（含后盾单位）"), method="filter_unit")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    # The figures' period: a job counts in the years its period touches (jobs are per year).
    start = django_filters.DateFilter(label=_("起始日期"), method="filter_start")
    end = django_filters.DateFilter(label=_("截止日期"), method="filter_end")

    class Meta:
        model = Job
        fields = ["kind", "year", "household", "agreement", "unit", "region", "start", "end"]

    def filter_start(self, queryset, name, value):
        return queryset.filter(year__gte=value.year)

    def filter_end(self, queryset, name, value):
        return queryset.filter(year__lte=value.year)

    filter_unit = unit_tree_filter("agreement__unit")

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "region", value)  # the household's, copied
