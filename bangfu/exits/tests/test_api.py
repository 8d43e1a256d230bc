"""The exits API: scoped lists with the pages' filters; writes through `services.procedure`
(the same order, dates and messages)."""

from __future__ import annotations

import datetime

from bangfu.exits import testing
from bangfu.exits.choices import CaseKind, Step
from bangfu.exits.models import ExitCase, ExitStep, Objection

D = datetime.date


def _api(client):
    def call(method, url, data=None):
        return getattr(client, method)(url, data, content_type="application/json")

    return call


def test_cases_are_scoped_and_filtered(users, household, other_household, regions, login):
    testing.make_case(household)
    testing.make_case(other_household)
    testing.make_case(region=regions["451423"], kind=CaseKind.COUNTY)
    api = _api(login(users["village"]))
    data = api("get", "/api/exits/cases/").json()
    assert data["count"] == 1
    assert data["results"][0]["household"] == household.pk
    assert data["results"][0]["next_step"] == "review"
    api = _api(login(users["county"]))
    assert api("get", "/api/exits/cases/").json()["count"] == 3
    assert api("get", "/api/exits/cases/?kind=county").json()["count"] == 1
    assert api("get", "/api/exits/cases/?step=review").json()["count"] == 0


def test_open_a_case_and_record_steps_through_the_api(users, household, login):
    testing.make_verdict(household)
    api = _api(login(users["village"]))
    r = api(
        "post", "/api/exits/cases/", {"kind": "household", "household": household.pk, "year": 2020}
    )
    assert r.status_code == 201, r.json()
    case_id = r.json()["id"]
    assert r.json()["region"] == household.region_id

    r = api("post", "/api/exits/steps/", {"case": case_id, "step": "verify", "date": "2020-09-01"})
    assert r.status_code == 400
    assert "下一步应为「村两委民主评议」" in r.json()["step"][0]
    r = api("post", "/api/exits/steps/", {"case": case_id, "step": "review", "date": "2020-09-01"})
    assert r.status_code == 201, r.json()
    assert r.json()["recorded_by"] == "village"
    assert r.json()["position"] == 1
    r = api("post", "/api/exits/steps/", {"case": case_id, "step": "verify", "date": "2020-08-31"})
    assert r.status_code == 400 and "date" in r.json()
    assert ExitStep.objects.count() == 1
    assert api("get", f"/api/exits/steps/?case={case_id}").json()["count"] == 1


def test_steps_cannot_be_changed_or_deleted(users, household, login):
    case = testing.advance(testing.make_case(household), Step.REVIEW)
    step = case.steps.get()
    api = _api(login(users["county"]))
    assert api("patch", f"/api/exits/steps/{step.pk}/", {"note": "x"}).status_code == 405
    assert api("delete", f"/api/exits/steps/{step.pk}/").status_code == 405


def test_a_case_out_of_scope_cannot_be_stepped(users, other_household, login):
    case = testing.make_case(other_household)
    api = _api(login(users["village"]))
    r = api("post", "/api/exits/steps/", {"case": case.pk, "step": "review", "date": "2020-09-01"})
    assert r.status_code == 400
    assert not ExitStep.objects.exists()


def test_objections_through_the_api(users, household, login):
    testing.make_verdict(household)
    case = testing.advance(testing.make_case(household), Step.NOTICE)
    day = case.current_step_date.isoformat()
    api = _api(login(users["village"]))
    r = api(
        "post",
        "/api/exits/objections/",
        {"case": case.pk, "raised_by": "村民甲", "raised_on": day, "content": "有车"},
    )
    assert r.status_code == 201, r.json()
    objection = Objection.objects.get()
    # the village may not resolve
    r = api(
        "patch", f"/api/exits/objections/{objection.pk}/", {"outcome": "upheld", "resolved_on": day}
    )
    assert r.status_code == 403
    api = _api(login(users["county"]))
    r = api(
        "patch", f"/api/exits/objections/{objection.pk}/", {"outcome": "upheld", "resolved_on": day}
    )
    assert r.status_code == 200, r.json()
    assert ExitCase.objects.get().status == "closed"


def test_notice_days_through_the_api(users, household, login):
    case = testing.make_case(household)
    r = _api(login(users["township"]))("patch", f"/api/exits/cases/{case.pk}/", {"notice_days": 9})
    assert r.status_code == 403
    api = _api(login(users["county"]))
    r = api("patch", f"/api/exits/cases/{case.pk}/", {"notice_days": 6})
    assert r.status_code == 400 and "不能少于 7 天" in r.json()["notice_days"][0]
    r = api("patch", f"/api/exits/cases/{case.pk}/", {"notice_days": 9})
    assert r.status_code == 200 and r.json()["notice_days"] == 9
    r = api("patch", f"/api/exits/cases/{case.pk}/", {"year": 2019})
    assert r.status_code == 400
    assert ExitCase.objects.get().year == 2020
