"""`bangfu reconcile-funds [--region CODE] [--rebuild-totals]`: print every funds discrepancy
(services/reconcile.py); exit 1 when there is any, 0 when the books are clean.
`--rebuild-totals` first recomputes the maintained allocation and source totals per month and
per day (services/totals.py, one transaction) and the job and dividend totals per year
(bangfu/core/yeartotals.py), then reconciles."""

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from bangfu.funds.services import totals
from bangfu.funds.services.reconcile import reconcile


class Command(BaseCommand):
    help = "Reconcile all funds records: sources, pools, allocations, projects, region totals."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="only records in this region code prefix")
        parser.add_argument(
            "--rebuild-totals",
            action="store_true",
            help="recompute the maintained totals (allocations and sources per month and day, jobs and "
            "dividends per year) from the records first",
        )

    def handle(self, *args, region="", rebuild_totals=False, **options):
        if rebuild_totals:
            keys = totals.rebuild()
            for table, message in (
                (
                    totals.ALLOCATIONS,
                    _("已按拨付记录重建月度合计：%(n)d 项，日合计：%(days)d 项。"),
                ),
                (
                    totals.SOURCES,
                    _("已按资金来源记录重建月度合计：%(n)d 项，日合计：%(days)d 项。"),
                ),
            ):
                self.stdout.write(message % {"n": keys[table.name], "days": keys[table.day_name]})
            from bangfu.cooperatives.services.totals import rebuild_dividend_totals
            from bangfu.employment.services.totals import rebuild_job_totals

            keys = rebuild_job_totals() + rebuild_dividend_totals()
            self.stdout.write(_("已按就业和分红记录重建年度合计：%(n)d 项。") % {"n": keys})
        found = reconcile(region.strip())
        for d in found:
            self.stdout.write(str(d))
        if found:
            self.stderr.write(_("对账发现 %(n)d 处不一致。") % {"n": len(found)})
            sys.exit(1)
        self.stdout.write(_("对账无误。"))
