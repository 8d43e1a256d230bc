"""`bangfu export-assistance [--unit ID] [--kind KIND ...] --output FILE.xlsx|FILE.csv`.

Runs as the system with full data (ID numbers and phones unmasked), so the file can be
re-imported: `import(export(x))` reproduces x. A .csv holds one kind (give --kind).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bangfu.assistance.models import Unit
from bangfu.assistance.services.exporter import export_assistance
from bangfu.assistance.services.layout import KINDS


class Command(BaseCommand):
    help = "按交换格式导出帮扶数据（.xlsx 每类一个工作表，.csv 一类）"

    def add_arguments(self, parser):
        parser.add_argument("--unit", type=int, help="帮扶单位编号：只导出该单位及其后盾单位")
        parser.add_argument("--kind", action="append", choices=KINDS, help="只导出这一类（可重复）")
        parser.add_argument("--output", required=True, help="输出文件 .xlsx 或 .csv")

    def handle(self, *args, **options):
        output = options["output"]
        if not output.lower().endswith((".csv", ".xlsx")):
            raise CommandError(_("输出文件应以 .csv 或 .xlsx 结尾"))
        kinds = options["kind"] or list(KINDS)
        if output.lower().endswith(".csv") and len(kinds) != 1:
            raise CommandError(_("CSV 文件只能导出一类数据，请用 --kind 指定"))
        unit = None
        if options["unit"] is not None:
            unit = Unit.objects.filter(pk=options["unit"]).first()
            if unit is None:
                raise CommandError(_("帮扶单位 %(id)s 不存在") % {"id": options["unit"]})
        counts = export_assistance(output, None, unit=unit, kinds=kinds)
        self.stdout.write(
            _("已导出 %(n)d 行到 %(path)s") % {"n": sum(counts.values()), "path": output}
        )
