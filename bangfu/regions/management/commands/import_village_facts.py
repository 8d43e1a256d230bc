"""`bangfu import-village-facts FILE.csv [--user NAME] [--errors OUT] [--lang en]`: village facts
(村情) per village and year, upserted by (village, year), all or nothing.

Exit codes as import-registry: 0 every row written, 1 rows rejected (nothing written), 2 the file
cannot be used (unreadable, no header, a required column missing) or the user is unknown or may
not import.
"""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from bangfu.core.imports.errors import show_errors, write_report
from bangfu.regions.services.village_facts import import_village_facts

SHOW_ERRORS = 50
IMPORT_PERMS = ("regions.add_villageyear", "regions.change_villageyear")


class Command(BaseCommand):
    help = "导入村情（region_code, year, 户籍人口 …），按村和年度新增或更新，全部成功才写入"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", help="以此用户身份导入（限其管辖范围）")
        parser.add_argument("--errors", help="把错误报告写到此文件（.xlsx 或 .csv）")
        parser.add_argument("--lang", default="zh-hans", help="错误说明的语言：zh-hans 或 en")

    def handle(self, *args, **options):
        lang = "en" if options["lang"].lower().startswith("en") else "zh-hans"
        with translation.override(lang):
            user = None
            if options["user"]:
                user = get_user_model().objects.filter(username=options["user"]).first()
                if user is None:
                    raise CommandError(
                        _("用户 %(name)s 不存在") % {"name": options["user"]}, returncode=2
                    )
                if not all(user.has_perm(p) for p in IMPORT_PERMS):
                    raise CommandError(
                        _("用户 %(name)s 没有导入权限") % {"name": user.username}, returncode=2
                    )
            result = import_village_facts(options["file"], user=user)
            if options["errors"] and result.errors:
                write_report(result.errors, options["errors"], lang)
            show_errors(self.stderr, result.errors, limit=SHOW_ERRORS)
            self.stdout.write(
                _("共 %(rows)d 行：新增 %(created)d，更新 %(updated)d，未变 %(unchanged)d")
                % {
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                }
            )
            if result.exit_code:
                sys.stdout.flush()
                raise SystemExit(result.exit_code)
