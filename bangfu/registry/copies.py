"""Copies of household facts on the records that hang off a household, kept in step here.

The region figures and lists of the money apps filter by region; reaching the region through
the household (job ⋈ member ⋈ household, loan ⋈ household, …) was most of their cost on a
province's 200,000 households (docs/benchmarks.md, "Money pages, round 3"). So four records carry
a copy of their household's fact in a column of their own:

| record | column | the truth |
|---|---|---|
| `employment.Job` | `region` | the job's member's household's region |
| `credit.Loan` | `region` | the loan's household's region |
| `commitments.Commitment` | `region` | the commitment's household's region |
| `cooperatives.Membership` | `poor` | the member household is registered and not 一般农户 |

Who keeps them in step:
- a saved record fills its own copy (`fill()`, called from the models' `save()`); code that
  writes these records with `bulk_create` calls `fill_many()` on them first (one query);
- `on_households_changed(ids)`: set-based UPDATEs of the four copies for those households,
  called by `services.households.update_household` (page, API, exits' 销号), `Household.save()`
  and the registry import (after its merge, in the same transaction, for the households whose
  region or category changed or that received a member from another household);
- `on_members_moved(ids)`: the jobs of members that moved to another household (`Member.save()`;
  the import covers its moves through the receiving household);
- `check_household_copies()` counts the rows whose copy differs from the truth and
  `rebuild_household_copies()` rewrites them (`bangfu check-household-copies [--rebuild]`).

The copies are derived columns, not registry data: they are not audited (`get_audit_fields`
leaves them out, the UPDATEs here write no entry). Every change to the facts they copy — a
household's region or category, a member's household — is audited where it is made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

CHUNK = 5000  # household ids per statement (SQLite's limit on parameters is 32,766)

# Columns that are copies, per model label: left out of the audit snapshot.
DERIVED_FIELDS = {
    "employment.job": ("region_id",),
    "credit.loan": ("region_id",),
    "commitments.commitment": ("region_id",),
    "cooperatives.membership": ("poor",),
}


def audit_fields(model) -> tuple[str, ...]:
    """The model's audited fields without its copies (for `get_audit_fields`)."""
    derived = DERIVED_FIELDS.get(model._meta.label_lower, ())
    return tuple(
        f.attname
        for f in model._meta.concrete_fields
        if (not f.primary_key or not f.auto_created) and f.attname not in derived
    )


def _non_poor() -> str:
    from .choices import Category

    return Category.NON_POOR.value


@dataclass(frozen=True)
class Copy:
    """One copied column: `truth` is a correlated SQL expression over the row's table name,
    `join` the FROM … of the check (alias `t` for the row, `h` for the household), `mismatch`
    the check's condition, `by_household` the rows of households `%s` (a list placeholder)."""

    name: str
    model: str
    column: str
    truth: str
    join: str
    mismatch: str
    by_household: str

    @property
    def table(self) -> str:
        return apps.get_model(self.model)._meta.db_table


def copies() -> list[Copy]:
    T = lambda label: apps.get_model(label)._meta.db_table  # noqa: E731
    household, member = T("registry.Household"), T("registry.Member")
    job, loan, commitment, membership = (
        T("employment.Job"),
        T("credit.Loan"),
        T("commitments.Commitment"),
        T("cooperatives.Membership"),
    )
    non_poor = _non_poor()
    poor_truth = (
        f"(CASE WHEN {membership}.household_id IS NULL THEN FALSE ELSE "
        f"(SELECT h.category <> '{non_poor}' FROM {household} h "
        f"WHERE h.id = {membership}.household_id) END)"
    )
    return [
        Copy(
            "employment.job.region",
            "employment.Job",
            "region_id",
            f"(SELECT h.region_id FROM {member} m JOIN {household} h ON h.id = m.household_id "
            f"WHERE m.id = {job}.member_id)",
            f"{job} t JOIN {member} m ON m.id = t.member_id "
            f"JOIN {household} h ON h.id = m.household_id",
            "t.region_id IS NULL OR t.region_id <> h.region_id",
            f"{job}.member_id IN (SELECT id FROM {member} WHERE household_id IN (%s))",
        ),
        Copy(
            "credit.loan.region",
            "credit.Loan",
            "region_id",
            f"(SELECT h.region_id FROM {household} h WHERE h.id = {loan}.household_id)",
            f"{loan} t JOIN {household} h ON h.id = t.household_id",
            "t.region_id IS NULL OR t.region_id <> h.region_id",
            f"{loan}.household_id IN (%s)",
        ),
        Copy(
            "commitments.commitment.region",
            "commitments.Commitment",
            "region_id",
            f"(SELECT h.region_id FROM {household} h WHERE h.id = {commitment}.household_id)",
            f"{commitment} t JOIN {household} h ON h.id = t.household_id",
            "t.region_id IS NULL OR t.region_id <> h.region_id",
            f"{commitment}.household_id IN (%s)",
        ),
        Copy(
            "cooperatives.membership.poor",
            "cooperatives.Membership",
            "poor",
            poor_truth,
            f"{membership} t LEFT JOIN {household} h ON h.id = t.household_id",
            f"t.poor IS NULL OR t.poor <> (CASE WHEN h.id IS NOT NULL "
            f"AND h.category <> '{non_poor}' THEN TRUE ELSE FALSE END)",
            f"{membership}.household_id IN (%s)",
        ),
    ]


def _update(copy: Copy, where: str = "", params: Iterable = ()) -> int:
    """UPDATE the copy to the truth on the rows where it differs (and `where` holds)."""
    table = copy.table
    sql = (
        f"UPDATE {table} SET {copy.column} = {copy.truth} "
        f"WHERE ({table}.{copy.column} IS NULL OR {table}.{copy.column} <> {copy.truth})"
    )
    if where:
        sql += f" AND {where}"
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.rowcount


def on_households_changed(household_ids: Iterable[int]) -> int:
    """Bring the four copies of these households' records in step (after a change of region or
    category, or a member moving in): one UPDATE per copy and chunk of ids, only rows that
    differ are written. Returns the number of rows changed."""
    ids = sorted({int(i) for i in household_ids})
    if not ids:
        return 0
    changed = 0
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            for copy in copies():
                changed += _update(copy, copy.by_household % marks, chunk)
    return changed


def on_members_moved(member_ids: Iterable[int]) -> int:
    """The jobs of members now in another household follow that household's region."""
    ids = sorted({int(i) for i in member_ids})
    if not ids:
        return 0
    (job,) = [c for c in copies() if c.model == "employment.Job"]
    changed = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        changed += _update(job, f"{job.table}.member_id IN ({marks})", chunk)
    return changed


def check_household_copies() -> dict[str, int]:
    """{copy name: rows whose copy differs from the truth}: one query per copy."""
    counts = {}
    with connection.cursor() as cursor:
        for copy in copies():
            cursor.execute(f"SELECT COUNT(*) FROM {copy.join} WHERE {copy.mismatch}")
            counts[copy.name] = cursor.fetchone()[0]
    return counts


def rebuild_household_copies() -> dict[str, int]:
    """Rewrite every copy that differs from the truth: {copy name: rows rewritten}."""
    with transaction.atomic():
        return {copy.name: _update(copy) for copy in copies()}


# ---- filling one record, or a list before bulk_create ------------------------------------------


def fill(obj) -> None:
    """Set `obj`'s copy from its household (one query), before it is saved."""
    fill_many([obj])


def fill_many(objs: list) -> None:
    """Set the copies of unsaved or edited Job, Loan, Commitment and Membership objects from
    their households: one query per model, whatever the number of objects (for `bulk_create`)."""
    Household = apps.get_model("registry", "Household")
    Member = apps.get_model("registry", "Member")
    jobs = [o for o in objs if o._meta.label_lower == "employment.job"]
    if jobs:
        regions = dict(
            Member.objects.filter(pk__in={o.member_id for o in jobs}).values_list(
                "pk", "household__region_id"
            )
        )
        for o in jobs:
            o.region_id = regions.get(o.member_id)
    by_household = [
        o for o in objs if o._meta.label_lower in ("credit.loan", "commitments.commitment")
    ]
    members = [o for o in objs if o._meta.label_lower == "cooperatives.membership"]
    wanted = {o.household_id for o in by_household + members if o.household_id}
    if not wanted:
        for o in members:
            o.poor = False
        return
    rows = {
        r[0]: r[1:]
        for r in Household.objects.filter(pk__in=wanted).values_list("pk", "region_id", "category")
    }
    non_poor = _non_poor()
    for o in by_household:
        row = rows.get(o.household_id)
        o.region_id = row[0] if row else None
    for o in members:
        row = rows.get(o.household_id) if o.household_id else None
        o.poor = row is not None and row[1] != non_poor


def save_kwargs(obj, kwargs: dict) -> dict:
    """Fill `obj`'s copy and make sure a `save(update_fields=…)` writes it too."""
    fill(obj)
    update_fields = kwargs.get("update_fields")
    if update_fields is not None:
        (column,) = DERIVED_FIELDS[obj._meta.label_lower]
        name = column.removesuffix("_id")
        kwargs["update_fields"] = {*update_fields, name}
    return kwargs
