"""Export of a list page (`?export=xlsx` or `?export=csv`): the records the page's FilterSet
selects from the user's scope — the same filters as the page and the API —, in the layout of the
import (`services/sheets.py`), personal numbers masked without `accounts.view_personal_data`.
Mixed into the list views of the funds, cooperatives, credit, employment, consumption and
commitments apps (`export_kind` names the layout)."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone

from .services.sheets import layout_for, write_export

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class ExportListMixin:
    export_kind = ""

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in CONTENT_TYPES and self.export_kind:
            return self.export(request, fmt)
        return super().get(request, *args, **kwargs)

    def export(self, request, fmt: str) -> HttpResponse:
        self.check_permission("view")
        layout = layout_for(self.export_kind)
        if not layout.can_export(request.user):
            raise PermissionDenied
        queryset = layout.queryset(request.user)
        filterset_class = self.filterset or layout.filterset
        if filterset_class is not None:
            filterset = filterset_class(request.GET, queryset=queryset, request=request)
            queryset = filterset.qs
        buffer = io.BytesIO()
        write_export([(layout, queryset)], buffer, fmt, request.user)
        response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
        name = f"{layout.kind}-{timezone.localdate().isoformat()}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
