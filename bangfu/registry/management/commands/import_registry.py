"""`bangfu import-registry FILE [--partial] [--errors OUT] [--lang en] [--user NAME]`.

Exit codes are part of the interface scripts rely on: 0 every row written, 1 rows rejected
(nothing written without --partial), 2 the file cannot be read at all.
"""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from bangfu.core.imports.errors import show_errors, write_report
from bangfu.registry.services.importer import import_registry


class Command(BaseCommand):
    help = "导入建档立卡信息表（.xlsx 或 .csv，每人一行）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--partial", action="store_true", help="写入无错误的户，跳过有错误的户")
        parser.add_argument("--errors", help="把错误报告写到此文件（.xlsx 或 .csv）")
        parser.add_argument("--lang", default="zh-hans", help="错误说明的语言：zh-hans 或 en")
        parser.add_argument("--user", help="以此用户身份导入（限其管辖范围）")

    def handle(self, *args, **options):
        lang = "en" if options["lang"].lower().startswith("en") else "zh-hans"
        user = None
        with translation.override(lang):
            if options["user"]:
                try:
                    user = get_user_model().objects.get(username=options["user"])
                except get_user_model().DoesNotExist:
                    raise CommandError(
                        _("用户 %(name)s 不存在") % {"name": options["user"]}, returncode=2
                    ) from None
                if not user.has_perm("registry.import_registry"):
                    raise CommandError(
                        _("用户 %(name)s 没有导入权限") % {"name": user.username}, returncode=2
                    )
            result = import_registry(
                options["file"], user=user, partial=options["partial"], lang=lang
            )
            if options["errors"] and (result.errors or result.notes):
                write_report(result.errors + result.notes, options["errors"], lang)
            out = self.stdout if result.exit_code == 0 else self.stderr
            if result.message:
                out.write(result.message)
            if result.status != "failed":
                self.stdout.write(result.summary())
            for warning in result.warnings:
                self.stderr.write(warning)
            show_errors(self.stderr, result.errors)
            if options["errors"] and (result.errors or result.notes):
                self.stderr.write(_("错误报告：%(path)s") % {"path": options["errors"]})
        if result.exit_code:
            sys.stdout.flush()
            raise SystemExit(result.exit_code)
