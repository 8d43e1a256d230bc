"""`bangfu import-economy KIND FILE [--user NAME] [--partial] [--errors OUT] [--lang en]`: import
one kind of issue-4 record (loans, jobs, cooperatives, … — `bangfu import-economy --help` lists
them) from a spreadsheet (.xlsx or .csv; in a workbook exported by `bangfu export-economy`, the
kind's own sheet), all or nothing unless --partial. One mechanism for every kind:
`bangfu.funds.services.sheets`.

Exit codes: 0 every row written, 1 rows rejected (nothing written without --partial), 2 the file
cannot be read or the user is unknown or may not import.
"""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from bangfu.core.imports.errors import show_errors, write_report
from bangfu.funds.services.sheets import all_layouts, import_sheet


def importer(kind: str):
    layout = all_layouts()[kind]

    def run(path, user=None, partial=False):
        return import_sheet(path, layout, user, partial)

    return run


def can_import(user, kind: str) -> bool:
    return all_layouts()[kind].can_import(user)


class Command(BaseCommand):
    help = "导入扶贫资金、项目、合作社、信贷、就业、消费扶贫或帮扶承诺表格（.xlsx 或 .csv），全部成功才写入"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(all_layouts()))
        parser.add_argument("file")
        parser.add_argument("--user", help="以此用户身份导入（限其管辖范围）")
        parser.add_argument("--partial", action="store_true", help="写入无错误的行，跳过有错误的行")
        parser.add_argument("--errors", help="把错误报告写到此文件（.xlsx 或 .csv）")
        parser.add_argument("--lang", default="zh-hans", help="错误说明的语言：zh-hans 或 en")

    def handle(self, *args, **options):
        lang = "en" if options["lang"].lower().startswith("en") else "zh-hans"
        with translation.override(lang):
            user = None
            if options["user"]:
                try:
                    user = get_user_model().objects.get(username=options["user"])
                except get_user_model().DoesNotExist:
                    raise CommandError(
                        _("用户 %(name)s 不存在") % {"name": options["user"]}, returncode=2
                    ) from None
                if not can_import(user, options["kind"]):
                    raise CommandError(
                        _("用户 %(name)s 没有导入权限") % {"name": user.username}, returncode=2
                    )
            result = importer(options["kind"])(
                options["file"], user=user, partial=options["partial"]
            )
            if options["errors"] and result.errors:
                write_report(result.errors, options["errors"], lang)
            show_errors(self.stderr, result.errors)
            self.stdout.write(result.summary())
        if result.errors:
            sys.stdout.flush()
            file_level = result.failed or (
                any(e.row is None for e in result.errors) and not result.rows
            )
            raise SystemExit(2 if file_level else 1)
