"""The spending rules, in one place: putting money from a source into a pool, and allocating
money from a source or a pool to a project or a household. Pages, the API and the import all
come here.

- An amount is more than 0 and at most `AMOUNT_LIMIT` (100亿元), with two decimal places.
- What is left in a source = its amount − its allocations − what it put into pools; what is left
  in a pool = its stored `balance` (inflows − outflows). Spending more than is left is refused
  with a message giving both amounts; nothing is written.
- Two clerks spending the last of a pool (or source) at the same moment: the row of the source or
  pool is locked (`select_for_update()`) and the remainder re-read inside the transaction, so the
  second waits for the first and then sees what the first spent: exactly one succeeds. Locks are
  always taken source first, then pool, so two calls cannot deadlock.
- An allocation to a project is kind 项目资金; to a household one of 补贴, 救助, 奖补. Its `region`
  is the project's village or the household's region (the scope of the record).
- Writing an allocation also adds it to the maintained totals (`AllocationTotal` and
  `AllocationDayTotal`, by county, month or day, and kind) in the same transaction
  (`services/totals.py`). Every new allocation — a page's, the API's or an import's thousands
  — goes through `save_new_allocations`, which checks a list in order and writes it set-based.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from bangfu.core.imports.bulk import AuditWriter, insert_objects
from bangfu.core.money import yuan

from ..choices import AllocationKind, EntryDirection
from ..models import AMOUNT_LIMIT, MIN_AMOUNT, Allocation, FundPool, FundSource, PoolEntry
from . import totals

ZERO = Decimal("0.00")


def check_amount(amount, field: str = "amount") -> Decimal:
    """The amount as a Decimal of yuan, or a ValidationError naming `field` and the reason."""
    if amount is None or amount == "":
        raise ValidationError({field: _("请填写金额。")})
    if isinstance(amount, float):
        raise ValidationError({field: _("金额必须是精确的十进制数，不能是浮点数。")})
    try:
        value = Decimal(str(amount).strip())
    except ArithmeticError:
        raise ValidationError({field: _("金额“%(value)s”不是数字。") % {"value": amount}}) from None
    if not value.is_finite():
        raise ValidationError({field: _("金额“%(value)s”不是数字。") % {"value": amount}})
    if value < MIN_AMOUNT:
        raise ValidationError({field: _("金额必须大于0元，填写的是%(value)s。") % {"value": value}})
    if value > AMOUNT_LIMIT:
        raise ValidationError(
            {field: _("金额%(value)s元超过100亿元，疑为录入错误。") % {"value": f"{value:,}"}}
        )
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(
            {field: _("金额最多保留两位小数（到分），填写的是%(value)s。") % {"value": value}}
        )
    return value.quantize(Decimal("0.01"))


def source_spent(source_id: int) -> Decimal:
    """What a source has given out: its allocations plus its inflows into pools (one query)."""
    allocated = (
        Allocation.objects.filter(source_id=source_id)
        .values("source_id")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    pooled = (
        PoolEntry.objects.filter(source_id=source_id, direction=EntryDirection.IN)
        .values("source_id")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    from django.db.models import Subquery

    row = (
        FundSource.objects.filter(pk=source_id)
        .annotate(
            a=Coalesce(Subquery(allocated), ZERO),
            p=Coalesce(Subquery(pooled), ZERO),
        )
        .values("a", "p")
        .get()
    )
    return row["a"] + row["p"]


def sources_spent(source_ids) -> dict[int, Decimal]:
    """`source_spent` of many sources in two grouped queries: `{source id: spent}` (a source
    that gave out nothing is absent)."""
    spent: dict[int, Decimal] = {}
    ids = list(source_ids)
    if not ids:
        return spent
    for rows in (
        Allocation.objects.filter(source_id__in=ids).values("source_id").annotate(s=Sum("amount")),
        PoolEntry.objects.filter(source_id__in=ids, direction=EntryDirection.IN)
        .values("source_id")
        .annotate(s=Sum("amount")),
    ):
        for r in rows.order_by():
            spent[r["source_id"]] = spent.get(r["source_id"], ZERO) + r["s"]
    return spent


def source_remaining(source: FundSource) -> Decimal:
    return source.amount - source_spent(source.pk)


def _lock_source(source: FundSource) -> FundSource:
    return FundSource.objects.select_for_update().get(pk=source.pk)


def _lock_pool(pool: FundPool) -> FundPool:
    return FundPool.objects.select_for_update().get(pk=pool.pk)


def _lock_sources(ids) -> dict[int, FundSource]:
    """Lock these sources' rows in id order (so two writers cannot deadlock): `{id: source}`
    as committed now."""
    if not ids:
        return {}
    rows = FundSource.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {s.pk: s for s in rows}


def _lock_pools(ids) -> dict[int, FundPool]:
    """Lock these pools' rows in id order, after the sources: `{id: pool}`."""
    if not ids:
        return {}
    return {p.pk: p for p in FundPool.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def _source_short(
    source: FundSource, amount: Decimal, left: Decimal, field: str = "amount"
) -> ValidationError:
    return ValidationError(
        {
            field: _("资金来源“%(source)s”只剩%(left)s，不足以拨出%(amount)s。")
            % {"source": source.name, "left": yuan(left), "amount": yuan(amount)}
        }
    )


def _pool_short(pool: FundPool, amount: Decimal, left: Decimal) -> ValidationError:
    return ValidationError(
        {
            "amount": _("资金池“%(pool)s”余额只有%(left)s，不足以拨出%(amount)s。")
            % {"pool": pool.name, "left": yuan(left), "amount": yuan(amount)}
        }
    )


def _refuse_source(source: FundSource, amount: Decimal, left: Decimal, field: str) -> None:
    if amount > left:
        raise _source_short(source, amount, left, field)


def put_into_pool(
    pool: FundPool, source: FundSource, amount, date: datetime.date, note: str = ""
) -> PoolEntry:
    """Move `amount` from `source` into `pool` (an inflow); refused when the source has less."""
    amount = check_amount(amount)
    if date is None:
        raise ValidationError({"date": _("请填写日期。")})
    with transaction.atomic():
        locked = _lock_source(source)
        _refuse_source(locked, amount, locked.amount - source_spent(locked.pk), "amount")
        _lock_pool(pool)
        entry = PoolEntry(
            pool=pool,
            direction=EntryDirection.IN,
            source=locked,
            amount=amount,
            date=date,
            note=note,
        )
        entry.full_clean(validate_constraints=False)
        entry.save()
        FundPool.objects.filter(pk=pool.pk).update(balance=F("balance") + amount)
    pool.refresh_from_db(fields=["balance"])
    return entry


def check_allocation(allocation: Allocation) -> None:
    """The shape of an allocation (one origin, one target matching the kind, a date, a purpose);
    sets `region`. Raises a ValidationError by field."""
    errors: dict[str, list[str]] = {}
    if bool(allocation.source_id) == bool(allocation.pool_id):
        errors.setdefault("source", []).append(_("资金来源和资金池须且只能填写一项。"))
    if allocation.kind == AllocationKind.PROJECT:
        if not allocation.project_id:
            errors.setdefault("project", []).append(_("项目资金须填写项目。"))
        if allocation.household_id:
            errors.setdefault("household", []).append(_("项目资金不直接拨给农户，请清空受助户。"))
    elif allocation.kind in AllocationKind.values:
        if not allocation.household_id:
            errors.setdefault("household", []).append(_("补贴、救助、奖补须填写受助户。"))
        if allocation.project_id:
            errors.setdefault("project", []).append(_("拨给农户的资金不填写项目。"))
    else:
        errors.setdefault("kind", []).append(_("请选择拨付类型。"))
    if allocation.date is None:
        errors.setdefault("date", []).append(_("请填写拨付日期。"))
    if not (allocation.purpose or "").strip():
        errors.setdefault("purpose", []).append(_("请填写用途。"))
    try:
        allocation.amount = check_amount(allocation.amount)
    except ValidationError as exc:
        for field, msgs in exc.message_dict.items():
            errors.setdefault(field, []).extend(msgs)
    if errors:
        raise ValidationError(errors)
    if allocation.project_id:
        allocation.region_id = allocation.project.village_id
    else:
        allocation.region_id = allocation.household.region_id


def allocate(
    *,
    amount,
    date: datetime.date,
    purpose: str,
    kind: str = AllocationKind.PROJECT,
    source: FundSource | None = None,
    pool: FundPool | None = None,
    project=None,
    household=None,
    unit=None,
    note: str = "",
) -> Allocation:
    """Allocate `amount` from `source` or `pool` to `project` or `household`; refused (nothing
    written) when the source or pool has less than `amount` left at the moment of writing."""
    allocation = Allocation(
        source=source,
        pool=pool,
        kind=kind,
        project=project,
        household=household,
        unit=unit,
        date=date,
        amount=amount,
        purpose=purpose,
        note=note,
    )
    return save_new_allocation(allocation)


def save_new_allocation(allocation: Allocation) -> Allocation:
    """Write one new allocation (pages, API, services): `save_new_allocations` of one, with its
    related records checked against the database too; raises the ValidationError by field."""
    if allocation.pk is not None:
        raise ValueError("an allocation is never edited: cancel it and allocate again")
    errors = save_new_allocations([allocation], check_relations=True)
    if errors:
        raise errors[0]
    return allocation


# the foreign keys of an allocation: an import resolves them from the database (scoped) before
# they get here, so `save_new_allocations` need not query each one again
_RELATIONS = ("source", "pool", "project", "household", "unit")


def save_new_allocations(
    allocations: list[Allocation], check_relations: bool = False
) -> dict[int, ValidationError]:
    """Write new allocations in their order, set-based: what an import of thousands of rows
    does in a few statements instead of a dozen per row. Returns `{index: ValidationError}` of
    the refused ones (nothing of them written); the others are written, in one transaction:

    1. each one's shape (`check_allocation`, the field checks) in Python;
    2. their sources and pools locked (`SELECT … FOR UPDATE`, sources then pools, in id order:
       the same order as every other writer, so no deadlock), what is left in each read in one
       grouped query, then the allocations walked in order, each refused when its source or pool
       has less left than its amount after the ones before it — the rule of `allocate()`;
    3. the accepted ones written by `_write_allocations`: a bulk INSERT of the allocations and
       of the pool outflow entries, their monthly and daily totals, their audit entries as
       rows, one UPDATE per pool setting the balance computed under its lock.

    `check_relations`: also check that each related record exists (a query each: the page and
    API path, whose objects did not come from one read of the database)."""
    errors: dict[int, ValidationError] = {}
    shaped: list[int] = []
    exclude = ["region"] if check_relations else ["region", *_RELATIONS]
    for i, a in enumerate(allocations):
        if a.pk is not None:
            raise ValueError("an allocation is never edited: cancel it and allocate again")
        try:
            check_allocation(a)
            a.full_clean(validate_constraints=False, validate_unique=False, exclude=exclude)
        except ValidationError as exc:
            errors[i] = exc
            continue
        shaped.append(i)
    if not shaped:
        return errors
    with transaction.atomic():
        sources = _lock_sources({allocations[i].source_id for i in shaped} - {None})
        pools = _lock_pools({allocations[i].pool_id for i in shaped} - {None})
        spent = sources_spent(sources)
        left = {pk: s.amount - spent.get(pk, ZERO) for pk, s in sources.items()}
        balance = {pk: p.balance for pk, p in pools.items()}
        written: list[Allocation] = []
        for i in shaped:
            a = allocations[i]
            if a.source_id:
                if a.amount > left[a.source_id]:
                    errors[i] = _source_short(sources[a.source_id], a.amount, left[a.source_id])
                    continue
                left[a.source_id] -= a.amount
            else:
                if a.amount > balance[a.pool_id]:
                    errors[i] = _pool_short(pools[a.pool_id], a.amount, balance[a.pool_id])
                    continue
                balance[a.pool_id] -= a.amount
            written.append(a)
        _write_allocations(written, balance)
    return errors


def _write_allocations(written: list[Allocation], balance: dict) -> None:
    """The writes of `save_new_allocations`, inside its transaction: a few statements for any
    number of allocations — the allocations and the pool outflow entries inserted in bulk
    (`core.imports.bulk.insert_objects`: COPY on PostgreSQL), their monthly and daily totals
    (`services/totals.py`, grouped by key), their audit entries as rows, one UPDATE per pool's
    balance."""
    if not written:
        return
    insert_objects(Allocation, written)
    totals.add_objects(written, 1, totals.ALLOCATIONS)
    audit = AuditWriter()
    for a in written:
        audit.add_created(a)
    outflows = [
        PoolEntry(
            pool=a.pool,  # the object (not its id): the entry's audit subject
            direction=EntryDirection.OUT,
            allocation=a,
            amount=a.amount,
            date=a.date,
        )
        for a in written
        if a.pool_id
    ]
    insert_objects(PoolEntry, outflows)
    for e in outflows:
        audit.add_created(e)
    for pk in sorted({e.pool_id for e in outflows}):
        FundPool.objects.filter(pk=pk).update(balance=balance[pk])
    audit.flush()
