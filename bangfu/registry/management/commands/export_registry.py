"""`bangfu export-registry [--region CODE] [--year YYYY] --output FILE.csv|FILE.xlsx`.

Runs as the system with full data (ID numbers and phones unmasked), so the file can be
re-imported: `import(export(x))` reproduces x.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bangfu.regions.codes import InvalidRegionCode, normalize_code
from bangfu.regions.models import Region
from bangfu.registry.services.exporter import export_registry


class Command(BaseCommand):
    help = "按交换格式导出建档立卡信息表（每人一行）"

    def add_arguments(self, parser):
        parser.add_argument("--region", help="区划代码（短码或 12 位）")
        parser.add_argument("--year", type=int, help="调查年度；不填则取每户最近一年")
        parser.add_argument("--output", required=True, help="输出文件 .csv 或 .xlsx")

    def handle(self, *args, **options):
        output = options["output"]
        if not output.lower().endswith((".csv", ".xlsx")):
            raise CommandError(_("输出文件应以 .csv 或 .xlsx 结尾"))
        region = options["region"]
        if region:
            try:
                region = normalize_code(region)
            except InvalidRegionCode as exc:
                raise CommandError(str(exc)) from None
            if not Region.objects.filter(pk=region).exists():
                raise CommandError(_("区划代码 %(code)s 不存在") % {"code": region})
        count = export_registry(output, None, region=region, year=options["year"])
        self.stdout.write(_("已导出 %(n)d 行到 %(path)s") % {"n": count, "path": output})
