"""The upload page of the loans/jobs import (`/credit/import/`): a file and its kind; the import
runs at once (the counties' files are small) through the same importer as the command, scoped to
the user, all or nothing, and the page shows the counts or every error (row, column, value,
reason)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from bangfu.core.generic import BaseView

from .management.commands.import_economy import KINDS, can_import, importer
from .models import Loan

KIND_LABELS = {"loans": _("扶贫小额信贷"), "jobs": _("就业")}
MAX_UPLOAD = 20 * 1024 * 1024


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("数据类型"), choices=list(KIND_LABELS.items()))
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))

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

    def allowed(self) -> list[str]:
        return [k for k in KINDS if can_import(self.request.user, k)]

    def get(self, request, *args, **kwargs):
        if not self.allowed():
            raise PermissionDenied
        return render(request, self.template_name, {"form": UploadForm()})

    def post(self, request, *args, **kwargs):
        allowed = self.allowed()
        if not allowed:
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            if kind not in allowed:
                raise PermissionDenied
            upload = form.cleaned_data["file"]
            handle, path = tempfile.mkstemp(suffix=Path(upload.name).suffix.lower())
            try:
                with os.fdopen(handle, "wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                result = importer(kind)(path, user=request.user)
            finally:
                os.unlink(path)
        return render(request, self.template_name, {"form": form, "result": result})
