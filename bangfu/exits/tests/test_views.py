"""The exit pages: list with filters, the case page and its htmx step form, objections, notice
days, the household and region sections, the printable notice and announcement."""

from __future__ import annotations

import datetime
import re

import pytest

from bangfu.core.testing import make_household
from bangfu.exits import testing
from bangfu.exits.choices import CaseKind, CaseStatus, Step
from bangfu.exits.models import ExitCase, ExitStep, Objection
from bangfu.exits.services import procedure

D = datetime.date
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def case(household):
    testing.make_verdict(household)
    return testing.make_case(household, year=2020)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_list_is_scoped_and_filtered(users, household, other_household, regions, login):
    for h in (household, other_household):
        testing.make_verdict(h)
    mine = testing.advance(testing.make_case(household), Step.VERIFY)
    testing.make_case(other_household)
    county = testing.make_case(region=regions["451423"], kind=CaseKind.COUNTY)
    village = testing.make_case(region=regions["451423100201"], kind=CaseKind.VILLAGE)

    c = login(users["village"])
    page = text(c.get("/exits/"))
    assert household.household_no in page and other_household.household_no not in page
    assert f"/exits/{county.pk}/" not in page  # the county's case is above the village
    assert f"/exits/{village.pk}/" in page

    c = login(users["county"])
    ids = lambda r: set(map(int, re.findall(r'href="/exits/(\d+)/"', r.content.decode())))  # noqa: E731
    assert ids(c.get("/exits/")) == set(ExitCase.objects.values_list("pk", flat=True))
    assert ids(c.get("/exits/?kind=county")) == {county.pk}
    assert ids(c.get("/exits/?step=verify")) == {mine.pk}
    assert ids(c.get("/exits/?region=451423100202")) == {
        ExitCase.objects.get(household=other_household).pk
    }
    assert ids(c.get("/exits/?year=2019")) == set()
    assert c.get("/exits/", HTTP_HX_REQUEST="true").status_code == 200


def test_case_page_shows_the_timeline_and_the_next_step_form(case, users, login):
    testing.advance(case, Step.REVIEW)
    c = login(users["village"])
    page = text(c.get(f"/exits/{case.pk}/"))
    assert "村两委民主评议" in page and "销号" in page
    assert "登记下一步：村两委和驻村工作队核实" in page
    assert f'hx-post="/exits/{case.pk}/steps/add/"' in page
    # the case's history: the step recorded, by whom
    assert "村两委民主评议" in page.split("修改记录")[1]
    # a viewer reads but gets no form
    page = text(login(users["viewer"]).get(f"/exits/{case.pk}/"))
    assert "登记下一步" not in page


def test_htmx_step_form_records_and_returns_the_section(case, users, login):
    c = login(users["village"])
    r = c.post(
        f"/exits/{case.pk}/steps/add/",
        {"step": "review", "date": "2020-09-01", "note": "评议通过"},
        **HTMX,
    )
    assert r.status_code == 200
    page = text(r)
    assert page.startswith('<div id="procedure">') and "<html" not in page
    assert "已登记：村两委民主评议" in page
    assert "登记下一步：村两委和驻村工作队核实" in page
    step = ExitStep.objects.get(case=case)
    assert (step.step, step.date, step.recorded_by, step.note) == (
        "review",
        D(2020, 9, 1),
        users["village"],
        "评议通过",
    )


def test_htmx_step_form_shows_the_refusal_and_writes_nothing(case, users, login):
    c = login(users["village"])
    r = c.post(f"/exits/{case.pk}/steps/add/", {"step": "notice", "date": "2020-09-01"}, **HTMX)
    page = text(r)
    assert "不能跳过或颠倒步骤：下一步应为「村两委民主评议」" in page
    assert not ExitStep.objects.exists()


def test_plain_post_redirects_to_the_case(case, users, login):
    c = login(users["township"])
    r = c.post(f"/exits/{case.pk}/steps/add/", {"step": "review", "date": "2020-09-01"})
    assert r.status_code == 302 and r["Location"] == f"/exits/{case.pk}/"


def test_verdict_gate_message_on_the_page(household, users, login):
    testing.make_verdict(household, passed=False, failed_items="income;housing")
    case = testing.advance(testing.make_case(household), Step.CONSENT)
    c = login(users["village"])
    r = c.post(
        f"/exits/{case.pk}/steps/add/",
        {"step": "notice", "date": "2020-09-10", "contact": "村委会"},
        **HTMX,
    )
    page = text(r)
    assert "评估未达标，不能进入村内公示" in page and "income" in page and "housing" in page


def test_objection_pages(case, users, login):
    testing.advance(case, Step.NOTICE)
    c = login(users["village"])
    assert "登记异议" in text(c.get(f"/exits/{case.pk}/"))
    r = c.post(
        f"/exits/{case.pk}/objections/add/",
        {"raised_by": "村民甲", "raised_on": case.current_step_date.isoformat(), "content": "有车"},
    )
    assert r.status_code == 302
    objection = Objection.objects.get()
    case.refresh_from_db()
    assert case.status == CaseStatus.OBJECTION
    # the village may raise but not resolve; the county resolves
    assert c.get(f"/exits/objections/{objection.pk}/resolve/").status_code == 403
    c = login(users["county"])
    r = c.post(
        f"/exits/objections/{objection.pk}/resolve/",
        {"outcome": "dismissed", "resolved_on": case.current_step_date.isoformat()},
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_notice_days_page_is_the_county_office_s(case, users, login):
    assert login(users["village"]).get(f"/exits/{case.pk}/notice-days/").status_code == 403
    c = login(users["county"])
    r = c.post(f"/exits/{case.pk}/notice-days/", {"notice_days": "6"})
    assert "公示天数不能少于 7 天" in text(r)
    r = c.post(f"/exits/{case.pk}/notice-days/", {"notice_days": "10"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.notice_days == 10


def test_open_a_case_from_the_household_page(household, users, login):
    c = login(users["village"])
    page = text(c.get(f"/registry/households/{household.pk}/"))
    assert "退出程序" in page and f"/exits/add/?household={household.pk}" in page
    form = text(c.get(f"/exits/add/?household={household.pk}"))
    assert f'value="{household.household_no}"' in form
    assert 'name="notice_days"' not in form  # only the county office sets it
    r = c.post(
        "/exits/add/", {"kind": "household", "household": household.household_no, "year": "2020"}
    )
    case = ExitCase.objects.get()
    assert r["Location"] == f"/exits/{case.pk}/"
    assert (case.household, case.region_id, case.standard_code, case.notice_days) == (
        household,
        household.region_id,
        "cn-household",
        7,
    )
    page = text(c.get(f"/registry/households/{household.pk}/"))
    assert f"/exits/{case.pk}/" in page


def test_case_form_errors(users, other_household, regions, login):
    c = login(users["village"])
    r = c.post(
        "/exits/add/",
        {"kind": "household", "household": other_household.household_no, "year": "2020"},
    )
    assert "不存在或不在您的管辖范围内" in text(r)
    r = c.post("/exits/add/", {"kind": "county", "region": "451423", "year": "2020"})
    assert "不存在或不在您的管辖范围内" in text(r)
    c = login(users["county"])
    r = c.post("/exits/add/", {"kind": "village", "region": "451423", "year": "2020"})
    assert "贫困村退出的对象应为村级区划" in text(r)
    assert not ExitCase.objects.exists()


def test_region_page_shows_the_exit(regions, users, login):
    case = testing.make_case(region=regions["451423100201"], kind=CaseKind.VILLAGE)
    testing.advance(case, Step.ANNOUNCE, start=D(2020, 11, 2))
    c = login(users["village"])
    page = text(c.get("/regions/451423100201/"))
    assert 'hx-get="/exits/regions/451423100201/section/"' in page  # loaded after the page
    section = text(c.get("/exits/regions/451423100201/section/", HTTP_HX_REQUEST="true"))
    assert f"/exits/{case.pk}/" in section
    assert f"{case.current_step_date:%Y-%m-%d} 退出" in section
    assert "/exits/villages/451423100201/notice/" in section
    # the county's page: the county's own cases only, for the county office
    county = testing.make_case(region=regions["451423"], kind=CaseKind.COUNTY)
    section = text(login(users["county"]).get("/exits/regions/451423/section/"))
    assert f"/exits/{county.pk}/" in section and f"/exits/{case.pk}/" not in section
    assert login(users["village"]).get("/exits/regions/451423/section/").status_code == 404


def test_step_page_has_the_evidence_upload(case, users, login):
    step = testing.advance(case, Step.REVIEW).steps.get()
    c = login(users["village"])
    page = text(c.get(f"/exits/steps/{step.pk}/"))
    assert "上传附件" in page
    from bangfu.core.attachments.testing import png_upload

    r = c.post(
        "/attachments/upload/",
        {"owner": "exits.exitstep", "object_id": step.pk, "files": png_upload("评议会议记录.png")},
    )
    assert r.status_code in (302, 200)
    assert "评议会议记录.png" in text(c.get(f"/exits/steps/{step.pk}/"))
    # a viewer sees the file but cannot add one
    page = text(login(users["viewer"]).get(f"/exits/steps/{step.pk}/"))
    assert "评议会议记录.png" in page and "上传附件" not in page


# ---- printable pages ---------------------------------------------------------------------


def _personal_values(household):
    values = [household.phone]
    for m in household.members.all():
        values.append(m.id_number)
    return values


@pytest.mark.parametrize("username", ["admin", "county", "village"])
def test_notice_and_announcement_show_no_personal_data(household, users, login, username):
    member = household.members.first()
    ms = member.surveys.first()
    ms.health = "serious_illness"
    ms.save()
    testing.make_verdict(household)
    case = testing.advance(testing.make_case(household), Step.NOTICE)
    announced = make_household("451423100201")
    testing.make_verdict(announced)
    testing.advance(testing.make_case(announced), Step.STRIKE)

    c = login(users[username])
    assert users[username].has_perm("accounts.view_personal_data") == (username != "village")
    notice = text(c.get("/exits/villages/451423100201/notice/"))
    announcement = text(c.get("/exits/villages/451423100201/announcement/?year=2020"))
    head = household.head().name
    assert head in notice and household.household_no in notice
    assert "新联村" in notice and "国家贫困户退出标准" in notice
    start = case.current_step_date
    assert f"{start:%Y-%m-%d} – {start + datetime.timedelta(6):%Y-%m-%d}" in notice
    assert "村委会 黄主任 0771-1234567" in notice  # how to object
    assert announced.household_no in announcement and household.household_no not in announcement
    assert announced.household_no not in notice
    for page in (notice, announcement):
        for value in _personal_values(household) + _personal_values(announced):
            assert value not in page
        for word in (
            "患有大病",
            "健康",
            "残疾",
            "慢性病",
            "因病",
            "银行",
            "账号",
            "证件号码",
            "联系电话",
        ):
            assert word not in page


def test_print_css_is_linked(household, users, login):
    page = text(login(users["village"]).get("/exits/villages/451423100201/notice/"))
    assert "css/exits-print.css" in page and "window.print()" in page


def test_notice_of_another_village_is_not_found(users, login):
    assert login(users["village"]).get("/exits/villages/451423100202/notice/").status_code == 404


def test_notice_lists_only_cases_in_notice_including_those_with_an_objection(
    household, users, login
):
    testing.make_verdict(household)
    case = testing.advance(testing.make_case(household), Step.NOTICE)
    early = make_household("451423100201")
    testing.make_verdict(early)
    testing.advance(testing.make_case(early), Step.CONSENT)
    procedure.raise_objection(case, None, "甲", case.current_step_date, "x")
    page = text(login(users["village"]).get("/exits/villages/451423100201/notice/"))
    assert household.household_no in page and early.household_no not in page
