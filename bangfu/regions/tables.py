from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table
from bangfu.registry.choices import Status

# Statuses always given a column; the others only when some child has such households.
ALWAYS_SHOWN = {Status.NOT_EXITED, Status.EXITED}


def _status_column(code, label):
    return Column(label, lambda row, table: row["counts"].get(code, 0), numeric=True)


class ChildRegionTable(Table):
    """Children of a region with their households by status (rows are dicts from the view)."""

    empty_text = _("没有下级区划")

    def __init__(self, rows, request=None):
        rows = list(rows)
        columns = [
            Column(
                _("名称"),
                lambda row, table: row["region"].name,
                link=lambda row: reverse("regions:region", kwargs={"code": row["region"].code}),
            ),
            Column(_("区划代码"), "region.code", css="mono nowrap"),
            *[
                _status_column(code, label)
                for code, label in Status.choices
                if code in ALWAYS_SHOWN or any(row["counts"].get(code) for row in rows)
            ],
            Column(_("合计"), "total", numeric=True),
        ]
        super().__init__(rows, request=request, columns=columns)


def _village_year_url(row):
    return reverse("regions:villageyear", kwargs={"pk": row.pk})


class VillageYearTable(Table):
    empty_text = _("没有村情数据")
    columns = [
        Column(_("村"), "region.name", link=_village_year_url),
        Column(_("区划代码"), "region_id", css="mono nowrap"),
        Column(_("年度"), "year"),
        Column(_("户籍人口"), "rural_population", numeric=True),
        Column(_("特色产业"), "featured_industry"),
        Column(_("通村硬化路"), "road_to_village_hardened"),
        Column(_("卫生室和村医"), "clinic_with_doctor"),
        Column(_("公共服务场所"), "public_service_venue"),
        Column(_("宽带"), "broadband"),
        Column(_("村集体经济收入"), "collective_income", numeric=True),
        Column(_("两委班子好"), "committee_rated_good"),
    ]
