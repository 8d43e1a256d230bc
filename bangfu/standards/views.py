"""The verdicts page: verdicts in the user's scope, filtered by region, standard, year and
result (core.generic starts from `Verdict.objects.for_user(user)`)."""

from bangfu.core.generic import ObjectListView

from . import filters, tables
from .models import RegionVerdict, Verdict


class VerdictListView(ObjectListView):
    queryset = Verdict.objects.all()
    filterset = filters.VerdictFilterSet
    table = tables.VerdictTable

    def annotate(self, queryset):
        return queryset.select_related("household", "version__standard").order_by(
            "-year", "region_id", "household__household_no", "pk"
        )


class RegionVerdictListView(ObjectListView):
    """Village and county verdicts in the user's scope (`RegionVerdict.objects.for_user`)."""

    queryset = RegionVerdict.objects.all()
    filterset = filters.RegionVerdictFilterSet
    table = tables.RegionVerdictTable

    def annotate(self, queryset):
        return queryset.select_related("region", "version__standard").order_by(
            "-year", "region_id", "-created", "-pk"
        )
