"""`bangfu import-assistance FILE [--kind KIND] [--partial] [--errors OUT] [--lang en] [--user NAME]`.

Exit codes are part of the interface scripts rely on: 0 every row written, 1 rows rejected
(nothing written without --partial), 2 the file cannot be read at all (not a spreadsheet, empty,
no header row, unknown kind).
"""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from bangfu.assistance.services.importer import can_import, import_assistance
from bangfu.assistance.services.layout import KINDS
from bangfu.core.imports.errors import show_errors, write_report


class Command(BaseCommand):
    help = "导入帮扶数据：帮扶单位、帮扶干部、定点帮扶、驻村任职、结对帮扶（.xlsx 或 .csv）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", help="CSV 的数据类型：" + "|".join(KINDS))
        parser.add_argument("--partial", action="store_true", help="写入无错误的行，跳过有错误的行")
        parser.add_argument("--errors", help="把错误报告写到此文件（.xlsx 或 .csv）")
        parser.add_argument("--lang", default="zh-hans", help="错误说明的语言：zh-hans 或 en")
        parser.add_argument("--user", help="以此用户身份导入（限其管辖范围）")

    def handle(self, *args, **options):
        lang = "en" if options["lang"].lower().startswith("en") else "zh-hans"
        user = None
        with translation.override(lang):
            kind = options["kind"]
            if kind is not None and kind not in KINDS:
                self.stderr.write(
                    _("未知的数据类型“%(kind)s”（可选：%(kinds)s）")
                    % {"kind": kind, "kinds": "、".join(KINDS)}
                )
                raise SystemExit(2)
            if options["user"]:
                try:
                    user = get_user_model().objects.get(username=options["user"])
                except get_user_model().DoesNotExist:
                    raise CommandError(
                        _("用户 %(name)s 不存在") % {"name": options["user"]}, returncode=2
                    ) from None
                if not can_import(user, kind):
                    raise CommandError(
                        _("用户 %(name)s 没有导入权限") % {"name": user.username}, returncode=2
                    )
            result = import_assistance(
                options["file"], kind=kind, user=user, partial=options["partial"], lang=lang
            )
            report = result.errors + result.notes
            if options["errors"] and report:
                write_report(report, options["errors"], lang)
            out = self.stdout if result.exit_code == 0 else self.stderr
            if result.message:
                out.write(result.message)
            if result.status != "failed":
                self.stdout.write(result.summary())
            for warning in result.warnings:
                self.stderr.write(warning)
            show_errors(self.stderr, result.errors)
            if options["errors"] and report:
                self.stderr.write(_("错误报告：%(path)s") % {"path": options["errors"]})
        if result.exit_code:
            sys.stdout.flush()
            raise SystemExit(result.exit_code)
