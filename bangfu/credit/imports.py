"""The upload page of the economy import (`/credit/import/`): a file and its kind (cooperatives
and their parts, loan products and loans, agreements and jobs, purchases, commitments and
payments); the import runs in the background (`funds.services.importer.start_upload`) through
the one sheet mechanism (`funds.services.sheets`), scoped to the user, all or nothing unless
部分写入, and the page goes to the import's batch page: progress, then the counts, the first
errors (row, column, value, reason) and the full error report."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from bangfu.core.generic import BaseView
from bangfu.funds.services.sheets import all_layouts

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
        return self.render(UploadForm(layouts=layouts), layouts)

    def post(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        from bangfu.funds.services.importer import start_upload

        layouts = economy_layouts(request.user)
        if not layouts:
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES, layouts=layouts)
        if not form.is_valid():
            return self.render(form, layouts, status=400)
        layout = layouts[form.cleaned_data["kind"]]
        batch = start_upload(
            request.user,
            layout,
            form.cleaned_data["file"],
            form.cleaned_data["partial"],
            page="economy",
        )
        return redirect("imports-batch", pk=batch.pk)

    def render(self, form, layouts, status: int = 200):
        from bangfu.core.models import ImportBatch

        batches = ImportBatch.objects.filter(user=self.request.user, kind__startswith="economy:")[
            :10
        ]
        return render(
            self.request,
            self.template_name,
            {"form": form, "batches": batches},
            status=status,
        )
