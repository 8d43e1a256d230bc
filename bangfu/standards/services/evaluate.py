"""Set-based evaluation of a household standard for a year over a region.

Each item of the pinned version is compiled (expressions.compile_sql) to a boolean SQL
expression; per province present in the set, ONE statement

    INSERT INTO standards_verdict (…)
    SELECT …, failed = '', rtrim(failed, ';'), <inputs copied from the survey>
    FROM (SELECT CASE WHEN <income> THEN '' ELSE 'income;' END || CASE … AS failed, …
          FROM registry_survey s JOIN registry_household h ON …
          LEFT JOIN (SELECT survey_id, SUM(CASE WHEN <member rule> …) AS q0, …
                     FROM registry_membersurvey ms JOIN registry_member m … GROUP BY …) a …
          WHERE s.year = … AND h.region_id in the province/region range) t

evaluates every household and writes its verdict inside the database: no row comes back to
Python, no per-household loop. The item codes are concatenated in the standard's order, so
`failed_items` is exactly the CSV's column. The thresholds of each province are stored once on
the `EvaluationRun`, not on each verdict. Households of the region without a survey that year
are counted (one COUNT query), not evaluated.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core.scoping import prefix_range, region_q
from bangfu.registry.models import Household, Survey

from .. import expressions
from ..choices import Subject
from ..models import (
    NATIONAL,
    EvaluationRun,
    Standard,
    StandardItem,
    StandardVersion,
    Threshold,
    Verdict,
)
from . import partitions

# Verdict columns for the count of members failing an item (the explanations quote them).
MEMBER_COUNT_COLUMNS = {"medical": "members_uninsured", "education": "children_out_of_school"}


class EvaluationError(Exception):
    """A clear Chinese message; nothing has been written."""


@dataclass
class Row:
    subject: str
    passed: bool
    failed: list[str]


@dataclass
class Result:
    standard: str
    version: StandardVersion
    year: int
    evaluated: int = 0
    passed: int = 0
    skipped: int = 0  # households of the region without a survey that year
    run: EvaluationRun | None = None
    _plan: Plan | None = None
    _rows: list[Row] | None = field(default=None, repr=False)

    @property
    def failed(self) -> int:
        return self.evaluated - self.passed

    def iter_rows(self) -> Iterator[Row]:
        """Every evaluated subject by household number: read back from the run's verdicts when
        saved, otherwise computed by the same SELECT (streamed)."""
        if self._rows is not None:
            yield from self._rows
            return
        if self.run is not None:
            qs = (
                Verdict.objects.filter(run=self.run)
                .order_by("household__household_no")
                .values_list("household__household_no", "passed", "failed_items")
            )
            for no, passed, failed in qs.iterator(chunk_size=5000):
                yield Row(no, passed, [c for c in failed.split(";") if c])
            return
        if self._plan is not None:
            yield from self._plan.rows()

    @property
    def rows(self) -> list[Row]:
        if self._rows is None:
            self._rows = list(self.iter_rows())
        return self._rows


def resolve_thresholds(names: list[str], year: int, province: str) -> dict[str, Decimal]:
    """The value of each name for the year, the province's overriding the national one; a
    missing one is an EvaluationError naming it and the year."""
    found: dict[str, tuple[bool, Decimal]] = {}
    for t in Threshold.objects.filter(name__in=names, year=year, province__in=[NATIONAL, province]):
        is_province = t.province == province and province != NATIONAL
        if t.name not in found or is_province:
            found[t.name] = (is_province, t.value)
    for name in names:
        if name not in found:
            if name == "poverty_line":
                raise EvaluationError(
                    _("未设置 %(year)s 年的扶贫标准（poverty_line），未评估") % {"year": year}
                )
            raise EvaluationError(
                _("未设置 %(year)s 年的阈值 %(name)s，未评估") % {"year": year, "name": name}
            )
    return {name: value for name, (_p, value) in found.items()}


def active_items(version: StandardVersion, year: int) -> list[StandardItem]:
    return [i for i in StandardItem.objects.filter(version=version) if i.active_in(year)]


def threshold_names(items: list[StandardItem]) -> list[str]:
    names: list[str] = []
    for item in items:
        for n in expressions.thresholds_used(item.expression):
            if n not in names:
                names.append(n)
    if "poverty_line" not in names:
        names.append("poverty_line")  # quoted by explanations of income
    return names


class Plan:
    """The compiled SQL of one household standard for one year over one region: the pieces
    the INSERT, the preview SELECT and the benchmark's floor are built from."""

    def __init__(self, items, year: int, region: str | None, per_province: dict):
        self.items, self.year, self.region = items, year, region
        self.per_province = per_province
        self.vendor = connection.vendor

    def _where(self, province: str) -> tuple[str, list]:
        sql, params = ["s.year = %s"], [self.year]
        for code in (province, self.region or ""):
            if code:
                low, high = prefix_range(code)
                sql.append("h.region_id >= %s AND h.region_id < %s")
                params += [low, high]
        return " AND ".join(sql), params

    def parts(self, province: str) -> dict:
        """SQL fragments for one province: `failed` (the concatenated codes), `all_pass`,
        `from_` (FROM … JOIN …), `where` and `group`, each with params, and `counts` (the
        SQL of the member counts the explanations quote).

        The member quantifiers are per-survey aggregates computed in place: `FROM survey s
        JOIN household h LEFT JOIN membersurvey ms … GROUP BY s.id`, the member row itself read
        only for the few members whose facts pass the cheaper parts of a rule (a birth date
        for the age window). On SQLite the survey's year index drives the scan in id order
        (`CROSS JOIN` fixes that order for a province-wide run), so the grouping needs no sort
        — SQLite has no hash aggregate; PostgreSQL hash-aggregates (work_mem raised for the
        transaction, see evaluate())."""
        sqlite = self.vendor == "sqlite"
        ctx = expressions.SqlContext(
            self.year, self.per_province[province], self.vendor, inline=True
        )
        item_sql = [(i, *expressions.compile_sql(i.expression, ctx)) for i in self.items]
        where, where_params = self._where(province)
        wide = not self.region or len(self.region) <= 4
        join = "CROSS JOIN" if sqlite and wide else "JOIN"
        from_ = f"registry_survey s {join} registry_household h ON h.id = s.household_id"
        from_params: list = []
        group = ""
        if ctx.aggregates:
            from_ += " LEFT JOIN registry_membersurvey ms ON ms.survey_id = s.id"
            group = " GROUP BY s.id" if sqlite else " GROUP BY s.id, h.id"
        failed, failed_params = [], []
        for item, sql, params in item_sql:
            failed.append(f"CASE WHEN {sql} THEN '' ELSE '{item.code};' END")
            failed_params += params
        counts = {}
        for item, _sql, _params in item_sql:
            column = MEMBER_COUNT_COLUMNS.get(item.code)
            if column and _single_quantifier(item.expression) is not None:
                # the quantifier's aggregate counts the members failing the item
                n = quant_index(item_sql, item)
                agg, agg_params = ctx.aggregates[n]
                counts[column] = (f"COALESCE({agg}, 0)", agg_params)
        return {
            "failed": (" || ".join(failed) or "''", failed_params),
            "all_pass": (
                " AND ".join(f"COALESCE({sql}, FALSE)" for _i, sql, _p in item_sql) or "1 = 1",
                [p for _i, _s, ps in item_sql for p in ps],
            ),
            "from_": (from_, from_params),
            "where": (where, where_params),
            "group": group,
            "counts": counts,
        }

    def select(self, province: str) -> tuple[str, list]:
        """SELECT household id, number, region, failed codes ("a;b;" form) and the inputs."""
        p = self.parts(province)
        count_cols, count_params = [], []
        for c in MEMBER_COUNT_COLUMNS.values():
            sql, params = p["counts"].get(c, ("CAST(NULL AS INTEGER)", []))
            count_cols.append(f"{sql} AS {c}")
            count_params += params
        sql = (
            f"SELECT h.id AS household_id, h.household_no AS household_no,"
            f" h.region_id AS region_id, {p['failed'][0]} AS failed,"
            f" {expressions.SQL_COLUMNS['net_income']} AS net_income,"
            f" {expressions.SQL_COLUMNS['earned_income']} AS earned_income,"
            f" s.household_size AS household_size, s.farmland_mu AS farmland_mu,"
            f" s.housing_safety AS housing_safety, s.relocated AS relocated,"
            f" {', '.join(count_cols)}"
            f" FROM {p['from_'][0]} WHERE {p['where'][0]}{p['group']}"
        )
        return sql, p["failed"][1] + count_params + p["from_"][1] + p["where"][1]

    def insert(
        self, province: str, run: EvaluationRun, now, table: str | None = None
    ) -> tuple[str, list]:
        """INSERT … SELECT of the province's verdicts into the verdict table (or `table`, the
        run's own partition-to-be: services/partitions.py)."""
        select, params = self.select(province)
        cols = (
            "run_id, version_id, year, household_id, region_id, passed, failed_items,"
            " net_income, earned_income, household_size, farmland_mu, housing_safety,"
            " relocated, members_uninsured, children_out_of_school, created"
        )
        now_param = now if self.vendor != "sqlite" else now.isoformat(sep=" ")
        sql = (
            f"INSERT INTO {table or Verdict._meta.db_table} ({cols})"
            " SELECT %s, %s, %s, t.household_id, t.region_id, t.failed = '',"
            " rtrim(t.failed, ';'), t.net_income, t.earned_income, t.household_size,"
            " t.farmland_mu, t.housing_safety, t.relocated, t.members_uninsured,"
            f" t.children_out_of_school, %s FROM ({select}) t"
        )
        return sql, [run.pk, run.version_id, self.year, now_param, *params]

    def count(self, province: str) -> int:
        """At least the number of verdicts the province's statement writes: the year's surveys
        (from the year index alone; the join to the region costs more than the spare ids)."""
        return Survey.objects.filter(year=self.year).count()

    def floor(self, province: str) -> tuple[str, list]:
        """The benchmark's floor: a bare count(*) over the same tables, joins and predicates."""
        p = self.parts(province)
        if p["group"]:
            sql = (
                f"SELECT count(*) FROM (SELECT 1 FROM {p['from_'][0]} WHERE {p['where'][0]}"
                f"{p['group']} HAVING {p['all_pass'][0]}) t"
            )
        else:
            sql = (
                f"SELECT count(*) FROM {p['from_'][0]} WHERE {p['where'][0]} AND {p['all_pass'][0]}"
            )
        return sql, p["from_"][1] + p["where"][1] + p["all_pass"][1]

    def rows(self) -> Iterator[Row]:
        for province in sorted(self.per_province):
            sql, params = self.select(province)
            with connection.cursor() as cur:
                cur.execute(
                    f"SELECT household_no, failed FROM ({sql}) t ORDER BY household_no", params
                )
                while batch := cur.fetchmany(5000):
                    for no, failed in batch:
                        codes = [c for c in failed.split(";") if c]
                        yield Row(no, not codes, codes)


@contextmanager
def _large_memory(cur):
    """Memory for the statement: on SQLite a 256 MB page cache (the default 2 MB re-reads a
    province's pages from the OS), restored afterwards; on PostgreSQL `SET LOCAL work_mem` so
    the per-survey member aggregate (a hash of a province's surveys) stays in memory."""
    if connection.vendor == "postgresql":
        cur.execute("SET LOCAL work_mem = '256MB'")
        # the run's partition gets its indexes built when attached: sort in memory
        cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
        yield
        return
    if connection.vendor != "sqlite":
        yield
        return
    cur.execute("PRAGMA cache_size")
    before = cur.fetchone()[0]
    cur.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        cur.execute(f"PRAGMA cache_size = {int(before)}")


def _single_quantifier(node) -> str | None:
    for q in expressions.QUANTIFIERS:
        if q in node and len(node) == 1:
            return q
    return None


def quant_index(item_sql, item) -> int:
    """The aggregate index of an item's (single, top-level) quantifier: quantifiers are
    numbered in compile order, so count those of the items before it."""
    n = 0
    for other, _sql, _params in item_sql:
        if other is item:
            return n
        n += _count_quantifiers(other.expression)
    raise ValueError(item.code)


def _count_quantifiers(node) -> int:
    n = 0
    for key in ("all", "any"):
        for part in node.get(key, ()):
            n += _count_quantifiers(part)
    if "not" in node:
        n += _count_quantifiers(node["not"])
    for q in expressions.QUANTIFIERS:
        if q in node:
            n += 1
    return n


def prepare(standard_code: str, year: int, region: str | None = None, version=None):
    """(standard, version, items, Plan) — raises EvaluationError for an unknown standard, a
    standard without a version, or a missing threshold of the year (nothing written)."""
    standard = Standard.objects.filter(code=standard_code).first()
    if standard is None:
        raise EvaluationError(_("未知标准：%(code)s") % {"code": standard_code})
    if standard.subject != Subject.HOUSEHOLD:
        raise EvaluationError(_("标准 %(code)s 的村、县评估尚未实现") % {"code": standard_code})
    version = version or standard.current_version()
    if version is None:
        raise EvaluationError(_("标准 %(code)s 没有版本") % {"code": standard_code})
    items = active_items(version, year)
    names = threshold_names(items)
    surveys = Survey.objects.filter(year=year)
    if region:
        surveys = surveys.filter(region_q("household__region", region))
    provinces = _provinces(surveys, region)
    per_province = {p: resolve_thresholds(names, year, p) for p in provinces}
    return standard, version, items, Plan(items, year, region, per_province)


def _provinces(surveys, region: str | None) -> list[str]:
    """The provinces present among the year's surveys (at most a few dozen index probes)."""
    if region and len(region) >= 2:
        return [region[:2]]
    from bangfu.regions.models import Region

    found = []
    for code in Region.objects.filter(level=1).values_list("pk", flat=True):
        if surveys.filter(region_q("household__region", code)).exists():
            found.append(code)
    return found or [NATIONAL]


def count_households(region: str | None) -> int:
    households = Household.objects.all()
    if region:
        households = households.filter(region_q("region", region))
    return households.count()


def count_skipped(year: int, region: str | None) -> int:
    households = Household.objects.all()
    if region:
        households = households.filter(region_q("region", region))
    return households.filter(
        ~Exists(Survey.objects.filter(household=OuterRef("pk"), year=year))
    ).count()


def evaluate(
    standard_code: str,
    year: int,
    region: str | None = None,
    save: bool = True,
    run: EvaluationRun | None = None,
    user=None,
) -> Result:
    """Evaluate; with save, write the verdicts under an EvaluationRun (a new one, or `run`
    — whose pinned version is used — when given) in one transaction. Raises EvaluationError."""
    standard = Standard.objects.filter(code=standard_code).first()
    if standard is not None and standard.subject != Subject.HOUSEHOLD:
        from .evaluate_region import evaluate_region  # village and county standards

        return evaluate_region(standard, year, region, save)
    version = run.version if run is not None and run.version_id else None
    standard, version, items, plan = prepare(standard_code, year, region, version)
    result = Result(standard_code, version, year, _plan=plan)
    if not save:
        result.skipped = count_skipped(year, region)
        rows = list(plan.rows())
        result._rows = rows
        result.evaluated = len(rows)
        result.passed = sum(r.passed for r in rows)
        return result
    thresholds = {p: {k: str(v) for k, v in t.items()} for p, t in plan.per_province.items()}
    now = timezone.now()
    with transaction.atomic():
        if run is None:
            run = EvaluationRun(
                standard=standard,
                version=version,
                year=year,
                region_id=region or None,
                started_by=user,
                started=now,
                status=EvaluationRun.Status.RUNNING,
            )
        run.version = version
        run.thresholds = thresholds
        run.save()
        with connection.cursor() as cur, _large_memory(cur):
            if partitions.available(run.pk, year, region):
                # PostgreSQL: fill the run's own table, then attach it as its partition
                provinces = sorted(plan.per_province)
                if len(provinces) == 1:  # CREATE TABLE … AS: may use parallel workers
                    partitions.create_as(
                        cur, run.pk, plan.insert(provinces[0], run, now), plan.count(provinces[0])
                    )
                else:
                    table = partitions.create(cur, run.pk)
                    for province in provinces:
                        cur.execute(*plan.insert(province, run, now, table))
                counts = partitions.counts(cur, run.pk)  # one pass, before its indexes exist
                partitions.attach(cur, run.pk)
            else:
                for province in sorted(plan.per_province):
                    cur.execute(*plan.insert(province, run, now))
                counts = None
        # counts from the run's table or the (run, passed) index; a household has at most one
        # survey a year, so those of the region not evaluated are the skipped ones
        if counts is None:
            counts = (
                Verdict.objects.filter(run=run).count(),
                Verdict.objects.filter(run=run, passed=True).count(),
            )
        result.evaluated, result.passed = counts
        result.skipped = count_households(region) - result.evaluated
        run.evaluated, run.passed = result.evaluated, result.passed
        run.failed, run.skipped = result.failed, result.skipped
        run.status, run.finished = EvaluationRun.Status.DONE, timezone.now()
        run.save()
    result.run = run
    return result
