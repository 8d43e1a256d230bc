"""Writing and removing attachments. A file on disk exists only for a committed row: a file
written in a transaction that fails is removed again (`files_atomic`), and a deleted row's file is
removed once the deletion commits."""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path, PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .model import Attachment, attachment_dir
from .registry import get_attachable
from .sniff import check_upload

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# Files written inside the innermost `files_atomic()` block, removed if it fails.
_written: contextvars.ContextVar[list[Path] | None] = contextvars.ContextVar(
    "bangfu_attachment_files", default=None
)


def max_bytes() -> int:
    return int(getattr(settings, "BANGFU_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


@contextlib.contextmanager
def files_atomic() -> Iterator[None]:
    """`transaction.atomic()` that also deletes the attachment files written inside it when the
    block raises (the rows are rolled back, so the files must go too)."""
    written: list[Path] = []
    token = _written.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    finally:
        _written.reset(token)


def safe_name(name: str) -> str:
    """The user's file name for display and Content-Disposition: no directories, no control
    characters, at most 255 characters (the extension kept)."""
    name = PurePath((name or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|*?:').strip()
    if len(name) > 255:
        suffix = PurePath(name).suffix[:20]
        name = name[: 255 - len(suffix)] + suffix
    return name if name.strip(".") else "file"


def _write(upload) -> tuple[str, str, int]:
    """Stream the upload to a new generated path; (stored name, sha256, size)."""
    today = timezone.localdate()
    stored = f"{today:%Y/%m}/{uuid.uuid4().hex}"
    path = attachment_dir() / stored
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    try:
        with open(path, "xb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    written = _written.get()
    if written is not None:
        written.append(path)
    return stored, digest.hexdigest(), size


def check_owner(owner) -> None:
    if get_attachable(owner._meta.label_lower) is None:
        raise ValidationError(
            _("%(model)s 不能添加附件。") % {"model": owner._meta.verbose_name},
            code="not_attachable",
        )


def attach(owner, upload, user=None) -> Attachment:
    """Check `upload` (size, type by content) and attach it to `owner`; audited. Raises a
    ValidationError naming the file and the reason; nothing is written then."""
    check_owner(owner)
    kind = check_upload(upload, max_bytes())
    stored, sha256, size = _write(upload)
    try:
        with transaction.atomic():
            attachment = Attachment(
                content_type=ContentType.objects.get_for_model(type(owner)),
                object_id=str(owner.pk),
                original_name=safe_name(upload.name),
                media_type=kind.media_type,
                size=size,
                sha256=sha256,
                stored_name=stored,
                uploaded_by=user if user is not None and user.is_authenticated else None,
            )
            attachment.owner = owner
            attachment.save()
    except BaseException:
        (attachment_dir() / stored).unlink(missing_ok=True)
        raise
    return attachment


def delete_attachment(attachment: Attachment) -> None:
    """Delete the row (audited); the file goes once the deletion is committed."""
    path = attachment.path
    attachment.delete()
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
