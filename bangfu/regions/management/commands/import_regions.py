"""`bangfu import-regions FILE.csv`: the administrative tree (code, name, western_region).

Exit 0 when every row was written, 1 when rows were rejected (nothing written), 2 when the file
cannot be read.
"""

import sys

from django.core.management.base import BaseCommand

from bangfu.regions.services.importer import import_regions


class Command(BaseCommand):
    help = "导入行政区划（code, name, western_region）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--lang", default="zh-hans")

    def handle(self, *args, **options):
        lang = "en" if options["lang"].lower().startswith("en") else "zh-hans"
        result = import_regions(options["file"], lang=lang)
        if result.message:
            (self.stdout if result.exit_code == 0 else self.stderr).write(result.message)
        if result.status != "failed":
            self.stdout.write(result.summary())
        for warning in result.warnings:
            self.stderr.write(warning)
        for error in result.errors[:50]:
            self.stderr.write(str(error))
        if result.exit_code:
            sys.stdout.flush()
            raise SystemExit(result.exit_code)
