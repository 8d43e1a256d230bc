"""The jobs import writes set-based (`JOBS.bulk_writer` → `jobs.save_new_jobs`): new rows are
checked by the rules of a page (`check_job` through `full_clean`) and written in a few
statements per batch — the same jobs, region copies, `JobTotal` and audit entries as the
row-by-row path, row-numbered errors naming the column, all or nothing unless partial, and a
query count that does not grow with the rows."""

import dataclasses
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bangfu.core import testing as core_testing
from bangfu.core.models import AuditEntry
from bangfu.employment import testing
from bangfu.employment.models import Job, JobTotal
from bangfu.employment.services.layouts import JOBS, import_jobs
from bangfu.funds.services import sheets
from bangfu.funds.services.reconcile import reconcile
from bangfu.registry import copies

pytestmark = pytest.mark.django_db

HEADER = "证件号码,就业方式,用工单位,年度,务工月数,务工收入,开始日期,结束日期,劳务输出协议\n"
KINDS = ("劳务输出", "公益性岗位", "社区工厂/扶贫车间", "就近务工")


def write(tmp_path, text: str, name: str = "jobs.csv"):
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def rows(members, n: int, year: int = 2019) -> str:
    """`n` good rows over `members` and the four kinds (劳务输出 under the 广东 agreement)."""
    out = []
    for i in range(n):
        member, kind = members[i % len(members)], KINDS[i % len(KINDS)]
        agreement = "广东某电子厂" if kind == "劳务输出" else ""
        out.append(
            f"{member.id_number},{kind},用工单位{i % 5},{year},{1 + i % 12},"
            f"{1000 + i * 37}.{i % 100:02d},{year}-{1 + i % 12:02d}-01,,{agreement}\n"
        )
    return "".join(out)


@pytest.fixture
def members(household, far_household):
    """Members of households in two counties (龙州 451423, 钟山 451122)."""
    testing.make_agreement("45", company="广东某电子厂")  # covers both counties
    return [*household.members.order_by("pk"), *far_household.members.order_by("pk")]


class _Rollback(Exception):
    pass


def state() -> dict:
    """What an import leaves, without ids: the jobs (file order), the totals, the audit
    entries of jobs."""
    return {
        "jobs": [
            {k: v for k, v in row.items() if k != "id"}
            for row in Job.objects.order_by("pk").values()
        ],
        "totals": sorted(
            (t.county, t.year, t.kind, t.count, t.income_cents)
            for t in JobTotal.objects.all()
            if t.count or t.income_cents
        ),
        "audit": [
            (e.action, e.source, e.object_repr, e.subject_type, e.subject_id, e.after)
            for e in AuditEntry.objects.filter(object_type="employment.job").order_by("pk")
        ],
        "copies": copies.check_household_copies()["employment.job.region"],
    }


def imported(path, layout) -> tuple[sheets.SheetResult, dict]:
    """Import `path` through `layout` and return what it left, then roll it all back."""
    out = {}
    with pytest.raises(_Rollback), transaction.atomic():
        out["result"] = sheets.import_sheet(path, layout)
        out["state"] = state()
        raise _Rollback
    return out["result"], out["state"]


def test_set_based_and_row_by_row_leave_the_same_jobs_totals_and_audit(
    tmp_path, members, monkeypatch
):
    monkeypatch.setattr(sheets, "BATCH", 4)  # 23 rows: six batches, the last one short
    path = write(tmp_path, rows(members, 23))
    bulk_result, bulk = imported(path, JOBS)
    slow_result, slow = imported(path, dataclasses.replace(JOBS, bulk_writer=None))
    assert bulk_result.ok and slow_result.ok, bulk_result.errors + slow_result.errors
    assert bulk_result.created == slow_result.created == 23
    assert len(bulk["jobs"]) == 23 and bulk["jobs"] == slow["jobs"]
    assert {j["region_id"][:6] for j in bulk["jobs"]} == {"451423", "451122"}
    assert len(bulk["totals"]) == 8 and bulk["totals"] == slow["totals"]
    assert len(bulk["audit"]) == 23 and bulk["audit"] == slow["audit"]
    assert bulk["audit"][0][1] == "import" and "region_id" not in bulk["audit"][0][5]
    assert bulk["copies"] == slow["copies"] == 0


def test_bad_rows_are_named_all_or_nothing_then_partial_keeps_the_good_ones(
    tmp_path, members, household
):
    testing.make_agreement("451122", company="钟山某厂")  # does not cover 龙州
    m = household.members.order_by("pk").first().id_number
    text = (
        rows(members, 2)  # rows 2-3 good
        + f"{m},就近务工,某厂,2019,13,1000,2019-01-01,,\n"  # 4: 13 months
        + f"{m},就近务工,某厂,2019,3,-5,2019-01-01,,\n"  # 5: negative income
        + f"{m},就近务工,某厂,2019,3,1000,2019-05-01,2019-04-01,\n"  # 6: end before start
        + f"{m},就近务工,某厂,2019,3,1000,2020-01-01,,\n"  # 7: starts after its year
        + f"{m},公益性岗位,某厂,2019,3,1000,2019-01-01,,广东某电子厂\n"  # 8: not 劳务输出
        + f"{m},劳务输出,钟山某厂,2019,3,1000,2019-01-01,,钟山某厂\n"  # 9: region
        + f"{m},就近务工,某厂,2999,3,1000,2019-01-01,,\n"  # 10: future year
        + f"{m},就近务工,某厂,2019,3,2000000,2019-01-01,,\n"  # 11: absurd income
        + "450000000000000000,就近务工,某厂,2019,3,1000,2019-01-01,,\n"  # 12: unknown person
        + rows(members, 1)  # 13 good
    )
    path = write(tmp_path, text)
    expected = {
        (4, "务工月数"): "1 到 12",
        (5, "务工收入"): "负数",
        (6, "结束日期"): "早于开始日期",
        (7, "开始日期"): "晚于所填年度",
        (8, "劳务输出协议"): "只有劳务输出",
        (9, "劳务输出协议"): "不覆盖",
        (10, "年度"): "不能晚于今年",
        (11, "务工收入"): "合理范围",
        (12, "证件号码"): "找不到",
    }
    result = import_jobs(path)
    assert not result.ok and Job.objects.count() == 0 and not JobTotal.objects.exists()
    got = {(e.row, e.column): e.reason for e in result.errors}
    assert set(got) == set(expected), got
    for key, words in expected.items():
        assert words in got[key], (key, got[key])

    result = import_jobs(path, partial=True)
    assert result.created == 3 and {e.row for e in result.errors} == set(range(4, 13))
    assert Job.objects.count() == 3
    assert sum(t.count for t in JobTotal.objects.all()) == 3
    assert AuditEntry.objects.filter(object_type="employment.job").count() == 3


def test_query_count_grows_far_slower_than_the_rows(tmp_path, members):
    """Row by row a job took about ten queries; set-based, 190 more rows cost no more than a
    few statements."""

    def queries(n: int, year: int) -> int:
        path = write(tmp_path, rows(members, n, year), name=f"{n}.csv")
        with CaptureQueriesContext(connection) as ctx:
            result = import_jobs(path)
        assert result.created == n, result.errors
        return len(ctx.captured_queries)

    few, many = queries(10, 2018), queries(200, 2019)
    assert many - few < 190 / 10


def test_totals_and_copies_reconcile_after_a_bulk_import_and_again_on_reimport(tmp_path, members):
    core_testing.make_household("451423100202")  # another village, no jobs
    path = write(tmp_path, rows(members, 40))
    result = import_jobs(path)
    assert result.ok and result.created == 40, result.errors
    assert [d for d in reconcile() if d.kind in ("year_totals", "household_copies")] == []
    income = sum(Job.objects.values_list("income", flat=True))
    assert sum(t.income_cents for t in JobTotal.objects.all()) == int(income * 100)
    assert Decimal(income) > 0
    again = import_jobs(path)  # every row matches its job: nothing written
    assert (again.created, again.unchanged) == (0, 40) and Job.objects.count() == 40
