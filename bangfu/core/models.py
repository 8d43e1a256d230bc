"""Shared records: the audit log and import batches.

The audit log is append-only: AuditEntry refuses updates and deletes at the model level, the
admin shows it read-only and no API or form writes it. Every change to regions and registry
data lands here, whether it came from a page, the API, an import or a command.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction, ChangeSource, ImportStatus


class AuditLogImmutable(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D401 - refuses
        raise AuditLogImmutable("audit entries cannot be changed")

    def delete(self):
        raise AuditLogImmutable("audit entries cannot be deleted")

    def for_subject(self, obj) -> "AuditEntryQuerySet":
        return self.filter(subject_type=obj._meta.label_lower, subject_id=str(obj.pk))


class AuditEntry(models.Model):
    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        # No database-level constraint on the audit log's two references (see below).
        db_constraint=False,
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=ChangeSource.choices)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    import_batch = models.ForeignKey(
        "core.ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
        # Django still applies SET_NULL / PROTECT when a user or batch is deleted (its deletion
        # collector does that, not the database). A foreign-key constraint here only made the
        # database look up the user and the batch again for every audit row at COMMIT: an
        # import of a county writes ~870,000 audit rows, and those checks cost ≈ 4 µs each on
        # PostgreSQL (docs/benchmarks.md). The columns keep their indexes.
        db_constraint=False,
    )
    action = models.CharField(_("操作"), max_length=8, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    # The record whose page shows this entry (a member's change shows on its household).
    subject_type = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=64)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "time"])]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogImmutable("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("audit entries cannot be deleted")

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class ImportBatch(models.Model):
    """One file brought in by a user or a command: its progress, outcome and error report."""

    kind = models.CharField(_("类型"), max_length=32)
    filename = models.CharField(_("文件名"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    partial = models.BooleanField(_("部分写入"), default=False)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    rows_rejected = models.PositiveIntegerField(_("被拒绝行数"), default=0)
    households_written = models.PositiveIntegerField(_("写入户数"), default=0)
    message = models.TextField(_("说明"), blank=True)
    error_file = models.CharField(_("错误报告"), max_length=255, blank=True)
    # Region code prefix the importing user may write to ("" = everywhere).
    scope = models.CharField(max_length=15, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.get_status_display()})"

    @property
    def is_sheet(self) -> bool:
        """An import of an issue-4 spreadsheet from its upload page: "funds:allocations",
        "economy:loans", … (`funds.services.importer.start_upload`)."""
        return self.kind.startswith(("funds:", "economy:"))

    @property
    def progress_percent(self) -> int:
        if not self.rows_total:
            return 0 if self.status in (ImportStatus.PENDING, ImportStatus.RUNNING) else 100
        return min(100, round(100 * self.rows_done / self.rows_total))


from .attachments.model import Attachment  # noqa: E402,F401  (Django finds it here)
