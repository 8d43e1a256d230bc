"""One FilterSet per model for the funds pages, the API and the unit page's links
(`?unit=…&start=…&end=…`)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.filters import unit_tree_filter
from bangfu.core.filters import region_prefix

from .choices import AllocationKind, DonorKind, ProjectKind, ProjectStatus, SourceKind
from .models import Allocation, Donation, FundPool, FundSource, Project, ProjectOutput


class _Base(django_filters.FilterSet):
    region_field = "region"
    unit_field = "unit"
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    unit = django_filters.NumberFilter(label=_("单位"), method="filter_unit")

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, self.region_field, value)

    def filter_unit(self, queryset, name, value):
        return unit_tree_filter(self.unit_field)(self, queryset, name, value)


class FundSourceFilterSet(_Base):
    kind = django_filters.ChoiceFilter(label=_("资金来源类型"), choices=SourceKind.choices)
    year = django_filters.NumberFilter(label=_("年度"))
    start = django_filters.DateFilter(label=_("开始日期"), field_name="date", lookup_expr="gte")
    end = django_filters.DateFilter(label=_("结束日期"), field_name="date", lookup_expr="lte")
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = FundSource
        fields = ["kind", "year", "region", "unit", "start", "end", "q"]


class DonationFilterSet(_Base):
    donor_kind = django_filters.ChoiceFilter(label=_("捐赠方类型"), choices=DonorKind.choices)
    start = django_filters.DateFilter(label=_("开始日期"), field_name="date", lookup_expr="gte")
    end = django_filters.DateFilter(label=_("结束日期"), field_name="date", lookup_expr="lte")
    q = django_filters.CharFilter(
        label=_("捐赠方"), field_name="donor_name", lookup_expr="icontains"
    )

    class Meta:
        model = Donation
        fields = ["donor_kind", "region", "unit", "start", "end", "q"]


class FundPoolFilterSet(_Base):
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = FundPool
        fields = ["region", "unit", "q"]


class AllocationFilterSet(_Base):
    source = django_filters.NumberFilter(label=_("资金来源"), field_name="source_id")
    pool = django_filters.NumberFilter(label=_("资金池"), field_name="pool_id")
    project = django_filters.NumberFilter(label=_("项目"), field_name="project_id")
    household = django_filters.NumberFilter(label=_("受助户"), field_name="household_id")
    kind = django_filters.ChoiceFilter(label=_("拨付类型"), choices=AllocationKind.choices)
    start = django_filters.DateFilter(label=_("开始日期"), field_name="date", lookup_expr="gte")
    end = django_filters.DateFilter(label=_("结束日期"), field_name="date", lookup_expr="lte")
    purpose = django_filters.CharFilter(label=_("用途"), lookup_expr="icontains")

    class Meta:
        model = Allocation
        fields = [
            "source",
            "pool",
            "project",
            "household",
            "kind",
            "region",
            "unit",
            "start",
            "end",
            "purpose",
        ]


class ProjectFilterSet(_Base):
    region_field = "village"
    kind = django_filters.ChoiceFilter(label=_("项目类型"), choices=ProjectKind.choices)
    status = django_filters.ChoiceFilter(label=_("项目状态"), choices=ProjectStatus.choices)
    start = django_filters.DateFilter(
        label=_("开工日期起"), field_name="start_date", lookup_expr="gte"
    )
    end = django_filters.DateFilter(
        label=_("开工日期止"), field_name="start_date", lookup_expr="lte"
    )
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")
    measure = django_filters.CharFilter(label=_("产出计量单位"), method="filter_measure")
    project = django_filters.NumberFilter(label=_("项目"), field_name="pk")

    class Meta:
        model = Project
        fields = ["kind", "status", "region", "unit", "start", "end", "q", "measure", "project"]

    def filter_measure(self, queryset, name, value):
        """Projects with an output in this unit of measure (the figures' output links)."""
        return queryset.filter(pk__in=ProjectOutput.objects.filter(measure=value).values("project"))
