"""The web pages of the registry import and export.

Upload → the import runs in a background thread → the batch page polls its progress with htmx
every second → the outcome with counts, the first errors on screen and the full error report
as a download. The batch and its report are shown only to the user who ran it or an
administrator (anyone else gets a 404, which does not confirm the batch exists).
"""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ..choices import ImportStatus
from ..models import ImportBatch
from ..scoping import user_region_code
from .runner import run_in_background

IMPORT_PERM = "registry.import_registry"
EXPORT_PERM = "registry.export_registry"
SHOW_ERRORS = 50
FINISHED = (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.PARTIAL, ImportStatus.FAILED)


def upload_dir() -> Path:
    path = Path(settings.BANGFU_IMPORT_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _is_admin(user) -> bool:
    return user.is_superuser or user_region_code(user) == "" and user.has_perm(IMPORT_PERM)


def _batch_for(request: HttpRequest, pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch, pk=pk)
    if batch.user_id != request.user.pk and not _is_admin(request.user):
        raise Http404
    return batch


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("建档立卡信息表（.xlsx 或 .csv）"))
    partial = forms.BooleanField(
        label=gettext_lazy("部分写入：跳过有错误的户，写入其余各户"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".xlsx", ".csv"):
            raise forms.ValidationError(_("请上传 .xlsx 或 .csv 文件"))
        return upload


def _run_registry_import(batch_id: int, path: Path, lang: str) -> None:
    from bangfu.registry.services.importer import import_registry

    def job(batch: ImportBatch) -> None:
        try:
            import_registry(
                path,
                user=batch.user,
                partial=batch.partial,
                lang=lang,
                batch=batch,
                filename=batch.filename,
            )
        finally:
            path.unlink(missing_ok=True)

    run_in_background(batch_id, job)


class RegistryImportView(View):
    """Upload form; a valid upload starts the import and redirects to its batch page."""

    template_name = "imports/upload.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(IMPORT_PERM):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        batches = ImportBatch.objects.filter(user=request.user, kind="registry")[:10]
        return render(request, self.template_name, {"form": UploadForm(), "batches": batches})

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "batches": []}, status=400)
        upload = form.cleaned_data["file"]
        batch = ImportBatch.objects.create(
            kind="registry",
            filename=Path(upload.name).name[:255],
            user=request.user,
            partial=form.cleaned_data["partial"],
            scope=user_region_code(request.user) or "",
        )
        path = upload_dir() / f"batch-{batch.pk}{Path(upload.name).suffix.lower()}"
        with open(path, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        _run_registry_import(batch.pk, path, translation.get_language() or "zh-hans")
        return redirect("imports-batch", pk=batch.pk)


def _first_errors(batch: ImportBatch) -> list[tuple]:
    if not batch.error_file or not Path(batch.error_file).exists():
        return []
    import openpyxl

    workbook = openpyxl.load_workbook(batch.error_file, read_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(
            min_row=2, max_row=SHOW_ERRORS + 1, values_only=True
        )
        return [tuple(r) for r in rows]
    finally:
        workbook.close()


def _context(batch: ImportBatch) -> dict:
    finished = batch.status in FINISHED
    return {
        "batch": batch,
        "finished": finished,
        "errors": _first_errors(batch) if finished else [],
        "show_errors": SHOW_ERRORS,
    }


class BatchView(View):
    """The batch page: progress while running, outcome when finished."""

    model = ImportBatch  # names the model for the generic access test

    def get(self, request, pk: int):
        batch = _batch_for(request, pk)
        return render(request, "imports/batch.html", _context(batch))


class BatchProgressView(View):
    """The fragment htmx polls every second; it stops polling once the import has finished."""

    model = ImportBatch  # names the model for the generic access test

    def get(self, request, pk: int):
        batch = _batch_for(request, pk)
        return render(request, "imports/_progress.html", _context(batch))


class BatchErrorsView(View):
    """The error report as a download, for the user who ran the import or an administrator."""

    model = ImportBatch  # names the model for the generic access test

    def get(self, request, pk: int):
        batch = _batch_for(request, pk)
        if not batch.error_file or not Path(batch.error_file).exists():
            raise Http404
        name = _("%(name)s-错误报告.xlsx") % {"name": Path(batch.filename).stem}
        return FileResponse(open(batch.error_file, "rb"), as_attachment=True, filename=name)


class ExportForm(forms.Form):
    region = forms.CharField(label=gettext_lazy("区划代码"), required=False, max_length=15)
    year = forms.IntegerField(
        label=gettext_lazy("调查年度"),
        required=False,
        min_value=2014,
        max_value=2100,
        help_text=gettext_lazy("不填则取每户最近一年"),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("格式"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV (.csv)")]
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_region(self) -> str:
        from bangfu.regions.codes import InvalidRegionCode, normalize_code
        from bangfu.regions.models import Region

        raw = self.cleaned_data["region"].strip()
        scope = user_region_code(self.user) or ""
        if not raw:
            return scope
        try:
            code = normalize_code(raw)
        except InvalidRegionCode as exc:
            raise forms.ValidationError(str(exc)) from None
        if not code.startswith(scope) or not Region.objects.filter(pk=code).exists():
            raise forms.ValidationError(_("该区域不存在或不在您的管辖范围内"))
        return code


class RegistryExportView(View):
    """Export form; a submitted form downloads the file (masked for users without the
    personal-data permission — such a file cannot be re-imported)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(EXPORT_PERM):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        from bangfu.core.privacy import can_view_personal_data
        from bangfu.regions.models import Region

        if "format" not in request.GET:
            form = ExportForm(user=request.user, initial={"format": "xlsx"})
        else:
            form = ExportForm(request.GET, user=request.user)
            if form.is_valid():
                return self.download(request, form.cleaned_data)
        scope = user_region_code(request.user) or ""
        regions = Region.objects.filter(pk__startswith=scope, level__lte=5).order_by("code")[:500]
        return render(
            request,
            "imports/export.html",
            {"form": form, "regions": regions, "masked": not can_view_personal_data(request.user)},
            status=200 if form.is_bound is False or form.is_valid() else 400,
        )

    def download(self, request, data) -> HttpResponse:
        from bangfu.registry.services.exporter import export_registry

        fmt = data["format"]
        tmp = tempfile.TemporaryFile()
        export_registry(
            tmp, fmt, user=request.user, region=data["region"] or None, year=data["year"]
        )
        tmp.seek(0)
        stamp = datetime.date.today().strftime("%Y%m%d")
        name = _("建档立卡信息表-%(region)s-%(year)s-%(date)s.%(fmt)s") % {
            "region": data["region"] or _("全部"),
            "year": data["year"] or _("最新"),
            "date": stamp,
            "fmt": fmt,
        }
        return FileResponse(tmp, as_attachment=True, filename=name)


# --------------------------------------------------------------------------- assistance
# The designated-assistance import and export (bangfu/assistance/services/importer.py and
# exporter.py): the same upload → background job → batch page as the registry import.


def _assistance_kinds():
    from bangfu.assistance.services.layout import KINDS, sheet_label

    return [(kind, sheet_label(kind)) for kind in KINDS]


class AssistanceUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("帮扶数据表（.xlsx 或 .csv）"))
    kind = forms.ChoiceField(
        label=gettext_lazy("数据类型"),
        required=False,
        help_text=gettext_lazy("工作簿按工作表名称识别；CSV 不填则按表头识别"),
    )
    partial = forms.BooleanField(
        label=gettext_lazy("部分写入：跳过有错误的行，写入其余各行"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", gettext_lazy("自动识别")), *_assistance_kinds()]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".xlsx", ".csv"):
            raise forms.ValidationError(_("请上传 .xlsx 或 .csv 文件"))
        return upload


def _run_assistance_import(batch_id: int, path: Path, kind: str | None, lang: str) -> None:
    from bangfu.assistance.services.importer import import_assistance

    def job(batch: ImportBatch) -> None:
        try:
            import_assistance(
                path,
                kind=kind,
                user=batch.user,
                partial=batch.partial,
                lang=lang,
                batch=batch,
                filename=batch.filename,
            )
        finally:
            path.unlink(missing_ok=True)

    run_in_background(batch_id, job)


class AssistanceImportView(View):
    """Upload form of the assistance import; a valid upload starts it and shows its batch."""

    template_name = "imports/assistance_upload.html"

    def dispatch(self, request, *args, **kwargs):
        from bangfu.assistance.services.importer import can_import

        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        batches = ImportBatch.objects.filter(user=request.user, kind="assistance")[:10]
        return render(
            request, self.template_name, {"form": AssistanceUploadForm(), "batches": batches}
        )

    def post(self, request):
        form = AssistanceUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "batches": []}, status=400)
        upload = form.cleaned_data["file"]
        batch = ImportBatch.objects.create(
            kind="assistance",
            filename=Path(upload.name).name[:255],
            user=request.user,
            partial=form.cleaned_data["partial"],
            scope=user_region_code(request.user) or "",
        )
        path = upload_dir() / f"batch-{batch.pk}{Path(upload.name).suffix.lower()}"
        with open(path, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        _run_assistance_import(
            batch.pk,
            path,
            form.cleaned_data["kind"] or None,
            translation.get_language() or "zh-hans",
        )
        return redirect("imports-batch", pk=batch.pk)


class AssistanceExportForm(forms.Form):
    unit = forms.TypedChoiceField(
        label=gettext_lazy("帮扶单位"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy("只导出该单位及其后盾单位；不选则导出您管辖范围内的全部"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("数据类型"), required=False)
    format = forms.ChoiceField(
        label=gettext_lazy("格式"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV (.csv)")]
    )

    def __init__(self, *args, user=None, **kwargs):
        from bangfu.assistance.models import Unit

        super().__init__(*args, **kwargs)
        units = Unit.objects.for_user(user).order_by("path").values_list("pk", "name")[:1000]
        self.fields["unit"].choices = [("", "—"), *units]
        self.fields["kind"].choices = [
            ("", gettext_lazy("全部（每类一个工作表）")),
            *_assistance_kinds(),
        ]

    def clean(self):
        data = super().clean()
        if data.get("format") == "csv" and not data.get("kind"):
            self.add_error("kind", _("CSV 文件只能导出一类数据，请选择数据类型"))
        return data


class AssistanceExportView(View):
    """Export form; a submitted form downloads the user's scope in the exchange layout (masked
    for users without the personal-data permission — such a file cannot be re-imported)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("assistance.view_unit"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        from bangfu.assistance.services.importer import can_import
        from bangfu.core.privacy import can_view_personal_data

        if "format" not in request.GET:
            form = AssistanceExportForm(user=request.user, initial={"format": "xlsx"})
        else:
            form = AssistanceExportForm(request.GET, user=request.user)
            if form.is_valid():
                return self.download(request, form.cleaned_data)
        return render(
            request,
            "imports/assistance_export.html",
            {
                "form": form,
                "masked": not can_view_personal_data(request.user),
                "can_import": can_import(request.user),
            },
            status=200 if form.is_bound is False or form.is_valid() else 400,
        )

    def download(self, request, data) -> HttpResponse:
        from bangfu.assistance.models import Unit
        from bangfu.assistance.services.exporter import export_assistance

        fmt = data["format"]
        unit = None
        if data["unit"] is not None:
            unit = get_object_or_404(Unit.objects.for_user(request.user), pk=data["unit"])
        kinds = [data["kind"]] if data["kind"] else None
        tmp = tempfile.TemporaryFile()
        export_assistance(tmp, fmt, user=request.user, unit=unit, kinds=kinds)
        tmp.seek(0)
        stamp = datetime.date.today().strftime("%Y%m%d")
        name = _("帮扶数据-%(date)s.%(fmt)s") % {"date": stamp, "fmt": fmt}
        return FileResponse(tmp, as_attachment=True, filename=name)
