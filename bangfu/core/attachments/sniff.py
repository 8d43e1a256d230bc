"""What a file is, judged by its content (magic bytes), not by its name or the browser's word."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    media_type: str
    extensions: tuple[str, ...]
    # Content types a browser may claim for it besides `media_type`.
    aliases: tuple[str, ...] = ()


JPEG = Kind("image/jpeg", (".jpg", ".jpeg"), ("image/jpg", "image/pjpeg"))
PNG = Kind("image/png", (".png",), ("image/x-png",))
PDF = Kind("application/pdf", (".pdf",), ("application/x-pdf",))
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
KINDS = (JPEG, PNG, PDF, DOCX, XLSX)
# Content types that claim nothing (some browsers send these for Office files).
GENERIC_TYPES = ("", "application/octet-stream", "binary/octet-stream")
ZIP_ENTRY = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}


def allowed_extensions() -> str:
    return "、".join(ext for kind in KINDS for ext in kind.extensions)


def sniff(upload) -> Kind | None:
    """The kind the file's bytes show, or None. Reads the head (and a zip's directory)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        for kind, entry in ZIP_ENTRY.items():
            if entry in names:
                return kind
    return None


def check_upload(upload, max_bytes: int) -> Kind:
    """The file's kind; a ValidationError naming the file and the reason when it is too big, of a
    type not accepted, or not the type its name or content type claims."""
    name = PurePath(upload.name or "").name
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("文件“%(name)s”太大（%(size)s），单个附件不能超过 %(limit)s。")
            % {"name": name, "size": human_size(upload.size), "limit": human_size(max_bytes)},
            code="too_big",
        )
    if not upload.size:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name}, code="empty")
    extension = PurePath(name).suffix.lower()
    claimed = [k for k in KINDS if extension in k.extensions]
    if not claimed:
        raise ValidationError(
            _("文件“%(name)s”的类型不允许上传；允许的类型：%(allowed)s。")
            % {"name": name, "allowed": allowed_extensions()},
            code="type",
        )
    kind = sniff(upload)
    if kind is None or kind is not claimed[0]:
        raise ValidationError(
            _("文件“%(name)s”的内容不是其扩展名 %(ext)s 所表示的类型，文件可能已损坏或被改名。")
            % {"name": name, "ext": extension},
            code="mismatch",
        )
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type not in GENERIC_TYPES and content_type not in (kind.media_type, *kind.aliases):
        raise ValidationError(
            _("文件“%(name)s”声明的类型 %(claimed)s 与其内容（%(actual)s）不符。")
            % {"name": name, "claimed": content_type, "actual": kind.media_type},
            code="mismatch",
        )
    return kind


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"
