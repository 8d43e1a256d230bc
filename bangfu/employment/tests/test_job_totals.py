"""Maintained job totals (`JobTotal`, services/totals.py): they follow every write of a job
(create, edit, delete, the bulk paths) and a household or member moving to another county, in
the same transaction; the figures card of a county or province reads them and shows exactly
what the records say; the reconciliation reports totals out of step and `--rebuild-totals`
repairs them."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.core import testing as core_testing
from bangfu.core.figures import Period, region_figures
from bangfu.core.models import AuditEntry
from bangfu.employment import testing
from bangfu.employment.choices import JobKind
from bangfu.employment.models import Job, JobTotal
from bangfu.funds.services.reconcile import reconcile
from bangfu.registry import copies
from bangfu.registry.models import Household
from bangfu.registry.services.importer import import_registry
from bangfu.registry.tests.test_forms import household_data
from bangfu.registry.tests.test_import_files import household_rows, to_csv

pytestmark = pytest.mark.django_db
LONGZHOU, ZHONGSHAN = "451423", "451122"
LUOHUI, DAQIAO = "451423100202", "451122100201"


def stored() -> dict:
    """The totals table as {(county, year, kind): (count, yuan)}, zero rows left out."""
    return {
        (t.county, t.year, t.kind): (t.count, Decimal(t.income_cents).scaleb(-2))
        for t in JobTotal.objects.all()
        if t.count or t.income_cents
    }


def from_records() -> dict:
    """The same, computed in Python from the jobs (exact Decimal sums)."""
    out: dict = defaultdict(lambda: (0, Decimal("0.00")))
    for region, year, kind, income in Job.objects.values_list(
        "region_id", "year", "kind", "income"
    ):
        n, total = out[(region[:6], year, kind)]
        out[(region[:6], year, kind)] = (n + 1, total + income)
    return dict(out)


def in_step() -> dict:
    now = stored()
    assert now == from_records()
    assert [d for d in reconcile() if d.kind == "year_totals"] == []
    return now


def card(code: str, user, period: Period | None = None) -> dict:
    """The employment figures of a region card: {label: value}."""
    sections = [s for s in region_figures(code, user, period or Period()) if s.key == "employment"]
    return {f.label: f.value for s in sections for f in s.figures}


def test_totals_follow_create_edit_delete_and_bulk_writes(household, far_household):
    member = household.members.order_by("pk").first()
    job = testing.make_job(member, income=Decimal("36000.10"))
    testing.make_job(member, kind=JobKind.WORKSHOP, year=2020, income=Decimal("800.55"))
    assert in_step() == {
        (LONGZHOU, 2019, JobKind.LABOUR_EXPORT): (1, Decimal("36000.10")),
        (LONGZHOU, 2020, JobKind.WORKSHOP): (1, Decimal("800.55")),
    }
    job.income, job.year, job.kind = Decimal("12000"), 2020, JobKind.WORKSHOP
    job.save()
    assert in_step() == {(LONGZHOU, 2020, JobKind.WORKSHOP): (2, Decimal("12800.55"))}
    job.employer = "本村合作社"
    job.save(update_fields=["employer"])
    assert in_step() == {(LONGZHOU, 2020, JobKind.WORKSHOP): (2, Decimal("12800.55"))}

    far = far_household.members.order_by("pk").first()
    new = [
        Job(member=far, kind=JobKind.NEARBY, employer="镇上", year=2021, months=3,
            income=Decimal("3000.01"), start_date=datetime.date(2021, 1, 1))
        for _ in range(3)
    ]  # fmt: skip
    copies.fill_many(new)
    Job.objects.bulk_create(new)
    assert in_step()[(ZHONGSHAN, 2021, JobKind.NEARBY)] == (3, Decimal("9000.03"))
    assert Job.objects.filter(member=far).update(income=Decimal("100")) == 3
    assert in_step()[(ZHONGSHAN, 2021, JobKind.NEARBY)] == (3, Decimal("300.00"))
    Job.objects.filter(member=far).update(employer="县城")  # no total field: nothing to move
    Job.objects.filter(pk=new[0].pk).delete()
    assert in_step()[(ZHONGSHAN, 2021, JobKind.NEARBY)] == (2, Decimal("200.00"))
    job.delete()
    Job.objects.all().delete()
    assert in_step() == {}


def test_a_household_moving_county_on_its_page_moves_its_jobs_totals(household, users, login):
    member = household.members.order_by("pk").first()
    testing.make_job(member, income=Decimal("5000"))
    testing.make_job(member, kind=JobKind.NEARBY, income=Decimal("700"))
    before = card(LONGZHOU, users["county"])
    assert before["劳务输出"] == 1 and before["就近务工收入"] == Decimal("700")
    r = login(users["admin"]).post(
        reverse("registry:household_edit", kwargs={"pk": household.pk}),
        household_data(household, region=DAQIAO),
    )
    assert r.status_code == 302
    assert in_step() == {
        (ZHONGSHAN, 2019, JobKind.LABOUR_EXPORT): (1, Decimal("5000.00")),
        (ZHONGSHAN, 2019, JobKind.NEARBY): (1, Decimal("700.00")),
    }
    assert card(LONGZHOU, users["county"]) == {}
    assert card(ZHONGSHAN, users["other_county"]) == before


def test_the_registry_import_and_a_member_moving_keep_the_totals(regions, far_household, tmp_path):
    assert import_registry(to_csv(household_rows("H001"), tmp_path / "a.csv")).status == "done"
    household = Household.objects.get(household_no="H001")
    member = household.members.order_by("pk").first()
    testing.make_job(member, income=Decimal("2000"))
    rows = household_rows("H001", region=LUOHUI, village="罗回村")  # same county: totals stay
    assert import_registry(to_csv(rows, tmp_path / "b.csv")).status == "done"
    assert in_step() == {(LONGZHOU, 2019, JobKind.LABOUR_EXPORT): (1, Decimal("2000.00"))}
    mover = household.members.order_by("pk").last()
    testing.make_job(mover, income=Decimal("300"))
    mover.household = far_household
    mover.save()
    assert in_step() == {
        (LONGZHOU, 2019, JobKind.LABOUR_EXPORT): (1, Decimal("2000.00")),
        (ZHONGSHAN, 2019, JobKind.LABOUR_EXPORT): (1, Decimal("300.00")),
    }


def test_rebuilding_the_household_copies_moves_the_totals_too(household, far_household):
    job = testing.make_job(household.members.order_by("pk").first(), income=Decimal("900"))
    # a household moved by SQL that bypassed the copies: the rebuild brings jobs and totals along
    Household.objects.filter(pk=household.pk).update(region_id=DAQIAO)
    assert copies.rebuild_household_copies()["employment.job.region"] == 1
    job.refresh_from_db()
    assert job.region_id == DAQIAO
    assert in_step() == {(ZHONGSHAN, 2019, JobKind.LABOUR_EXPORT): (1, Decimal("900.00"))}


def test_reconciliation_reports_damaged_totals_and_rebuild_repairs_them(household, capsys):
    testing.make_job(household.members.order_by("pk").first(), income=Decimal("1500"))
    JobTotal.objects.update(count=5, income_cents=1)
    found = [d for d in reconcile("4514") if d.kind == "year_totals"]
    assert len(found) == 1
    assert "451423 2019年就业（劳务输出）的年度合计记为5笔0.01元，但记录为1笔1,500.00元" in (
        found[0].message
    )
    assert found[0].url.startswith(reverse("employment:job_list") + "?region=451423&year=2019")
    assert [d for d in reconcile("4511") if d.kind == "year_totals"] == []  # another county
    with pytest.raises(SystemExit):
        call_command("reconcile_funds")
    capsys.readouterr()
    call_command("reconcile_funds", "--rebuild-totals")
    assert "年度合计" in capsys.readouterr().out
    in_step()
    assert AuditEntry.objects.filter(object_type="employment.jobtotal").exists()


def test_the_province_card_reads_the_totals(household, users):
    testing.make_job(household.members.order_by("pk").first(), income=Decimal("1500"))
    province = core_testing.make_user("province", "county", "45")
    for user, code, reads_totals in (
        (province, "45", True),
        (users["admin"], "45", True),
        (users["county"], LONGZHOU, True),
        (users["village"], "451423100201", False),  # a village: the records
    ):
        with CaptureQueriesContext(connection) as ctx:
            assert card(code, user)["劳务输出收入"] == Decimal("1500")
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        assert ("employment_jobtotal" in sql) is reads_totals


KINDS = list(JobKind)
jobs_strategy = st.lists(
    st.tuples(
        st.integers(0, 2),  # which household
        st.sampled_from(KINDS),
        st.integers(2018, 2021),
        st.decimals(Decimal("0.01"), Decimal("99999.99"), places=2),
    ),
    max_size=8,
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    jobs=jobs_strategy,
    start=st.one_of(st.none(), st.integers(2018, 2021)),
    end=st.one_of(st.none(), st.integers(2018, 2021)),
)
def test_the_card_equals_the_records_for_random_jobs(
    household, other_household, far_household, users, jobs, start, end
):
    Job.objects.all().delete()
    households = [household, other_household, far_household]
    members = [h.members.order_by("pk").first() for h in households]
    for i, kind, year, income in jobs:
        testing.make_job(
            members[i], kind=kind, year=year, income=income, start_date=datetime.date(year, 1, 1)
        )
    period = Period(
        datetime.date(start, 3, 15) if start else None, datetime.date(end, 6, 30) if end else None
    )
    for code in ("45", LONGZHOU, ZHONGSHAN):
        expected: dict = {}
        for i, kind, year, income in jobs:
            if not households[i].region_id.startswith(code):
                continue
            if (start and year < start) or (end and year > end):
                continue
            expected[kind.label] = expected.get(kind.label, 0) + 1
            key = f"{kind.label}收入"
            expected[key] = expected.get(key, Decimal("0")) + income
        assert card(code, users["admin"], period) == expected
    in_step()
