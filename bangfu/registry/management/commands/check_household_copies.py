"""`bangfu check-household-copies [--rebuild]`: the copies of household facts on jobs, loans,
commitments and cooperative memberships (bangfu/registry/copies.py) against the truth.

Prints one line per copy with the rows that differ; exits 1 when any does. With --rebuild it
rewrites them and exits 0."""

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from bangfu.registry.copies import check_household_copies, rebuild_household_copies


class Command(BaseCommand):
    help = "核对（或重建）就业、贷款、帮扶承诺和合作社社员上抄录的户信息（区划、是否建档立卡户）"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="按户的当前信息重写不一致的抄录")

    def handle(self, *args, rebuild=False, **options):
        if rebuild:
            for name, n in rebuild_household_copies().items():
                self.stdout.write(_("%(copy)s：已重写 %(n)d 行") % {"copy": name, "n": n})
            return
        counts = check_household_copies()
        for name, n in counts.items():
            self.stdout.write(_("%(copy)s：%(n)d 行与户信息不一致") % {"copy": name, "n": n})
        if any(counts.values()):
            self.stderr.write(
                _("共 %(n)d 行不一致，可用 --rebuild 重建。") % {"n": sum(counts.values())}
            )
            sys.exit(1)
        self.stdout.write(_("抄录的户信息全部一致。"))
