"""The upload page of the economy import (`/credit/import/`): a file and its kind (cooperatives
and their parts, loan products and loans, agreements and jobs, purchases, commitments and
payments); the import runs at once (the counties' files are small) through the one sheet
mechanism (`funds.services.sheets`), scoped to the user, all or nothing unless 部分写入, and the
page shows the counts or every error (row, column, value, reason)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from bangfu.core.generic import BaseView
from bangfu.funds.services.sheets import all_layouts, import_sheet

from .models import Loan

MAX_UPLOAD = 20 * 1024 * 1024


def economy_layouts(user) -> dict:
    """The non-funds kinds (funds have their own page) the user may import."""
    return {
        kind: layout
        for kind, layout in all_layouts().items()
        if layout.model._meta.app_label != "funds" and layout.can_import(user)
    }


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("数据类型"), choices=())
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    partial = forms.BooleanField(label=_("部分写入：跳过有错误的行，写入其余各行"), required=False)

    def __init__(self, *args, layouts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, layout.title) for k, layout in (layouts or {}).items()]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".xlsx", ".csv"):
            raise forms.ValidationError(_("请上传 .xlsx 或 .csv 文件"))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件太大（上限 20 MB）"))
        return upload


class EconomyImportView(BaseView):
    queryset = Loan.objects.all()
    template_name = "credit/import.html"

    def get(self, request, *args, **kwargs):
        layouts = economy_layouts(request.user)
        if not layouts:
            raise PermissionDenied
        return render(request, self.template_name, {"form": UploadForm(layouts=layouts)})

    def post(self, request, *args, **kwargs):
        layouts = economy_layouts(request.user)
        if not layouts:
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES, layouts=layouts)
        result = None
        if form.is_valid():
            layout = layouts[form.cleaned_data["kind"]]
            upload = form.cleaned_data["file"]
            handle, path = tempfile.mkstemp(suffix=Path(upload.name).suffix.lower())
            try:
                with os.fdopen(handle, "wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                result = import_sheet(path, layout, request.user, form.cleaned_data["partial"])
            finally:
                os.unlink(path)
        return render(
            request, self.template_name, {"form": form, "result": result, "partial": True}
        )
