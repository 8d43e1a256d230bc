"""Who changed what: the audit context and how models and bulk jobs write the audit log.

A change carries its context (user, source, request or import batch) through a context variable,
set by the middleware for web and API requests, by `audit_context()` in commands and imports.
Models inheriting `AuditedModel` record their own saves and deletes; bulk jobs build entries with
`entry()` and write them with `bulk_record()` so an import of a county is a few statements, not
one per object.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import decimal
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from django.db import models

from .choices import AuditAction, ChangeSource
from .models import AuditEntry


@dataclass(frozen=True)
class AuditContext:
    user_id: int | None = None
    username: str = ""
    source: str = ChangeSource.COMMAND
    request_id: str = ""
    import_batch_id: int | None = None
    # For web and API requests the user is read from the request when an entry is made, because
    # DRF authenticates tokens inside the view, after the middleware has run.
    request: object | None = None

    def actor(self) -> tuple[int | None, str]:
        if self.user_id is None and self.request is not None:
            user = getattr(self.request, "user", None)
            if user is not None and user.is_authenticated:
                return user.pk, user.get_username()
        return self.user_id, self.username


_current: contextvars.ContextVar[AuditContext] = contextvars.ContextVar(
    "bangfu_audit_context",
    default=AuditContext(),  # noqa: B039 - a frozen dataclass, never mutated
)


def current_context() -> AuditContext:
    return _current.get()


@contextlib.contextmanager
def audit_context(
    user=None,
    source: str | None = None,
    request_id: str | None = None,
    import_batch=None,
    request=None,
) -> Iterator[AuditContext]:
    """Run a block with the given actor; unspecified parts are inherited from the outer context."""
    ctx = _current.get()
    changes: dict = {}
    if user is not None:
        changes["user_id"] = user.pk if user.is_authenticated else None
        changes["username"] = user.get_username() if user.is_authenticated else ""
    if source is not None:
        changes["source"] = source
    if request_id is not None:
        changes["request_id"] = request_id
    elif "request_id" not in changes and not ctx.request_id:
        changes["request_id"] = uuid.uuid4().hex
    if import_batch is not None:
        changes["import_batch_id"] = import_batch.pk
    if request is not None:
        changes["request"] = request
    token = _current.set(replace(ctx, **changes))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def to_json(value):
    """A value as the audit log stores it: JSON-safe and stable for comparison."""
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict:
    return {f: to_json(getattr(obj, f)) for f in fields}


def entry(
    action: str,
    object_type: str,
    object_id,
    object_repr: str,
    subject_type: str,
    subject_id,
    before: dict | None,
    after: dict | None,
    ctx: AuditContext | None = None,
) -> AuditEntry:
    """An unsaved audit entry in the current (or given) context."""
    ctx = ctx or current_context()
    user_id, username = ctx.actor()
    return AuditEntry(
        user_id=user_id,
        username=username,
        source=ctx.source,
        request_id=ctx.request_id,
        import_batch_id=ctx.import_batch_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=str(object_repr)[:200],
        subject_type=subject_type,
        subject_id=str(subject_id),
        before=before,
        after=after,
    )


def bulk_record(entries: list[AuditEntry], batch_size: int = 2000) -> None:
    if entries:
        AuditEntry.objects.bulk_create(entries, batch_size=batch_size)


class AuditedModel(models.Model):
    """Base for models whose every change must be in the audit log.

    Subclasses list the audited fields in `audit_fields` (default: all concrete non-pk fields)
    and may point `audit_subject()` at the record whose page should show the change.
    """

    audit_fields: tuple[str, ...] | None = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        fields = self.get_audit_fields()
        before = None
        if self.pk is not None and not self._state.adding:
            before = type(self)._base_manager.filter(pk=self.pk).values(*fields).first()
            before = {k: to_json(v) for k, v in before.items()} if before else None
        super().save(*args, **kwargs)
        after = snapshot(self, fields)
        if before is None:
            self._audit_entry(AuditAction.CREATE, None, after).save()
        elif before != after:
            self._audit_entry(AuditAction.UPDATE, before, after).save()

    def delete(self, *args, **kwargs):
        before = snapshot(self, self.get_audit_fields())
        audit = self._audit_entry(AuditAction.DELETE, before, None)
        result = super().delete(*args, **kwargs)
        audit.save()
        return result

    @classmethod
    def get_audit_fields(cls) -> tuple[str, ...]:
        if cls.audit_fields is not None:
            return cls.audit_fields
        return tuple(
            f.attname for f in cls._meta.concrete_fields if not f.primary_key or not f.auto_created
        )

    def audit_subject(self) -> models.Model:
        return self

    def _audit_entry(self, action: str, before: dict | None, after: dict | None) -> AuditEntry:
        subject = self.audit_subject()
        return entry(
            action,
            self._meta.label_lower,
            self.pk,
            str(self),
            subject._meta.label_lower,
            subject.pk,
            before,
            after,
        )
