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
  no page or API moves a member, and the import refuses an ID number registered in another
  household — should it ever move one, the receiving household is in its list above);
- the jobs' totals per county (`employment.JobTotal`) move with the job's region: `_update`
  subtracts the changing jobs from their old county and adds them under the new one in one
  set-based statement just before the UPDATE of the copy, in its transaction;
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
from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

CHUNK = 5000  # household ids per statement (SQLite's limit on parameters is 32,766)

# Columns that are copies, per model label: left out of the audit snapshot.
DERIVED_FIELDS = {
    "employment.job": ("region_id",),
    "credit.loan": ("region_id",),
    "commitments.commitment": ("region_id",),
    "cooperatives.membership": ("poor",),
}


def region_copy_field() -> models.ForeignKey:
    """The `region` column of a record that copies its household's region (jobs, loans,
    commitments): not editable in forms, kept in step by this module, read by scope, the region
    filter and the region figures without joining households."""
    return models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        blank=True,
    )


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
    """One copied column: `table.column` should equal `v` of the row of `source` whose `k` is
    `table.key`. `source(where)` is a derived table (k, v) over the registry, narrowed by
    `where` (SQL on `h`, the household, with a `%s` list placeholder) when given. Rows whose
    `key` is NULL (a membership of a non-registered person) should hold `orphan`."""

    name: str
    model: str
    column: str
    key: str
    source_sql: str
    orphan: str | None = None

    @property
    def table(self) -> str:
        return apps.get_model(self.model)._meta.db_table

    def source(self, where: str = "") -> str:
        return self.source_sql + (f" WHERE {where}" if where else "")


def copies() -> list[Copy]:
    T = lambda label: apps.get_model(label)._meta.db_table  # noqa: E731
    household, member = T("registry.Household"), T("registry.Member")
    non_poor = _non_poor()
    return [
        Copy(
            "employment.job.region",
            "employment.Job",
            "region_id",
            "member_id",
            f"SELECT m.id AS k, h.region_id AS v FROM {member} m "
            f"JOIN {household} h ON h.id = m.household_id",
        ),
        Copy(
            "credit.loan.region",
            "credit.Loan",
            "region_id",
            "household_id",
            f"SELECT h.id AS k, h.region_id AS v FROM {household} h",
        ),
        Copy(
            "commitments.commitment.region",
            "commitments.Commitment",
            "region_id",
            "household_id",
            f"SELECT h.id AS k, h.region_id AS v FROM {household} h",
        ),
        Copy(
            "cooperatives.membership.poor",
            "cooperatives.Membership",
            "poor",
            "household_id",
            f"SELECT h.id AS k, CASE WHEN h.category <> '{non_poor}' THEN TRUE ELSE FALSE END "
            f"AS v FROM {household} h",
            orphan="FALSE",
        ),
    ]


def _update(copy: Copy, where: str = "", params: Iterable = ()) -> int:
    """UPDATE … FROM the truth (a join, the same SQL on SQLite ≥ 3.33 and PostgreSQL) on the
    rows where the copy differs; with `where`, only for the households it selects."""
    table, col, params = copy.table, copy.column, list(params)
    differs = f"x.k = {table}.{copy.key} AND ({table}.{col} IS NULL OR {table}.{col} <> x.v)"
    sql = f"UPDATE {table} SET {col} = x.v FROM ({copy.source(where)}) x WHERE {differs}"
    if copy.name == "employment.job.region":
        # The jobs' totals per county (employment.JobTotal) move with them: one statement over
        # the jobs this UPDATE changes, before it, in the same transaction.
        from bangfu.employment.services.totals import move_jobs

        move_jobs(
            f"JOIN ({copy.source(where)}) x ON x.k = {table}.{copy.key}",
            f"({table}.{col} IS NULL OR {table}.{col} <> x.v)",
            params,
            "x.v",
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        changed = cursor.rowcount
        if copy.orphan is not None and not where:
            cursor.execute(
                f"UPDATE {table} SET {col} = {copy.orphan} WHERE {copy.key} IS NULL "
                f"AND ({col} IS NULL OR {col} <> {copy.orphan})"
            )
            changed += cursor.rowcount
    return changed


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
            where = f"h.id IN ({', '.join(['%s'] * len(chunk))})"
            for copy in copies():
                changed += _update(copy, where, chunk)
    return changed


def on_members_moved(member_ids: Iterable[int]) -> int:
    """The jobs of members now in another household follow that household's region."""
    ids = sorted({int(i) for i in member_ids})
    if not ids:
        return 0
    (job,) = [c for c in copies() if c.model == "employment.Job"]
    changed = 0
    with transaction.atomic():  # the jobs and their totals (employment.JobTotal) together
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            changed += _update(job, f"m.id IN ({', '.join(['%s'] * len(chunk))})", chunk)
    return changed


def check_household_copies() -> dict[str, int]:
    """{copy name: rows whose copy differs from the truth}: one query per copy."""
    counts = {}
    with connection.cursor() as cursor:
        for copy in copies():
            t, col = copy.table, copy.column
            if copy.orphan is None:  # the key is a NOT NULL foreign key: an inner join
                sql = (
                    f"SELECT COUNT(*) FROM {t} JOIN ({copy.source()}) x ON x.k = {t}.{copy.key} "
                    f"WHERE {t}.{col} IS NULL OR {t}.{col} <> x.v"
                )
            else:
                sql = (
                    f"SELECT COUNT(*) FROM {t} LEFT JOIN ({copy.source()}) x "
                    f"ON x.k = {t}.{copy.key} WHERE {t}.{col} IS NULL OR "
                    f"(CASE WHEN x.k IS NULL THEN {copy.orphan} ELSE x.v END) <> {t}.{col}"
                )
            cursor.execute(sql)
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
