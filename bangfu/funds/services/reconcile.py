"""Reconciliation (资金对账): does every yuan add up? Set-based SQL only — a few GROUP BY queries
over all sources, pools, allocations and projects, never a Python loop over records — so a
province (50,000 projects, 2,000,000 allocations) takes seconds (bench/reconcile_funds.py).

Checks, each a list of `Discrepancy`:

- `source_overspent`: a source gave out more (allocations + inflows into pools) than its amount;
- `pool_balance`: a pool's stored balance ≠ its inflows − outflows, or below zero;
- `pool_entry`: an allocation from a pool without its matching outflow entry (same pool, same
  amount), or an outflow entry whose allocation is not from that pool;
- `donation`: a donation whose source differs from it (amount, region, kind 社会捐赠), or a
  社会捐赠 source with no donation (money in counted without its donor);
- `project_over_budget`: a project received more than its budget (flagged, not an error of
  bookkeeping, but auditors ask);
- `project_region`: an allocation to a project recorded in another region than the project's
  village (it would be counted in the wrong region's totals);
- `allocation_totals`: the maintained totals (`AllocationTotal` per month, `AllocationDayTotal`
  per day, `services/totals.py`) differ from a GROUP BY of the allocations for a county, month
  (or day) and kind (one query: the records read once, grouped by day and rolled up to months);
  `bangfu reconcile-funds --rebuild-totals` recomputes them;
- `source_totals`: likewise for the maintained totals of the fund sources (`SourceTotal`,
  `SourceDayTotal`);
- `year_totals`: the maintained job and dividend totals per county and year (bangfu/core/
  yeartotals.py) differ from their records; `--rebuild-totals` recomputes them too;
- `household_copies`: a job, loan, commitment or membership whose copy of its household's region
  or poor flag (`registry/copies.py`, read by the economy apps' lists, scope and figures) differs
  from the household; whole-database runs only (the copies are not kept per region);
  `bangfu check-household-copies --rebuild` recomputes them;
- `region_totals` / `unit_totals`: money in (sources) and money out (allocations) per region and
  per unit add up through the trees: the total under a region (by code prefix) = its own records
  + the totals of its child regions (by `Region.parent`); likewise for units (by `Unit.path` and
  `Unit.parent`). A region or unit tree out of step with its codes or paths shows here.

`reconcile(region="4514")` restricts every check to records in that region prefix.

Amounts are summed exactly: NUMERIC on PostgreSQL; on SQLite (which stores decimals as floating
point numbers) in whole cents.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.money import yuan
from bangfu.regions.choices import LEVEL_LENGTH

from ..choices import AllocationKind, EntryDirection, SourceKind
from . import totals

# Code lengths of every level of the tree, groups (村民小组, 15 digits) included.
LEVEL_LENGTHS = tuple(sorted(LEVEL_LENGTH.values()))


@dataclass(frozen=True)
class Discrepancy:
    kind: str
    message: str
    url: str = ""

    def __str__(self) -> str:
        return f"[{self.kind}] {self.message}" + (f" {self.url}" if self.url else "")


def _cents(expr: str) -> str:
    """`expr` as an exactly summable number: NUMERIC yuan on PostgreSQL, integer cents on
    SQLite."""
    if connection.vendor == "sqlite":
        return f"CAST(ROUND(({expr}) * 100) AS INTEGER)"
    return expr


def _yuan(value) -> Decimal:
    if value is None:
        return Decimal("0.00")
    if connection.vendor == "sqlite":
        return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))
    return Decimal(value).quantize(Decimal("0.01"))


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def _within(column: str, table: str, field: str, like: str) -> tuple[str, list]:
    """`AND column IN (ids of table in the region)` when reconciling one region, so the
    aggregates read only that region's rows; nothing for the whole country."""
    if like == "%":
        return "", []
    return f" AND {column} IN (SELECT id FROM {table} WHERE {field} LIKE %s)", [like]


def _url(name: str, pk) -> str:
    return reverse(f"funds:{name}", kwargs={"pk": pk})


def sources_overspent(like: str) -> list[Discrepancy]:
    a = _cents("amount")
    within, params = _within("source_id", "funds_fundsource", "region_id", like)
    rows = _rows(
        f"""
        WITH a AS (SELECT source_id, SUM({a}) AS total FROM funds_allocation
                   WHERE source_id IS NOT NULL{within} GROUP BY source_id),
             p AS (SELECT source_id, SUM({a}) AS total FROM funds_poolentry
                   WHERE direction = %s{within} GROUP BY source_id)
        SELECT s.id, s.name, {_cents("s.amount")}, COALESCE(a.total, 0), COALESCE(p.total, 0)
        FROM funds_fundsource s
        LEFT JOIN a ON a.source_id = s.id
        LEFT JOIN p ON p.source_id = s.id
        WHERE s.region_id LIKE %s
          AND COALESCE(a.total, 0) + COALESCE(p.total, 0) > {_cents("s.amount")}
        ORDER BY s.id
        """,
        [*params, EntryDirection.IN, *params, like],
    )
    return [
        Discrepancy(
            "source_overspent",
            _(
                "资金来源“%(name)s”（%(id)s）金额%(amount)s，已拨付%(allocated)s、转入资金池%(pooled)s，超出%(over)s。"
            )
            % {
                "name": name,
                "id": pk,
                "amount": yuan(_yuan(amount)),
                "allocated": yuan(_yuan(allocated)),
                "pooled": yuan(_yuan(pooled)),
                "over": yuan(_yuan(allocated) + _yuan(pooled) - _yuan(amount)),
            },
            _url("source", pk),
        )
        for pk, name, amount, allocated, pooled in rows
    ]


def pool_balances(like: str) -> list[Discrepancy]:
    a = _cents("amount")
    within, params = _within("pool_id", "funds_fundpool", "region_id", like)
    rows = _rows(
        f"""
        WITH e AS (SELECT pool_id,
                          SUM(CASE WHEN direction = %s THEN {a} ELSE 0 END) AS inflow,
                          SUM(CASE WHEN direction = %s THEN {a} ELSE 0 END) AS outflow
                   FROM funds_poolentry WHERE 1 = 1{within} GROUP BY pool_id)
        SELECT p.id, p.name, {_cents("p.balance")}, COALESCE(e.inflow, 0), COALESCE(e.outflow, 0)
        FROM funds_fundpool p LEFT JOIN e ON e.pool_id = p.id
        WHERE p.region_id LIKE %s
          AND ({_cents("p.balance")} < 0
               OR {_cents("p.balance")} <> COALESCE(e.inflow, 0) - COALESCE(e.outflow, 0))
        ORDER BY p.id
        """,
        [EntryDirection.IN, EntryDirection.OUT, *params, like],
    )
    return [
        Discrepancy(
            "pool_balance",
            _(
                "资金池“%(name)s”（%(id)s）余额%(balance)s，但流入%(inflow)s − 流出%(outflow)s = %(expected)s。"
            )
            % {
                "name": name,
                "id": pk,
                "balance": yuan(_yuan(balance)),
                "inflow": yuan(_yuan(inflow)),
                "outflow": yuan(_yuan(outflow)),
                "expected": yuan(_yuan(inflow) - _yuan(outflow)),
            },
            _url("pool", pk),
        )
        for pk, name, balance, inflow, outflow in rows
    ]


def pool_entries(like: str) -> list[Discrepancy]:
    rows = _rows(
        f"""
        SELECT a.id, a.pool_id, e.id FROM funds_allocation a
        LEFT JOIN funds_poolentry e ON e.allocation_id = a.id
        WHERE a.pool_id IS NOT NULL AND a.region_id LIKE %s
          AND (e.id IS NULL OR e.pool_id <> a.pool_id OR e.direction <> %s
               OR {_cents("e.amount")} <> {_cents("a.amount")})
        UNION ALL
        SELECT a.id, e.pool_id, e.id FROM funds_poolentry e
        JOIN funds_allocation a ON a.id = e.allocation_id
        JOIN funds_fundpool p ON p.id = e.pool_id
        WHERE a.pool_id IS NULL AND p.region_id LIKE %s
        ORDER BY 1
        """,
        [like, EntryDirection.OUT, like],
    )
    return [
        Discrepancy(
            "pool_entry",
            _("资金拨付 %(id)s 与资金池 %(pool)s 的流出记录不一致（流出记录：%(entry)s）。")
            % {"id": pk, "pool": pool, "entry": entry or _("无")},
            _url("allocation", pk),
        )
        for pk, pool, entry in rows
    ]


def donations(like: str) -> list[Discrepancy]:
    rows = _rows(
        f"""
        SELECT s.id, s.name, d.id FROM funds_fundsource s
        LEFT JOIN funds_donation d ON d.source_id = s.id
        WHERE s.region_id LIKE %s
          AND ((d.id IS NULL AND s.kind = %s)
               OR (d.id IS NOT NULL AND (s.kind <> %s OR d.region_id <> s.region_id
                   OR {_cents("d.amount")} <> {_cents("s.amount")})))
        ORDER BY s.id
        """,
        [like, SourceKind.DONATION, SourceKind.DONATION],
    )
    return [
        Discrepancy(
            "donation",
            (
                _("社会捐赠资金来源“%(name)s”（%(id)s）没有对应的捐赠记录。")
                if donation is None
                else _(
                    "捐赠记录 %(donation)s 与其资金来源“%(name)s”（%(id)s）的金额、区划或类型不一致。"
                )
            )
            % {"name": name, "id": pk, "donation": donation},
            _url("source", pk),
        )
        for pk, name, donation in rows
    ]


def projects_over_budget(like: str) -> list[Discrepancy]:
    within, params = _within("project_id", "funds_project", "village_id", like)
    rows = _rows(
        f"""
        WITH a AS (SELECT project_id, SUM({_cents("amount")}) AS total FROM funds_allocation
                   WHERE project_id IS NOT NULL{within} GROUP BY project_id)
        SELECT p.id, p.name, {_cents("p.budget")}, a.total
        FROM funds_project p JOIN a ON a.project_id = p.id
        WHERE p.village_id LIKE %s AND a.total > {_cents("p.budget")}
        ORDER BY p.id
        """,
        [*params, like],
    )
    return [
        Discrepancy(
            "project_over_budget",
            _("项目“%(name)s”（%(id)s）预算%(budget)s，已拨入%(received)s，超出预算%(over)s。")
            % {
                "name": name,
                "id": pk,
                "budget": yuan(_yuan(budget)),
                "received": yuan(_yuan(received)),
                "over": yuan(_yuan(received) - _yuan(budget)),
            },
            _url("project", pk),
        )
        for pk, name, budget, received in rows
    ]


def project_regions(like: str) -> list[Discrepancy]:
    rows = _rows(
        """
        SELECT a.id, a.region_id, p.village_id FROM funds_allocation a
        JOIN funds_project p ON p.id = a.project_id
        WHERE a.region_id <> p.village_id AND (a.region_id LIKE %s OR p.village_id LIKE %s)
        ORDER BY a.id
        """,
        [like, like],
    )
    return [
        Discrepancy(
            "project_region",
            _("资金拨付 %(id)s 记在区划 %(region)s，但其项目在 %(village)s。")
            % {"id": pk, "region": region, "village": village},
            _url("allocation", pk),
        )
        for pk, region, village in rows
    ]


def _region_totals(table: str, like: str) -> list[tuple]:
    amount = _cents("amount")
    levels = " UNION ALL ".join(
        f"SELECT SUBSTR(code, 1, {n}) AS prefix, SUM(total) AS total FROM t "
        f"WHERE LENGTH(code) >= {n} GROUP BY SUBSTR(code, 1, {n})"
        for n in LEVEL_LENGTHS
    )
    within = "" if like == "%" else " WHERE region_id LIKE %s"
    return _rows(
        f"""
        WITH t AS (SELECT region_id AS code, SUM({amount}) AS total FROM {table}{within}
                   GROUP BY region_id),
             s AS ({levels}),
             kids AS (SELECT r.parent_id AS code, SUM(s.total) AS total
                      FROM regions_region r JOIN s ON s.prefix = r.code
                      WHERE r.parent_id IS NOT NULL GROUP BY r.parent_id)
        SELECT s.prefix, s.total, COALESCE(t.total, 0) + COALESCE(kids.total, 0)
        FROM s LEFT JOIN t ON t.code = s.prefix LEFT JOIN kids ON kids.code = s.prefix
        WHERE s.prefix LIKE %s AND s.total <> COALESCE(t.total, 0) + COALESCE(kids.total, 0)
        ORDER BY s.prefix
        """,
        [like] * (2 if within else 1),
    )


def _unit_totals(table: str, like: str) -> list[tuple]:
    amount = _cents("x.amount")
    return _rows(
        f"""
        WITH t AS (SELECT x.unit_id, SUM({amount}) AS total FROM {table} x
                   WHERE x.unit_id IS NOT NULL AND x.region_id LIKE %s GROUP BY x.unit_id),
             s AS (SELECT u.id, SUM(t.total) AS total FROM assistance_unit u
                   JOIN assistance_unit d ON d.path LIKE u.path || '%%'
                   JOIN t ON t.unit_id = d.id GROUP BY u.id),
             kids AS (SELECT u.parent_id AS id, SUM(s.total) AS total
                      FROM assistance_unit u JOIN s ON s.id = u.id
                      WHERE u.parent_id IS NOT NULL GROUP BY u.parent_id)
        SELECT s.id, s.total, COALESCE(t.total, 0) + COALESCE(kids.total, 0)
        FROM s LEFT JOIN t ON t.unit_id = s.id LEFT JOIN kids ON kids.id = s.id
        WHERE s.total <> COALESCE(t.total, 0) + COALESCE(kids.total, 0)
        ORDER BY s.id
        """,
        [like],
    )


def tree_totals(like: str) -> list[Discrepancy]:
    found = []
    for table, what in (
        ("funds_fundsource", _("资金来源")),
        ("funds_allocation", _("资金拨付")),
    ):
        for code, total, parts in _region_totals(table, like):
            found.append(
                Discrepancy(
                    "region_totals",
                    _("区划 %(code)s 的%(what)s合计%(total)s，但本级与下级之和为%(parts)s。")
                    % {
                        "code": code,
                        "what": what,
                        "total": yuan(_yuan(total)),
                        "parts": yuan(_yuan(parts)),
                    },
                )
            )
        for pk, total, parts in _unit_totals(table, like):
            found.append(
                Discrepancy(
                    "unit_totals",
                    _(
                        "单位 %(id)s 及其后盾单位的%(what)s合计%(total)s，但本单位与下级单位之和为%(parts)s。"
                    )
                    % {
                        "id": pk,
                        "what": what,
                        "total": yuan(_yuan(total)),
                        "parts": yuan(_yuan(parts)),
                    },
                )
            )
    return found


def _totals_differences(
    like: str, table: totals.Table, discrepancy: str, messages: dict, kinds: dict, list_url: str
) -> list[Discrepancy]:
    """Every county × month × kind whose maintained month total in `table`, and every county ×
    day × kind whose day total, differs from its records (`messages`: one per grain)."""
    found = []
    for grain, county, date, kind, tn, tc, rn, rc in totals.differences(like.rstrip("%"), table):
        if grain == totals.MONTH:
            end = (date + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
            when = f"{date:%Y-%m}"
        else:
            end, when = date, date.isoformat()
        query = urlencode(
            {"region": county, "kind": kind, "start": date.isoformat(), "end": end.isoformat()}
        )
        found.append(
            Discrepancy(
                discrepancy,
                messages[grain]
                % {
                    "county": county,
                    "when": when,
                    "kind": kinds.get(kind, kind),
                    "tn": tn,
                    "tc": yuan(Decimal(tc).scaleb(-2)),
                    "rn": rn,
                    "rc": yuan(Decimal(rc).scaleb(-2)),
                },
                f"{list_url}?{query}",
            )
        )
    return found


def allocation_totals(like: str) -> list[Discrepancy]:
    """Every county × month (or day) × kind whose maintained allocation total differs from its
    records."""
    return _totals_differences(
        like,
        totals.ALLOCATIONS,
        "allocation_totals",
        {
            totals.MONTH: _(
                "区划 %(county)s %(when)s %(kind)s拨付的月度合计记为%(tn)d笔%(tc)s，"
                "但拨付记录为%(rn)d笔%(rc)s（可用 --rebuild-totals 重建）。"
            ),
            totals.DAY: _(
                "区划 %(county)s %(when)s %(kind)s拨付的日合计记为%(tn)d笔%(tc)s，"
                "但拨付记录为%(rn)d笔%(rc)s（可用 --rebuild-totals 重建）。"
            ),
        },
        dict(AllocationKind.choices),
        reverse("funds:allocation_list"),
    )


def source_totals(like: str) -> list[Discrepancy]:
    """Every county × month (or day) × kind whose maintained source total differs from its
    records."""
    return _totals_differences(
        like,
        totals.SOURCES,
        "source_totals",
        {
            totals.MONTH: _(
                "区划 %(county)s %(when)s %(kind)s的资金来源月度合计记为%(tn)d笔%(tc)s，"
                "但资金来源记录为%(rn)d笔%(rc)s（可用 --rebuild-totals 重建）。"
            ),
            totals.DAY: _(
                "区划 %(county)s %(when)s %(kind)s的资金来源日合计记为%(tn)d笔%(tc)s，"
                "但资金来源记录为%(rn)d笔%(rc)s（可用 --rebuild-totals 重建）。"
            ),
        },
        dict(SourceKind.choices),
        reverse("funds:source_list"),
    )


def household_copies(like: str) -> list[Discrepancy]:
    """Rows whose household copy is out of step (`registry.copies`), on whole-database runs."""
    if like != "%":
        return []
    from bangfu.registry.copies import check_household_copies

    return [
        Discrepancy(
            "household_copies",
            _(
                "%(copy)s 有 %(n)d 行与所属户不一致，相关统计会算错"
                "（可用 bangfu check-household-copies --rebuild 重建）。"
            )
            % {"copy": name, "n": n},
        )
        for name, n in check_household_copies().items()
        if n
    ]


def year_totals(like: str) -> list[Discrepancy]:
    """Maintained job and dividend totals per county and year (bangfu/core/yeartotals.py) that
    differ from their records."""
    from bangfu.cooperatives.services.totals import dividend_total_problems
    from bangfu.employment.services.totals import job_total_problems

    region = like.rstrip("%")
    problems = [*job_total_problems(region), *dividend_total_problems(region)]
    return [Discrepancy("year_totals", message, url) for message, url in problems]


CHECKS = (
    sources_overspent,
    pool_balances,
    pool_entries,
    donations,
    projects_over_budget,
    project_regions,
    allocation_totals,
    source_totals,
    household_copies,
    year_totals,
    tree_totals,
)


def reconcile(region: str = "") -> list[Discrepancy]:
    """Every discrepancy among the funds records in `region` (a code prefix; "" = all)."""
    like = f"{region}%"
    found: list[Discrepancy] = []
    for check in CHECKS:
        found.extend(check(like))
    return found
