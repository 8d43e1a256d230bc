"""One filter definition for the commitment list, the API and the figures' links."""

import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.filters import unit_tree_filter
from bangfu.core.filters import region_prefix

from .choices import Period
from .models import Commitment, CommitmentPayment
from .services.schedule import DEFAULT_GRACE_DAYS, overdue


class CommitmentFilterSet(django_filters.FilterSet):
    household = django_filters.NumberFilter(label=_("受助户"), field_name="household_id")
    member = django_filters.NumberFilter(label=_("受助成员"), field_name="member_id")
    unit = django_filters.NumberFilter(label=_("帮扶单位（含后盾单位）"), method="filter_unit")
    period = django_filters.ChoiceFilter(label=_("发放周期"), choices=Period.choices)
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    overdue = django_filters.BooleanFilter(label=_("有逾期未发放"), method="filter_overdue")

    class Meta:
        model = Commitment
        fields = ["household", "member", "unit", "period", "region", "overdue"]

    filter_unit = unit_tree_filter("unit")

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "region", value)  # the household's, copied

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        on = timezone.localdate() - datetime.timedelta(days=DEFAULT_GRACE_DAYS)
        return queryset.filter(pk__in=overdue(Commitment.objects.all(), on).values("pk"))


class PaymentFilterSet(django_filters.FilterSet):
    commitment = django_filters.NumberFilter(label=_("帮扶承诺"), field_name="commitment_id")
    household = django_filters.NumberFilter(
        label=_("受助户"), field_name="commitment__household_id"
    )
    unit = django_filters.NumberFilter(label=_("帮扶单位（含后盾单位）"), method="filter_unit")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    start = django_filters.DateFilter(label=_("起始日期"), field_name="date", lookup_expr="gte")
    end = django_filters.DateFilter(label=_("截止日期"), field_name="date", lookup_expr="lte")

    class Meta:
        model = CommitmentPayment
        fields = ["commitment", "household", "unit", "region", "start", "end"]

    filter_unit = unit_tree_filter("commitment__unit")

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "commitment__region", value)
