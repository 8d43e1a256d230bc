"""The Attachment model (imported into core.models so Django finds it)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..audit import AuditedModel
from .registry import attachable_models


def attachment_dir() -> Path:
    return Path(getattr(settings, "BANGFU_ATTACHMENT_DIR", settings.VAR_DIR / "attachments"))


class AttachmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """Attachments whose owner is in the user's scope: one OR of `object_id IN (scoped owner
        ids)` per attachable model, still one query."""
        q = Q(pk__in=[])
        for entry in attachable_models():
            owners = (
                entry.model.objects.for_user(user)
                .annotate(_attachment_owner=Cast("pk", CharField()))
                .values("_attachment_owner")
            )
            content_type = ContentType.objects.get_for_model(entry.model)
            q |= Q(content_type=content_type, object_id__in=owners)
        return self.filter(q)

    def of(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        )


class Attachment(AuditedModel):
    """A file (photo, scan, document) attached to a record; the file is on disk at `stored_name`
    under `attachment_dir()`, never under the user's file name."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("所属记录类型"), on_delete=models.PROTECT
    )
    object_id = models.CharField(_("所属记录"), max_length=64)
    owner = GenericForeignKey("content_type", "object_id")
    original_name = models.CharField(_("文件名"), max_length=255)
    media_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    stored_name = models.CharField(_("存储名"), max_length=100, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        app_label = "core"
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.original_name

    @property
    def path(self) -> Path:
        return attachment_dir() / self.stored_name

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")

    def audit_subject(self):
        owner = self.owner
        return owner if owner is not None else self
