"""One FilterSet per model for the visit pages, the API and the unit page's links
(`?unit=…&start=…&end=…`)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.filters import unit_tree_filter
from bangfu.core.filters import region_prefix

from .choices import FollowUpStatus, Purpose
from .models import FollowUp, Visit


class VisitFilterSet(django_filters.FilterSet):
    cadre = django_filters.NumberFilter(label=_("走访干部"), field_name="cadre_id")
    unit = django_filters.NumberFilter(label=_("帮扶单位"), method="filter_unit")
    household = django_filters.NumberFilter(label=_("走访户"), field_name="household_id")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    purpose = django_filters.ChoiceFilter(label=_("走访事由"), choices=Purpose.choices)
    start = django_filters.DateFilter(label=_("开始日期"), field_name="date", lookup_expr="gte")
    end = django_filters.DateFilter(label=_("结束日期"), field_name="date", lookup_expr="lte")

    class Meta:
        model = Visit
        fields = ["cadre", "unit", "household", "region", "purpose", "start", "end"]

    filter_unit = unit_tree_filter("cadre__unit")

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "region", value)


class FollowUpFilterSet(django_filters.FilterSet):
    cadre = django_filters.NumberFilter(label=_("走访干部"), field_name="visit__cadre_id")
    unit = django_filters.NumberFilter(label=_("帮扶单位"), method="filter_unit")
    household = django_filters.NumberFilter(label=_("走访户"), field_name="visit__household_id")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=FollowUpStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="filter_overdue")
    start = django_filters.DateFilter(
        label=_("走访开始日期"), field_name="visit__date", lookup_expr="gte"
    )
    end = django_filters.DateFilter(
        label=_("走访结束日期"), field_name="visit__date", lookup_expr="lte"
    )

    class Meta:
        model = FollowUp
        fields = ["cadre", "unit", "household", "region", "status", "overdue", "start", "end"]

    filter_unit = unit_tree_filter("visit__cadre__unit")

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "visit__region", value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = {"status": FollowUpStatus.OPEN, "due_date__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)
