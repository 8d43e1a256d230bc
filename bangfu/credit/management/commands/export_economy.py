"""`bangfu export-economy OUT.xlsx [KIND …] [--user NAME] [--region CODE]` or
`bangfu export-economy OUT.csv KIND`: export issue-4 records (fund sources, donations, pools,
pool inflows, projects and outputs, allocations, cooperatives and their members, contracts,
years and dividends, loan products and loans, labour agreements and jobs, purchases,
commitments and payments) in the layout of the import, so `import-economy` reads the file back
unchanged. An .xlsx holds one sheet per kind (all kinds by default), a .csv one kind. With
--user: only that user's records, personal numbers masked unless the user may see them; without:
everything (an administrator's command)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bangfu.core.filters import region_prefix
from bangfu.funds.services.sheets import all_layouts, export_path_format, write_export

# The path from each model to its region, for --region (a prefix match on the code).
REGION_PATHS = {
    "sources": "region",
    "donations": "region",
    "pools": "region",
    "pool_inflows": "pool__region",
    "projects": "village",
    "project_outputs": "project__village",
    "project_beneficiaries": "project__village",
    "allocations": "region",
    "cooperatives": "village",
    "memberships": "cooperative__village",
    "contracts": "cooperative__village",
    "cooperative_years": "cooperative__village",
    "dividends": "cooperative__village",
    "loan_products": "region",
    "loans": "region",
    "labour_agreements": "region",
    "jobs": "region",
    "purchases": "village",
    "commitments": "region",
    "commitment_payments": "commitment__region",
}


class Command(BaseCommand):
    help = "按导入格式导出扶贫资金、项目、合作社、信贷、就业、消费扶贫和帮扶承诺（.xlsx 或 .csv）"

    def add_arguments(self, parser):
        parser.add_argument("output")
        parser.add_argument("kinds", nargs="*", help="要导出的数据类型（默认全部）")
        parser.add_argument("--user", help="以此用户身份导出（限其管辖范围，按其权限遮蔽证件号码）")
        parser.add_argument("--region", default="", help="只导出此区划代码下的记录")

    def handle(self, *args, output, kinds, user, region, **options):
        layouts = all_layouts()
        unknown = [k for k in kinds if k not in layouts]
        if unknown:
            raise CommandError(
                _("未知的数据类型：%(kinds)s（可选：%(all)s）")
                % {"kinds": "、".join(unknown), "all": "、".join(layouts)}
            )
        try:
            fmt = export_path_format(output)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        kinds = kinds or list(layouts)
        if fmt == "csv" and len(kinds) != 1:
            raise CommandError(_(".csv 文件只能导出一种数据，请指定类型或改用 .xlsx"))
        who = None
        if user:
            try:
                who = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(_("用户 %(name)s 不存在") % {"name": user}) from None
        chosen = []
        for kind in kinds:
            layout = layouts[kind]
            if who is not None and not layout.can_export(who):
                continue
            queryset = layout.queryset(who)
            if region:
                queryset = region_prefix(queryset, REGION_PATHS[kind], region)
            chosen.append((layout, queryset))
        counts = write_export(chosen, output, fmt, who)
        self.stdout.write(
            _("已导出：%(counts)s")
            % {"counts": "，".join(f"{layouts[k].title} {n}" for k, n in counts.items())}
        )
