"""The allow-list of models that may own attachments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Attachable:
    model: type[models.Model]
    # Permission to add or delete attachments of a record ("app.change_model").
    permission: str

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_attachables: dict[str, Attachable] = {}


def register_attachable(model: type[models.Model], permission: str | None = None) -> Attachable:
    """Allow `model` to own attachments (idempotent). `permission` defaults to the owner's change
    permission. The model must have a scoped manager (`Model.objects.for_user`)."""
    if not hasattr(model.objects, "for_user"):
        raise TypeError(f"{model.__name__} has no scoped manager: it cannot own attachments")
    opts = model._meta
    entry = Attachable(model, permission or f"{opts.app_label}.change_{opts.model_name}")
    _attachables[entry.label] = entry
    return entry


def attachable_models() -> list[Attachable]:
    return list(_attachables.values())


def get_attachable(label: str) -> Attachable | None:
    return _attachables.get(label)


def is_attachable(model_or_obj) -> bool:
    return model_or_obj._meta.label_lower in _attachables


def unregister_attachable(model: type[models.Model]) -> None:
    """Remove a model from the allow-list (tests)."""
    _attachables.pop(model._meta.label_lower, None)
