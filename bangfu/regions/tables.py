from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.tables import Column, Table
from bangfu.registry.choices import Status


def _status_column(code, label):
    return Column(label, lambda row, table: row["counts"].get(code, 0), numeric=True)


class ChildRegionTable(Table):
    """Children of a region with their households by status (rows are dicts from the view)."""

    empty_text = _("没有下级区划")

    def __init__(self, rows, request=None):
        columns = [
            Column(
                _("名称"),
                lambda row, table: row["region"].name,
                link=lambda row: reverse("regions:region", kwargs={"code": row["region"].code}),
            ),
            Column(_("区划代码"), "region.code", css="mono nowrap"),
            *[_status_column(code, label) for code, label in Status.choices],
            Column(_("合计"), "total", numeric=True),
        ]
        super().__init__(rows, request=request, columns=columns)
