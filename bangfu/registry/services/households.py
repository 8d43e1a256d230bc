"""Writing households from pages (and anything else that edits one household at a time).

`update_household` is the optimistic lock: it applies the changes only if the household is still
at the version the user read (a conditional UPDATE … WHERE version = expected), records a status
change when the status moves, and writes the audit entry. `change_history` turns the household's
audit entries into rows a page can show, with Chinese field labels and masked personal data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core import audit
from bangfu.core.choices import AuditAction, ChangeSource
from bangfu.core.models import AuditEntry
from bangfu.core.privacy import id_number_for, phone_for
from bangfu.core.scoping import user_can_reach_region

from .. import copies
from ..choices import Cause, Status
from ..models import HOUSEHOLD_FIELDS, Household, Member, MemberSurvey, StatusChange, Survey

# Fields a page may change through update_household (version and timestamps are managed here).
EDITABLE_FIELDS = HOUSEHOLD_FIELDS


class ConcurrentEditError(ValidationError):
    """The household was changed by someone else after the user read it."""


def conflict_message(household: Household) -> str:
    last = AuditEntry.objects.for_subject(household).order_by("-time", "-id").first()
    if last is not None:
        detail = _("%(who)s 于 %(when)s") % {
            "who": last.username or _("系统"),
            "when": timezone.localtime(last.time).strftime("%Y-%m-%d %H:%M"),
        }
    else:
        detail = _("当前版本 %(v)s") % {"v": household.version}
    return _("该户已被其他用户修改（%(detail)s），请刷新后重试。") % {"detail": detail}


def _normalise(changes: dict) -> dict:
    out = {}
    for key, value in changes.items():
        if key not in EDITABLE_FIELDS and key != "region_id":
            raise ValueError(f"{key} cannot be changed through update_household")
        out[key] = value
    return out


def update_household(
    household: Household,
    changes: dict,
    expected_version: int,
    reason: str = "",
    status_date: datetime.date | None = None,
) -> Household:
    """Apply `changes` if the household is still at `expected_version`; else ConcurrentEditError.

    A status change writes a StatusChange (date, previous status, reason); a change of region or
    category brings the copies on the household's records in step (`registry.copies`). The
    household object passed in is refreshed from the database afterwards.
    """
    fields = Household.get_audit_fields()
    changes = _normalise(changes)
    with transaction.atomic():
        row = Household.objects.filter(pk=household.pk).values(*fields, "version").first()
        if row is None:
            raise Household.DoesNotExist
        if row["version"] != expected_version:
            raise ConcurrentEditError(conflict_message(household), code="stale")
        updated = Household.objects.filter(pk=household.pk, version=expected_version).update(
            **changes, version=F("version") + 1, updated=timezone.now()
        )
        if not updated:  # someone saved between our read and our write
            raise ConcurrentEditError(conflict_message(household), code="stale")
        household.refresh_from_db()
        before = {k: audit.to_json(row[k]) for k in fields}
        after = audit.snapshot(household, fields)
        if before != after:
            audit.entry(
                AuditAction.UPDATE,
                Household._meta.label_lower,
                household.pk,
                str(household),
                Household._meta.label_lower,
                household.pk,
                before,
                after,
            ).save()
        if row["region_id"] != household.region_id or row["category"] != household.category:
            copies.on_households_changed([household.pk])
        if row["status"] != household.status:
            StatusChange.objects.create(
                household=household,
                date=status_date or timezone.localdate(),
                status=household.status,
                previous_status=row["status"],
                reason=reason,
            )
    return household


def create_household(
    user, data: dict, reason: str = "", status_date: datetime.date | None = None
) -> Household:
    """A new household in the user's area, with its first status entry."""
    region = data.get("region")
    region_code = region.pk if isinstance(region, models.Model) else data.get("region_id")
    if not region_code or not user_can_reach_region(user, region_code):
        raise PermissionDenied
    with transaction.atomic():
        household = Household.objects.create(**data)
        StatusChange.objects.create(
            household=household,
            date=status_date or timezone.localdate(),
            status=household.status,
            reason=reason or "建档立卡",  # stored data: the same in every language
        )
    return household


# ---- change history ----------------------------------------------------------------------

HIDDEN_FIELDS = {"household_id", "survey_id", "member_id"}
ID_FIELDS = {"id_number"}
PHONE_FIELDS = {"phone"}


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class HistoryPart:
    """A record nested in a household's entry (an import writes one entry per household):
    its survey, its status change, each member with that year's facts."""

    title: str
    created: bool
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class HistoryRow:
    entry: AuditEntry
    action: str
    model_name: str
    object_repr: str
    source: str
    changes: list[FieldChange] = field(default_factory=list)
    parts: list[HistoryPart] = field(default_factory=list)


# Keys of a household entry holding nested records (see registry.services.importer._Change).
NESTED_KEYS = ("survey", "status_change", "members")


def _display(model, name: str, value, user) -> str:
    if value is None or value == "":
        return "—"
    if name in ID_FIELDS:
        return id_number_for(user, str(value))
    if name in PHONE_FIELDS:
        return phone_for(user, str(value))
    if name == "other_causes":
        labels = dict(Cause.choices)
        return "、".join(str(labels.get(c, c)) for c in str(value).split(";") if c) or "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    try:
        f = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    return str(value)


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def change_history(household: Household, user, limit: int = 200) -> list[HistoryRow]:
    """The household's audit entries (its own, its members', surveys' and status changes'),
    newest first, ready for display: labels in the user's language, personal data masked."""
    actions = dict(AuditAction.choices)
    sources = dict(ChangeSource.choices)
    member_names = dict(household.members.values_list("pk", "name"))
    survey_years = dict(household.surveys.values_list("pk", "year"))
    rows = []
    for e in AuditEntry.objects.for_subject(household)[:limit]:
        try:
            model = apps.get_model(e.object_type)
        except (LookupError, ValueError):
            model = None
        row = HistoryRow(
            entry=e,
            action=str(actions.get(e.action, e.action)),
            model_name=str(model._meta.verbose_name) if model else e.object_type,
            object_repr=e.object_repr,
            source=str(sources.get(e.source, e.source)),
        )
        values = e.after or e.before or {}
        if e.object_type == "registry.survey" and "year" in values:
            row.object_repr = _("%(year)s 年度") % {"year": values["year"]}
        elif e.object_type == "registry.membersurvey":
            name = member_names.get(values.get("member_id"), "")
            year = survey_years.get(values.get("survey_id"), "")
            row.object_repr = f"{name} {year}".strip() or e.object_repr
        for name, before, after in e.changed_fields():
            if name in HIDDEN_FIELDS or model is None:
                continue
            if model is Household and name in NESTED_KEYS:
                continue
            row.changes.append(
                FieldChange(
                    _label(model, name),
                    _display(model, name, before, user),
                    _display(model, name, after, user),
                )
            )
        if model is Household:
            row.parts = _nested_parts(e, user)
        rows.append(row)
    return rows


def _changes(model, before: dict | None, after: dict | None, user) -> list[FieldChange]:
    """The differing fields of two value dicts of `model`, labelled and masked for `user`."""
    before, after = before or {}, after or {}
    out = []
    for name in dict.fromkeys([*before, *after]):
        if name in HIDDEN_FIELDS or name == "id" or name == "facts" or name == "name":
            continue
        old, new = before.get(name), after.get(name)
        if old != new:
            out.append(
                FieldChange(
                    _label(model, name),
                    _display(model, name, old, user),
                    _display(model, name, new, user),
                )
            )
    return out


def _nested_parts(e: AuditEntry, user) -> list[HistoryPart]:
    """The survey, status change and members nested in a household's entry, as page parts."""
    before, after = e.before or {}, e.after or {}
    parts = []
    if "survey" in before or "survey" in after:
        old, new = before.get("survey"), after.get("survey")
        year = (new or old or {}).get("year", "")
        title = f"{Survey._meta.verbose_name} {_('%(year)s 年度') % {'year': year}}"
        changes = _changes(Survey, old, new, user)
        # The year names the survey; it is a change only for a new survey.
        if old is not None:
            changes = [c for c in changes if c.label != _label(Survey, "year")]
        parts.append(HistoryPart(title, old is None, changes))
    if after.get("status_change"):
        parts.append(
            HistoryPart(
                str(StatusChange._meta.verbose_name),
                True,
                _changes(StatusChange, None, after["status_change"], user),
            )
        )
    old_members = {m.get("id"): m for m in before.get("members") or []}
    new_members = {m.get("id"): m for m in after.get("members") or []}
    for mid in dict.fromkeys([*new_members, *old_members]):
        old, new = old_members.get(mid), new_members.get(mid)
        name = (new or {}).get("name") or (old or {}).get("name") or ""
        created = old is None and "id_number" in (new or {})
        changes = _changes(Member, old, new, user)
        if created or (old and "name" in old):
            changes.insert(
                0,
                FieldChange(
                    _label(Member, "name"),
                    _display(Member, "name", (old or {}).get("name"), user),
                    name or "—",
                ),
            )
        old_facts, new_facts = (old or {}).get("facts"), (new or {}).get("facts")
        changes += _changes(MemberSurvey, old_facts, new_facts, user)
        title = f"{Member._meta.verbose_name} {name}"
        parts.append(HistoryPart(title.strip(), created, changes))
    return parts


def status_choices_for_change(current: str) -> list[tuple[str, str]]:
    return [(c, label) for c, label in Status.choices if c != current]
