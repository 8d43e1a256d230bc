"""`bangfu import-funds FILE --kind sources|donations|allocations [--partial] [--errors OUT]
[--user NAME]`: exit 0 every row written, 1 rows refused (nothing written without --partial),
2 the file cannot be read."""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bangfu.core.imports.errors import show_errors, write_report
from bangfu.funds.services.importer import KINDS, import_funds


class Command(BaseCommand):
    help = "导入资金来源、社会捐赠或资金拨付（.xlsx 或 .csv）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, choices=KINDS)
        parser.add_argument("--partial", action="store_true", help="写入无错误的行，跳过有错误的行")
        parser.add_argument("--errors", help="把错误报告写到此文件（.xlsx 或 .csv）")
        parser.add_argument("--user", help="以此用户身份导入（限其管辖范围）")

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(
                    _("用户 %(name)s 不存在") % {"name": options["user"]}, returncode=2
                ) from None
        result = import_funds(options["file"], options["kind"], user, options["partial"])
        if result.failed:
            self.stderr.write(result.message)
            sys.exit(2)
        show_errors(self.stderr, result.errors)
        if options["errors"] and result.errors:
            write_report(result.errors, options["errors"])
        self.stdout.write(
            _("共 %(rows)d 行，写入 %(created)d 行，错误 %(errors)d 处")
            % {"rows": result.rows_total, "created": result.created, "errors": len(result.errors)}
        )
        if result.exit_code:
            sys.exit(result.exit_code)
