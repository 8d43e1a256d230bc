"""Administrators' changes to standards: a local standard with its first version, copying a
version to a new one to edit it (a used version is immutable). Every write is audited."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from ..models import Standard, StandardItem, StandardVersion


@transaction.atomic
def create_standard(code: str, name: str, province: str, subject: str = "household") -> Standard:
    standard = Standard(code=code, name=name, province=province, subject=subject)
    standard.save()
    StandardVersion(standard=standard, number=1, note="").save()
    return standard


@transaction.atomic
def copy_version(version: StandardVersion, note: str = "") -> StandardVersion:
    """A new version (next number) with copies of `version`'s items, free to edit."""
    Standard.objects.select_for_update().filter(pk=version.standard_id).first()
    top = version.standard.versions.aggregate(m=Max("number"))["m"] or 0
    new = StandardVersion(
        standard=version.standard, number=top + 1, note=note or f"copy of v{version.number}"
    )
    new.save()
    for item in version.items.order_by("order"):
        StandardItem(
            version=new,
            code=item.code,
            order=item.order,
            name=item.name,
            active_from=item.active_from,
            active_to=item.active_to,
            expression=item.expression,
        ).save()
    return new
