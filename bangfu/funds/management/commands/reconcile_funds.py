"""`bangfu reconcile-funds [--region CODE]`: print every funds discrepancy (services/reconcile.py);
exit 1 when there is any, 0 when the books are clean."""

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from bangfu.funds.services.reconcile import reconcile


class Command(BaseCommand):
    help = "Reconcile all funds records: sources, pools, allocations, projects, region totals."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="only records in this region code prefix")

    def handle(self, *args, region="", **options):
        found = reconcile(region.strip())
        for d in found:
            self.stdout.write(str(d))
        if found:
            self.stderr.write(_("对账发现 %(n)d 处不一致。") % {"n": len(found)})
            sys.exit(1)
        self.stdout.write(_("对账无误。"))
