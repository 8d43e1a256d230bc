"""`bangfu demo [--seed N] [--households N] [--if-empty]`: load the fictional demo registry."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.registry.models import Household
from bangfu.registry.services import demo


class Command(BaseCommand):
    help = "载入演示数据（虚构的龙州县、钟山县建档立卡数据和演示账号） / load the demo registry"

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="随机种子；同一种子生成相同数据"
        )
        parser.add_argument(
            "--households",
            type=int,
            default=demo.DEFAULT_HOUSEHOLDS,
            help="龙州县、钟山县的贫困户总数，按村分配（默认 2000）；战区县另加十分之一（至少 60 户）",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="登记库已有贫困户时什么也不做",
        )

    def handle(self, *args, seed, households, if_empty, **options):
        if households < 1:
            raise CommandError(_("户数必须大于 0"))
        if Household.objects.exists():
            if if_empty:
                self.stdout.write(
                    _("登记库已有贫困户，未载入演示数据")
                    + " / the registry already has households, demo not loaded"
                )
                return
            raise CommandError(
                _("登记库已有贫困户；演示数据只能载入空的登记库（或使用 --if-empty）")
            )
        # The registry, then the other apps' demo steps (assistance.services.demo.STEPS), all
        # or nothing.
        from bangfu.assistance.services import demo as assistance_demo

        with transaction.atomic():
            result = demo.build(seed=seed, households=households)
            steps = assistance_demo.run_steps(seed=seed, households=households)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "演示数据已载入：%(households)d 户 %(members)d 人，%(surveys)d 份年度调查，"
                    "%(exited)d 户已脱贫，用时 %(seconds).1f 秒"
                )
                % result.__dict__
                + f" / demo loaded: {result.households} households, {result.members} people, "
                f"{result.surveys} surveys, {result.exited} exited, {result.seconds:.1f}s"
            )
        )
        users = list(result.users)
        for step in steps:
            self.stdout.write(step.summary)
            users += step.users
        if users:
            self.stdout.write(
                _("演示账号（密码 %(password)s）：%(users)s")
                % {"password": demo.PASSWORD, "users": ", ".join(users)}
            )
