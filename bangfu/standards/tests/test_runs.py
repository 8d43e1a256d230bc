"""Evaluation runs: started from the page and the API (county office / admin), in scope only,
the version pinned at the start, re-runs adding verdicts, a year without a poverty line failing
the run with the year named and nothing written, the CSV of a run."""

import pytest

from bangfu.core import testing
from bangfu.standards.models import EvaluationRun, Standard, StandardItem, StandardVersion, Verdict
from bangfu.standards.services import runs
from bangfu.standards.services.evaluate import evaluate

pytestmark = pytest.mark.django_db
VILLAGE = "451423100201"


@pytest.fixture(autouse=True)
def sync(settings):
    settings.BANGFU_IMPORT_SYNC = True


@pytest.fixture
def households(regions):
    ok = testing.make_household(VILLAGE, household_no="R-1")
    bad = testing.make_household(VILLAGE, household_no="R-2", income_per_person=100)
    testing.make_household(VILLAGE, household_no="R-3", year=2019)  # no 2020 survey: skipped
    testing.make_household("451423100202", household_no="R-9")
    return ok, bad


def test_page_starts_a_run_and_shows_counts_csv_and_verdicts(households, users, login):
    c = login(users["county"])
    r = c.post("/standards/runs/", {"standard": "cn-household", "year": 2020, "region": VILLAGE})
    run = EvaluationRun.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/standards/runs/{run.pk}/"
    assert (run.status, run.evaluated, run.passed, run.failed, run.skipped) == (
        "done",
        2,
        1,
        1,
        1,
    )
    assert run.started_by == users["county"] and run.version.number == 1
    html = c.get(f"/standards/runs/{run.pk}/").content.decode()
    assert "已完成" in html and f"/standards/runs/{run.pk}/csv/" in html
    assert f"/standards/verdicts/?run={run.pk}" in html
    csv = c.get(f"/standards/runs/{run.pk}/csv/").content.decode()
    assert csv == (
        "subject,standard,year,passed,failed_items\n"
        "R-1,cn-household,2020,true,\n"
        "R-2,cn-household,2020,false,income\n"
    )
    html = c.get(f"/standards/verdicts/?run={run.pk}").content.decode()
    # (numbers with a hyphen: a random CSRF token in the page can contain "H9")
    assert "R-2" in html and "R-9" not in html


def test_progress_partial_polls_until_finished(households, users, login):
    c = login(users["county"])
    run = EvaluationRun.objects.create(
        standard=Standard.objects.get(code="cn-household"), year=2020, region_id=VILLAGE
    )
    html = c.get(f"/standards/runs/{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in html and "等待中" in html
    runs.execute(run.pk)
    html = c.get(f"/standards/runs/{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html and "已完成" in html


def test_year_without_poverty_line_fails_naming_the_year(households, users, login):
    c = login(users["county"])
    r = c.post("/standards/runs/", {"standard": "cn-household", "year": 2021, "region": VILLAGE})
    run = EvaluationRun.objects.get()
    assert run.status == "failed" and "2021 年的扶贫标准" in run.error
    html = c.get(r["Location"]).content.decode()
    assert "2021 年的扶贫标准" in html
    assert not Verdict.objects.exists()
    api = c.post(
        "/api/standards/runs/",
        {"standard": "cn-household", "year": 2021, "region": VILLAGE},
        content_type="application/json",
    )
    assert api.status_code == 400 and "2021" in api.json()["error"]
    assert not Verdict.objects.exists()


def test_region_outside_scope_refused(households, users, login):
    c = login(users["county"])
    r = c.post("/standards/runs/", {"standard": "cn-household", "year": 2020, "region": "451122"})
    assert r.status_code == 400 and "不在您的管辖范围内" in r.content.decode()
    api = c.post(
        "/api/standards/runs/",
        {"standard": "cn-household", "year": 2020, "region": "451122100201"},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert not EvaluationRun.objects.exists()


def test_only_run_evaluation_may_start(households, users, login):
    for name in ("village", "viewer"):
        c = login(users[name])
        r = c.post("/standards/runs/", {"standard": "cn-household", "year": 2020})
        assert r.status_code == 403
        api = c.post(
            "/api/standards/runs/",
            {"standard": "cn-household", "year": 2020},
            content_type="application/json",
        )
        assert api.status_code == 403
    assert not EvaluationRun.objects.exists()


def test_api_starts_and_polls_scoped(households, users, login):
    c = login(users["county"])
    r = c.post(
        "/api/standards/runs/",
        {"standard": "cn-household", "year": 2020, "region": VILLAGE},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = c.get(f"/api/standards/runs/{r.json()['id']}/").json()
    assert (body["status"], body["evaluated"], body["skipped"], body["version"]) == (
        "done",
        2,
        1,
        1,
    )
    assert body["csv_url"].endswith("/csv/")
    assert body["thresholds"]["45"]["poverty_line"] == "4000.00"
    # the other village's user sees no run of 新联村
    assert (
        login(users["other_village"]).get(f"/api/standards/runs/{body['id']}/").status_code == 404
    )


def test_reruns_add_verdicts_and_household_page_shows_the_latest(households, users, login):
    ok, bad = households
    evaluate("cn-household", 2020, VILLAGE)
    bad.surveys.update(wage_income=99999)
    evaluate("cn-household", 2020, VILLAGE)
    assert Verdict.objects.filter(household=bad).count() == 2
    assert EvaluationRun.objects.count() == 2
    html = login(users["village"]).get(f"/registry/households/{bad.pk}/").content.decode()
    assert "未超过 2020 年扶贫标准" not in html  # the latest verdict passes


def test_run_uses_the_version_pinned_at_its_start(households, users):
    standard = Standard.objects.get(code="cn-household")
    run = EvaluationRun.objects.create(
        standard=standard, version=standard.current_version(), year=2020, region_id=VILLAGE
    )
    v1 = run.version
    # meanwhile an administrator makes version 2 where income is not checked at all …
    v2 = StandardVersion.objects.create(standard=standard, number=2, note="edited")
    StandardItem.objects.create(
        version=v2,
        code="food_clothing",
        order=1,
        name="不愁吃、不愁穿",
        expression={"field": "survey.food_clothing_secure", "op": "eq", "value": True},
    )
    # … and may not change the pinned version's items
    item = v1.items.get(code="income")
    item.name = "changed"
    with pytest.raises(Exception, match="新建版本"):
        item.save()
    runs.execute(run.pk)
    run.refresh_from_db()
    assert run.version == v1 and run.failed == 1
    assert set(Verdict.objects.filter(run=run).values_list("version", flat=True)) == {v1.pk}
    # a new run takes the new version
    result = evaluate("cn-household", 2020, VILLAGE)
    assert result.version == v2 and result.failed == 0


def test_village_standard_runs_from_the_page_and_the_api(households, users, login):
    """A village standard goes through the same runs: one verdict per village with facts,
    villages without facts counted as skipped, the CSV one row per village, the verdicts
    naming their run; a re-run adds verdicts beside the first run's."""
    from bangfu.regions.testing import make_village_year
    from bangfu.standards.models import RegionVerdict

    make_village_year(VILLAGE, 2020, rural_population=1000)
    c = login(users["county"])
    r = c.post("/standards/runs/", {"standard": "cn-village", "year": 2020, "region": "451423"})
    run = EvaluationRun.objects.get()
    assert r.status_code == 302
    # only 新联村 has facts; the other villages of the county are skipped
    assert run.status == "done" and run.evaluated == 1 and run.skipped >= 1
    verdict = RegionVerdict.objects.get(run=run)
    assert verdict.region_id == VILLAGE and verdict.version_id == run.version_id
    csv = c.get(f"/standards/runs/{run.pk}/csv/").content.decode()
    assert csv.splitlines() == [
        "subject,standard,year,passed,failed_items",
        f"{VILLAGE},cn-village,2020,{'true' if verdict.passed else 'false'},{verdict.failed_items}",
    ]
    html = c.get(f"/standards/runs/{run.pk}/").content.decode()
    assert f"/standards/region-verdicts/?run={run.pk}" in html and "无村情数据跳过" in html

    body = c.post(
        "/api/standards/runs/",
        {"standard": "gx-village", "year": 2020, "region": "451423"},
        content_type="application/json",
    ).json()
    second = EvaluationRun.objects.get(pk=body["id"])
    assert second.status == "done" and second.evaluated == 1
    assert RegionVerdict.objects.filter(region=VILLAGE).count() == 2  # both runs kept


def test_village_run_without_thresholds_fails_naming_the_year(households, users, login):
    from bangfu.regions.testing import make_village_year
    from bangfu.standards.models import RegionVerdict, Threshold

    make_village_year(VILLAGE, 2020)
    Threshold.objects.filter(year=2020, name__startswith="incidence").delete()
    c = login(users["county"])
    c.post("/standards/runs/", {"standard": "cn-village", "year": 2020, "region": VILLAGE})
    run = EvaluationRun.objects.get()
    assert run.status == "failed" and "2020" in run.error
    assert not RegionVerdict.objects.exists()
