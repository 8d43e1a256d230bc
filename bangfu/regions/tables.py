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
