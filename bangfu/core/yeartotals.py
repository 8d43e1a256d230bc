"""Maintained yearly totals (count and whole cents per county, year, …) of records that belong
to a year: `employment.JobTotal` (jobs per county, year and kind) and `cooperatives.DividendTotal`
(dividends per county and year). A province's figures card reads a few hundred rows of them
instead of aggregating 100,000 records. The records are per YEAR, so a total per year is exact
for any period (the cards count the years the period touches).

One `YearTotals` describes a table and the SQL of the records it sums; every change is a
set-based upsert that ADDS a delta to a key, in the transaction of the write that causes it:

    INSERT INTO t (county, year, …, count, cents) SELECT … GROUP BY … ORDER BY …
    ON CONFLICT (county, year, …) DO UPDATE SET count = t.count + excluded.count, …

(SQLite ≥ 3.24 and PostgreSQL alike; keys written in sorted order, so two writers cannot
deadlock). `check()` lists the keys where the totals differ from a GROUP BY of the records;
`rebuild()` recomputes the table in one transaction (`bangfu reconcile-funds`,
`--rebuild-totals`). The allocation totals of bangfu/funds/services/totals.py follow the same
pattern per month.

`county` is the first 6 characters of the record's region code (its county, or the region's own
shorter code above county level), so the prefix range of any region of 6 characters or fewer
selects exactly the totals under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, models, transaction

from bangfu.core.scoping import ScopedQuerySet, prefix_range
from bangfu.regions.choices import LEVEL_LENGTH, Level

# Every maintained totals table (these and funds/services/totals.py) is keyed by county: the
# first characters of the region code, and these two SQL helpers are shared with the funds ones.
COUNTY_LENGTH = LEVEL_LENGTH[Level.COUNTY]
CHUNK = 500  # ids per statement


def cents_sql(column: str) -> str:
    """SQL for an amount column (yuan, two places) as exact whole cents."""
    if connection.vendor == "sqlite":  # decimals are stored as floating point numbers
        return f"CAST(ROUND({column} * 100) AS INTEGER)"
    return f"CAST({column} * 100 AS bigint)"


def problem(what: str, county: str, year, tn: int, tc: int, rn: int, rc: int) -> str:
    """The reconciliation message of one key whose total differs from its records."""
    from django.utils.translation import gettext as _

    from bangfu.core.money import yuan

    return _(
        "区划 %(county)s %(year)s年%(what)s的年度合计记为%(tn)d笔%(tc)s，"
        "但记录为%(rn)d笔%(rc)s（可用 bangfu reconcile-funds --rebuild-totals 重建）。"
    ) % {
        "county": county,
        "year": year,
        "what": what,
        "tn": tn,
        "tc": yuan(Decimal(tc).scaleb(-2)),
        "rn": rn,
        "rc": yuan(Decimal(rc).scaleb(-2)),
    }


def county_sql(column: str = "region_id") -> str:
    """SQL for the county key of a region code column (a shorter code keeps its own)."""
    return f"SUBSTR({column}, 1, {COUNTY_LENGTH})"


@dataclass(frozen=True)
class YearTotals:
    """`table` sums the records of `source` (a FROM clause, aliased) per `keys`: the totals
    table's key columns, the first `county`, the second `year`. `key_sql` are the SQL
    expressions of those keys over the source (the first one the region column, cut to the
    county by `county_sql`); `amount` the amount column summed into `cents_column`."""

    table: str
    keys: tuple[str, ...]
    cents_column: str
    source: str
    region: str
    key_sql: tuple[str, ...]
    amount: str
    label: str

    @property
    def columns(self) -> str:
        return ", ".join((*self.keys, "count", self.cents_column))

    @property
    def _upsert(self) -> str:
        t, c = self.table, self.cents_column
        return (
            f" ON CONFLICT ({', '.join(self.keys)}) DO UPDATE SET count = {t}.count + "
            f"excluded.count, {c} = {t}.{c} + excluded.{c}"
        )

    def _key_exprs(self, region: str | None = None) -> list[str]:
        return [county_sql(region or self.region), *self.key_sql]

    def _grouped(self, where: str, region: str | None = None, sign: int = 1) -> str:
        keys = self._key_exprs(region)
        positions = ", ".join(str(i + 1) for i in range(len(keys)))
        return (
            f"SELECT {', '.join(keys)}, {sign} * COUNT(*), {sign} * SUM({cents_sql(self.amount)})"
            f" FROM {self.source} WHERE {where} GROUP BY {positions}"
        )

    def add(self, where: str, params=(), sign: int = 1) -> None:
        """Add (sign=1) or subtract (sign=-1) the records selected by `where` (SQL over the
        source) as they are now in the database: one INSERT … SELECT … GROUP BY … ON CONFLICT."""
        if sign not in (1, -1):
            raise ValueError("sign is 1 or -1")
        n = len(self.keys)
        order = ", ".join(str(i + 1) for i in range(n))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.table} ({self.columns}) "
                f"{self._grouped(where, sign=sign)} ORDER BY {order}{self._upsert}",
                list(params),
            )

    def add_ids(self, id_column: str, ids, sign: int = 1) -> None:
        """`add` for the records whose `id_column` is in `ids`, `CHUNK` ids a statement."""
        ids = list(ids)
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            self.add(f"{id_column} IN ({', '.join(['%s'] * len(chunk))})", chunk, sign)

    def move(self, join: str, where: str, params, new_region: str) -> None:
        """The records of the source `join`ed to a table and selected by `where` are about to
        change region to `new_region` (an SQL expression over the join, without parameters;
        `params` are those of `join` then `where`): subtract them from their county and add
        them under the new one — one statement, net deltas per key, before the UPDATE."""
        n = len(self.keys)
        positions = ", ".join(str(i + 1) for i in range(n))
        names = ", ".join(f"k{i}" for i in range(n))
        old = ", ".join(f"{e} AS k{i}" for i, e in enumerate(self._key_exprs()))
        new = ", ".join(f"{e} AS k{i}" for i, e in enumerate(self._key_exprs(new_region)))
        cents = cents_sql(self.amount)
        rows = f"FROM {self.source} {join} WHERE {where}"
        sql = (
            f"INSERT INTO {self.table} ({self.columns}) "
            f"SELECT {names}, SUM(n), SUM(c) FROM ("
            f"SELECT {old}, -1 AS n, -{cents} AS c {rows} "
            f"UNION ALL SELECT {new}, 1, {cents} {rows}"
            f") d GROUP BY {positions} HAVING SUM(n) <> 0 OR SUM(c) <> 0 "
            f"ORDER BY {positions}{self._upsert}"
        )
        params = list(params)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *params])

    def rebuild(self, model) -> int:
        """Recompute every total from the records in one transaction; the number of keys. One
        audit entry says who rebuilt the table and how many keys it held before and after (the
        table is derived: the records it sums are audited, its rows are not)."""
        from bangfu.core import audit
        from bangfu.core.choices import AuditAction

        with transaction.atomic():
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute(f"LOCK TABLE {self.table} IN EXCLUSIVE MODE")
                cursor.execute(f"DELETE FROM {self.table}")
                before = cursor.rowcount
                cursor.execute(
                    f"INSERT INTO {self.table} ({self.columns}) {self._grouped('1 = 1')}"
                )
                after = cursor.rowcount
            audit.entry(
                AuditAction.UPDATE,
                self.label,
                "*",
                str(model._meta.verbose_name),
                self.label,
                "*",
                {"keys": before},
                {"keys": after},
            ).save()
        return after

    def check(self, region: str = "") -> list[tuple]:
        """Keys where the totals differ from the records, in one query:
        `(*key, total count, total cents, record count, record cents)`; `region` (a code
        prefix) restricts both sides to its county (or the region when above county level)."""
        prefix = region[:COUNTY_LENGTH]
        where_t, where_r, params = "1 = 1", "1 = 1", []
        if prefix:
            low, high = prefix_range(prefix)
            where_t = "county >= %s AND county < %s"
            where_r = f"{self.region} >= %s AND {self.region} < %s"
            params = [low, high, low, high]
        keys = ", ".join(self.keys)
        zeros = ", ".join(f"r.{k}" for k in self.keys)
        named = ", ".join(f"{e} AS {k}" for e, k in zip(self._key_exprs(), self.keys, strict=True))
        sql = f"""
            SELECT {keys}, SUM(tn), SUM(tc), SUM(rn), SUM(rc) FROM (
                SELECT {keys}, count AS tn, {self.cents_column} AS tc, 0 AS rn, 0 AS rc
                FROM {self.table} WHERE {where_t}
                UNION ALL
                SELECT {zeros}, 0, 0, r.n, r.c FROM (
                    SELECT {named}, COUNT(*) AS n, SUM({cents_sql(self.amount)}) AS c FROM {self.source}
                    WHERE {where_r} GROUP BY {", ".join(self._key_exprs())}
                ) r
            ) both_sides
            GROUP BY {keys}
            HAVING SUM(tn) <> SUM(rn) OR SUM(tc) <> SUM(rc)
            ORDER BY {keys}
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [
                (*row[: len(self.keys)], *(int(v) for v in row[len(self.keys) :]))
                for row in cursor.fetchall()
            ]


class TotalsQuerySet(ScopedQuerySet):
    """Bulk writes of records that a `YearTotals` sums keep it in step, in the same
    transaction, with set-based deltas: subclasses name the fields the totals depend on
    (`total_fields`) and add or subtract records by id (`add_to_totals`)."""

    total_fields: frozenset[str] = frozenset()

    def add_to_totals(self, ids, sign: int) -> None:
        raise NotImplementedError

    def bulk_create(self, objs, *args, **kwargs):
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise TypeError("these records are bulk-created without conflict handling (totals)")
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            self.add_to_totals([o.pk for o in created], 1)
        return created

    def _ids(self) -> list:
        return list(self.order_by().values_list("pk", flat=True))

    def update(self, **kwargs):
        if not {f.removesuffix("_id") for f in kwargs} & self.total_fields:
            return super().update(**kwargs)
        plain = models.QuerySet(self.model, using=self.db)
        n = 0
        with transaction.atomic(using=self.db, savepoint=False):
            ids = self._ids()
            for i in range(0, len(ids), CHUNK):
                chunk = ids[i : i + CHUNK]
                self.add_to_totals(chunk, -1)
                n += plain.filter(pk__in=chunk).update(**kwargs)
                self.add_to_totals(chunk, 1)
        return n

    update.alters_data = True

    def delete(self):
        plain = models.QuerySet(self.model, using=self.db)
        deleted, by_model = 0, {}
        # a savepoint: a delete refused (a protected foreign key) leaves the totals unchanged
        with transaction.atomic(using=self.db):
            ids = self._ids()
            for i in range(0, len(ids), CHUNK):
                chunk = ids[i : i + CHUNK]
                self.add_to_totals(chunk, -1)
                n, counts = plain.filter(pk__in=chunk).delete()
                deleted += n
                for label, k in counts.items():
                    by_model[label] = by_model.get(label, 0) + k
        return deleted, by_model

    delete.alters_data = True
    delete.queryset_only = True
