"""The verdicts page: verdicts in the user's scope, filtered by region, standard, year and
result (core.generic starts from `Verdict.objects.for_user(user)`)."""

from bangfu.core.generic import ObjectListView

from . import filters, tables
from .models import Verdict


class VerdictListView(ObjectListView):
    queryset = Verdict.objects.all()
    filterset = filters.VerdictFilterSet
    table = tables.VerdictTable

    def annotate(self, queryset):
        return queryset.select_related("household", "version__standard").order_by(
            "-year", "region_id", "household__household_no", "pk"
        )
