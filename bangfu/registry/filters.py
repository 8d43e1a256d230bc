"""One filter definition for the household list page, the API and the export."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Category, Cause, Status
from .models import Household, Member, StatusChange, Survey


class HouseholdFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(
        label=_("区划代码"), method="filter_region", help_text=_("该区域及其下级")
    )
    status = django_filters.MultipleChoiceFilter(label=_("户类型"), choices=Status.choices)
    category = django_filters.MultipleChoiceFilter(label=_("贫困户属性"), choices=Category.choices)
    cause = django_filters.ChoiceFilter(
        label=_("致贫原因"), choices=Cause.choices, method="filter_cause"
    )
    survey_year = django_filters.NumberFilter(
        label=_("调查年度"), method="filter_survey_year", help_text=_("有该年度调查的户")
    )
    q = django_filters.CharFilter(
        label=_("搜索"), method="filter_q", help_text=_("姓名、户编号或证件号码末几位")
    )

    class Meta:
        model = Household
        fields = ["region", "status", "category", "cause", "survey_year", "q"]

    def filter_region(self, queryset, name, value):
        from bangfu.regions.codes import InvalidRegionCode, normalize_code

        try:
            code = normalize_code(value)
        except InvalidRegionCode:
            return queryset.none()
        return queryset.in_region(code)

    def filter_cause(self, queryset, name, value):
        return queryset.filter(Q(main_cause=value) | Q(other_causes__contains=value))

    def filter_survey_year(self, queryset, name, value):
        return queryset.filter(surveys__year=value)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        members = Member.objects.filter(
            Q(name__contains=value) | Q(id_number__endswith=value.upper())
        )
        return queryset.filter(
            Q(household_no__contains=value) | Q(pk__in=members.values("household_id"))
        )


class SurveyFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("调查年度"))
    household = django_filters.CharFilter(label=_("户编号"), field_name="household__household_no")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")

    class Meta:
        model = Survey
        fields = ["year", "household", "region"]

    filter_region = HouseholdFilterSet.filter_region


class StatusChangeFilterSet(django_filters.FilterSet):
    household = django_filters.CharFilter(label=_("户编号"), field_name="household__household_no")
    status = django_filters.MultipleChoiceFilter(label=_("户类型"), choices=Status.choices)
    date_after = django_filters.DateFilter(
        label=_("起始日期"), field_name="date", lookup_expr="gte"
    )
    date_before = django_filters.DateFilter(
        label=_("截止日期"), field_name="date", lookup_expr="lte"
    )

    class Meta:
        model = StatusChange
        fields = ["household", "status", "date_after", "date_before"]
