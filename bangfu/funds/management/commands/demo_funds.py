"""`bangfu demo-funds [--seed N] [--region CODE] [--if-empty]`: demo money and projects for the
demo registry (services/demo.py); `bangfu reconcile-funds` is clean afterwards."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bangfu.core import audit
from bangfu.core.choices import ChangeSource
from bangfu.funds.models import FundSource
from bangfu.funds.services import demo


class Command(BaseCommand):
    help = "载入演示资金与项目 / load demo funds and projects"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--region", default="")
        parser.add_argument("--if-empty", action="store_true")

    def handle(self, *args, seed, region, if_empty, **options):
        if FundSource.objects.exists():
            if if_empty:
                self.stdout.write(_("已有资金数据，未载入演示资金"))
                return
            raise CommandError(_("已有资金数据；演示资金只能载入空库（或使用 --if-empty）"))
        with audit.audit_context(source=ChangeSource.DEMO):
            result = demo.build(seed=seed, region=region)
        self.stdout.write(
            _("演示资金已载入：%(sources)d 笔资金来源，%(projects)d 个项目，%(allocations)d 笔拨付")
            % result.__dict__
        )
        self.stdout.write(" ".join(f"{key}={n}" for key, n in sorted(result.economy.items())))
