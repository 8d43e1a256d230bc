"""One FilterSet per model, shared by the list pages, the API and the unit page's figure links.

Periods are inclusive. A plan is "in the period" when its own period overlaps it; a measure
when it is due or was completed in it (`measure_period_q`). `unit` means the unit and its backing
units (`plan_unit_q`, `measure_unit_q`), as on the unit page.
"""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.models import Unit
from bangfu.core.filters import region_prefix

from .choices import OPEN_MEASURE_STATUSES, MeasureKind, MeasureStatus, PlanKind, PlanStatus
from .models import Measure, Plan

YES_NO = [("1", _("是")), ("0", _("否"))]


def plan_unit_q(unit_ids, prefix: str = "") -> Q:
    """Plans of the units `unit_ids` (a queryset of ids): the responsible unit, or the author's."""
    return Q(**{f"{prefix}unit__in": unit_ids}) | Q(**{f"{prefix}author__unit__in": unit_ids})


def measure_unit_q(unit_ids) -> Q:
    """Measures of the units: of a plan of theirs, or owned by the unit or one of its cadres."""
    return (
        plan_unit_q(unit_ids, "plan__") | Q(owner__unit__in=unit_ids) | Q(owner_unit__in=unit_ids)
    )


def plan_period_q(start: datetime.date | None, end: datetime.date | None) -> Q:
    q = Q()
    if start:
        q &= Q(end_date__gte=start)
    if end:
        q &= Q(start_date__lte=end)
    return q


def measure_period_q(start: datetime.date | None, end: datetime.date | None) -> Q:
    """Due in the period, or completed in it."""
    if not start and not end:
        return Q()
    due, done = Q(), Q(done_date__isnull=False)
    if start:
        due &= Q(due_date__gte=start)
        done &= Q(done_date__gte=start)
    if end:
        due &= Q(due_date__lte=end)
        done &= Q(done_date__lte=end)
    return due | done


def overdue_q(today: datetime.date | None = None) -> Q:
    """Due before today and neither completed nor cancelled."""
    today = today or timezone.localdate()
    # A positive IN over the open statuses, so the (status, due_date) index serves it.
    return Q(status__in=OPEN_MEASURE_STATUSES, due_date__lt=today)


def unit_subtree_ids(pk):
    unit = Unit.objects.filter(pk=pk).only("path").first()
    if unit is None:
        return Unit.objects.none().values("pk")
    return Unit.objects.filter(path__startswith=unit.path).values("pk")


class PeriodMixin:
    def _period(self):
        data = self.form.cleaned_data
        return data.get("start"), data.get("end")


class PlanFilterSet(PeriodMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="title", lookup_expr="contains")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    village = django_filters.CharFilter(label=_("村"), field_name="village_id")
    household = django_filters.NumberFilter(label=_("帮扶户"), field_name="household_id")
    kind = django_filters.ChoiceFilter(
        label=_("计划类型"), choices=PlanKind.choices, method="filter_kind"
    )
    unit = django_filters.NumberFilter(label=_("帮扶单位"), method="filter_unit")
    cadre = django_filters.NumberFilter(label=_("制定人"), field_name="author_id")
    status = django_filters.ChoiceFilter(label=_("计划状态"), choices=PlanStatus.choices)
    start = django_filters.DateFilter(label=_("起始日期"), method="filter_period")
    end = django_filters.DateFilter(label=_("截止日期"), method="filter_period")

    class Meta:
        model = Plan
        fields = ["q", "region", "village", "household", "kind", "unit", "cadre", "status"]

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "region", value)

    def filter_kind(self, queryset, name, value):
        if value == PlanKind.HOUSEHOLD:
            return queryset.filter(household__isnull=False)
        if value == PlanKind.VILLAGE:
            return queryset.filter(household__isnull=True)
        return queryset

    def filter_unit(self, queryset, name, value):
        return queryset.filter(plan_unit_q(unit_subtree_ids(value))) if value else queryset

    def filter_period(self, queryset, name, value):
        if name == "end" and self.form.cleaned_data.get("start"):
            return queryset  # both applied once, by `start`
        return queryset.filter(plan_period_q(*self._period()))


class MeasureFilterSet(PeriodMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="description", lookup_expr="contains")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    plan = django_filters.NumberFilter(label=_("帮扶计划"), field_name="plan_id")
    plan_kind = django_filters.ChoiceFilter(
        label=_("计划类型"), choices=PlanKind.choices, method="filter_plan_kind"
    )
    kind = django_filters.ChoiceFilter(label=_("措施类型"), choices=MeasureKind.choices)
    status = django_filters.ChoiceFilter(label=_("措施状态"), choices=MeasureStatus.choices)
    cancelled = django_filters.ChoiceFilter(
        label=_("已取消"), choices=YES_NO, method="filter_cancelled"
    )
    overdue = django_filters.ChoiceFilter(
        label=_("已逾期"), choices=YES_NO, method="filter_overdue"
    )
    unit = django_filters.NumberFilter(label=_("帮扶单位"), method="filter_unit")
    owner = django_filters.NumberFilter(label=_("责任人"), field_name="owner_id")
    due_from = django_filters.DateFilter(
        label=_("完成期限自"), field_name="due_date", lookup_expr="gte"
    )
    due_to = django_filters.DateFilter(
        label=_("完成期限至"), field_name="due_date", lookup_expr="lte"
    )
    start = django_filters.DateFilter(label=_("起始日期"), method="filter_period")
    end = django_filters.DateFilter(label=_("截止日期"), method="filter_period")

    class Meta:
        model = Measure
        fields = ["q", "region", "plan", "kind", "status", "overdue", "unit", "owner"]

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "plan__region", value)

    def filter_plan_kind(self, queryset, name, value):
        if value in PlanKind.values:
            return queryset.filter(plan__household__isnull=value == PlanKind.VILLAGE)
        return queryset

    def filter_cancelled(self, queryset, name, value):
        if value == "1":
            return queryset.filter(status=MeasureStatus.CANCELLED)
        if value == "0":
            return queryset.exclude(status=MeasureStatus.CANCELLED)
        return queryset

    def filter_overdue(self, queryset, name, value):
        if value == "1":
            return queryset.filter(overdue_q())
        if value == "0":
            return queryset.exclude(overdue_q())
        return queryset

    def filter_unit(self, queryset, name, value):
        return queryset.filter(measure_unit_q(unit_subtree_ids(value))) if value else queryset

    def filter_period(self, queryset, name, value):
        if name == "end" and self.form.cleaned_data.get("start"):
            return queryset
        return queryset.filter(measure_period_q(*self._period()))
