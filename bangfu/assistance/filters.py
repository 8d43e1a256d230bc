"""One filter definition per model for the assistance list pages and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.filters import region_prefix

from .choices import PostingRole, ResponsibilityLevel, UnitKind
from .models import Assignment, Cadre, Pairing, Posting, Responsibility, Unit, Zone
from .services.rules import active_q

ACTIVE_CHOICES = [("1", _("进行中")), ("0", _("已结束"))]


class ActiveFilterMixin:
    def filter_active(self, queryset, name, value):
        today = timezone.localdate()
        if value == "1":
            return queryset.filter(active_q(today))
        if value == "0":
            return queryset.exclude(active_q(today))
        return queryset


def unit_tree_filter(*fields):
    """A `method` for a `unit` filter: records of the unit *and its backing units* (any depth),
    through each of `fields` (paths to a Unit, e.g. "cadre__unit"); an unknown unit: nothing."""

    def method(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        path = Unit.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        q = Q()
        for field in fields:
            q |= Q(**{f"{field}__path__startswith": path})
        return queryset.filter(q)

    return method


class PeriodFilterMixin:
    """`start` / `end` (inclusive dates): dated records whose period overlaps [start, end]."""

    def filter_start(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=value))

    def filter_end(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(start_date__lte=value)


def _period_filters():
    return (
        django_filters.DateFilter(label=_("起始日期"), method="filter_start"),
        django_filters.DateFilter(label=_("截止日期"), method="filter_end"),
    )


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="name", lookup_expr="contains")
    kind = django_filters.ChoiceFilter(label=_("单位类型"), choices=UnitKind.choices)
    parent = django_filters.NumberFilter(label=_("上级帮扶单位"), field_name="parent_id")

    class Meta:
        model = Unit
        fields = ["q", "kind", "parent"]


class AssignmentFilterSet(PeriodFilterMixin, ActiveFilterMixin, django_filters.FilterSet):
    unit = django_filters.NumberFilter(label=_("帮扶单位"), method="filter_unit")
    start, end = _period_filters()
    village = django_filters.CharFilter(label=_("区划代码"), method="filter_village")
    active = django_filters.ChoiceFilter(
        label=_("状态"), choices=ACTIVE_CHOICES, method="filter_active"
    )

    class Meta:
        model = Assignment
        fields = ["unit", "village", "active", "start", "end"]

    filter_unit = unit_tree_filter("unit", "backing_unit")

    def filter_village(self, queryset, name, value):
        return region_prefix(queryset, "village", value)


class CadreFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="name", lookup_expr="contains")
    unit = django_filters.NumberFilter(label=_("所属单位"), method="filter_unit")
    active = django_filters.BooleanFilter(label=_("在岗"))

    class Meta:
        model = Cadre
        fields = ["q", "unit", "active"]

    filter_unit = unit_tree_filter("unit")


class PostingFilterSet(PeriodFilterMixin, ActiveFilterMixin, django_filters.FilterSet):
    cadre = django_filters.NumberFilter(label=_("干部"), field_name="cadre_id")
    unit = django_filters.NumberFilter(label=_("帮扶单位"), method="filter_unit")
    start, end = _period_filters()
    village = django_filters.CharFilter(label=_("区划代码"), method="filter_village")
    role = django_filters.ChoiceFilter(label=_("驻村职务"), choices=PostingRole.choices)
    active = django_filters.ChoiceFilter(
        label=_("状态"), choices=ACTIVE_CHOICES, method="filter_active"
    )

    class Meta:
        model = Posting
        fields = ["cadre", "unit", "village", "role", "active", "start", "end"]

    filter_unit = unit_tree_filter("cadre__unit")

    def filter_village(self, queryset, name, value):
        return region_prefix(queryset, "village", value)


class PairingFilterSet(PeriodFilterMixin, ActiveFilterMixin, django_filters.FilterSet):
    cadre = django_filters.NumberFilter(label=_("干部"), field_name="cadre_id")
    unit = django_filters.NumberFilter(label=_("帮扶单位"), method="filter_unit")
    start, end = _period_filters()
    household = django_filters.NumberFilter(label=_("帮扶户"), field_name="household_id")
    village = django_filters.CharFilter(label=_("区划代码"), method="filter_village")
    active = django_filters.ChoiceFilter(
        label=_("状态"), choices=ACTIVE_CHOICES, method="filter_active"
    )

    class Meta:
        model = Pairing
        fields = ["cadre", "unit", "household", "village", "active", "start", "end"]

    filter_unit = unit_tree_filter("cadre__unit")

    def filter_village(self, queryset, name, value):
        return region_prefix(queryset, "household__region", value)


class ResponsibilityFilterSet(PeriodFilterMixin, ActiveFilterMixin, django_filters.FilterSet):
    zone = django_filters.NumberFilter(label=_("战区"), field_name="zone_id")
    level = django_filters.ChoiceFilter(label=_("层级"), choices=ResponsibilityLevel.choices)
    cadre = django_filters.NumberFilter(label=_("责任人"), field_name="cadre_id")
    household = django_filters.NumberFilter(label=_("包联户"), field_name="household_id")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    active = django_filters.ChoiceFilter(
        label=_("状态"), choices=ACTIVE_CHOICES, method="filter_active"
    )
    start, end = _period_filters()

    class Meta:
        model = Responsibility
        fields = ["zone", "level", "cadre", "household", "region", "active", "start", "end"]

    def filter_region(self, queryset, name, value):
        from .scoping import responsibility_region_q

        value = (value or "").strip()
        return queryset.filter(responsibility_region_q(value)) if value else queryset


class ZoneFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="name", lookup_expr="contains")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    village = django_filters.CharFilter(label=_("所辖村"), field_name="villages__pk")

    class Meta:
        model = Zone
        fields = ["q", "region", "village"]

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "region", value)
