"""One FilterSet per model, shared by the list page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from bangfu.core.filters import region_prefix

from .choices import CaseKind, CaseStatus, Outcome, Step
from .models import ExitCase, ExitStep, Objection


class ExitCaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("户编号"), field_name="household__household_no", lookup_expr="startswith"
    )
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    kind = django_filters.ChoiceFilter(label=_("退出类型"), choices=CaseKind.choices)
    step = django_filters.ChoiceFilter(
        label=_("当前步骤"), field_name="current_step", choices=Step.choices
    )
    status = django_filters.ChoiceFilter(label=_("办理状态"), choices=CaseStatus.choices)
    year = django_filters.NumberFilter(label=_("退出年度"), field_name="year")
    household = django_filters.NumberFilter(label=_("贫困户"), field_name="household_id")

    class Meta:
        model = ExitCase
        fields = ["q", "region", "kind", "step", "status", "year", "household"]

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "region", value)


class ExitStepFilterSet(django_filters.FilterSet):
    case = django_filters.NumberFilter(label=_("退出案件"), field_name="case_id")
    step = django_filters.ChoiceFilter(label=_("步骤"), choices=Step.choices)
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")

    class Meta:
        model = ExitStep
        fields = ["case", "step", "region"]

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "case__region", value)


class ObjectionFilterSet(django_filters.FilterSet):
    case = django_filters.NumberFilter(label=_("退出案件"), field_name="case_id")
    outcome = django_filters.ChoiceFilter(label=_("处理结果"), choices=Outcome.choices)
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")

    class Meta:
        model = Objection
        fields = ["case", "outcome", "region"]

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "case__region", value)
