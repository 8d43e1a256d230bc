"""Administrators edit thresholds (history from the audit log on the page) and add a local
standard from the UI: standard → version → items with the JSON rule validated when SAVED (an
unknown field or threshold is rejected naming it); a used version is immutable, a copy is not."""

import json
from decimal import Decimal

import pytest

from bangfu.core import testing
from bangfu.standards.models import Standard, StandardItem, StandardVersion, Threshold, Verdict
from bangfu.standards.services.evaluate import evaluate

pytestmark = pytest.mark.django_db
VILLAGE = "451423100201"
LINE = {"field": "survey.net_income_per_person", "op": "gt", "threshold": "gx_line"}


def _item(code, expression, order=1):
    return {"code": code, "order": order, "name": code, "expression": json.dumps(expression)}


def test_admin_adds_a_local_standard_from_the_ui(regions, users, login):
    c = login(users["admin"])
    r = c.post(
        "/standards/manage/new/", {"code": "gx-line", "name": "广西自定收入线", "province": "45"}
    )
    assert r.status_code == 302
    standard = Standard.objects.get(code="gx-line")
    (version,) = standard.versions.all()
    # the province's own line, by year
    r = c.post(
        "/standards/thresholds/",
        {"name": "gx_line", "year": 2020, "province": "45", "value": "4500"},
    )
    assert r.status_code == 302
    # an unknown field is rejected when the item is SAVED, naming it; nothing written
    bad = {"field": "survey.bogus_income", "op": "gt", "value": 1}
    r = c.post(f"/standards/manage/item/?version={version.pk}", _item("income", bad))
    assert r.status_code == 400 and "未知字段：survey.bogus_income" in r.content.decode()
    r = c.post(
        f"/standards/manage/item/?version={version.pk}",
        _item("income", {**LINE, "threshold": "no_such_line"}),
    )
    assert r.status_code == 400 and "未知阈值 no_such_line" in r.content.decode()
    assert not StandardItem.objects.filter(version=version).exists()
    r = c.post(f"/standards/manage/item/?version={version.pk}", _item("income", LINE))
    assert r.status_code == 302
    # it evaluates like any other standard
    poor = testing.make_household(VILLAGE, members=1, income_per_person=4400)
    rich = testing.make_household(VILLAGE, members=1, income_per_person=4600)
    result = evaluate("gx-line", 2020, VILLAGE, save=False)
    failed = {r.subject: r.failed for r in result.rows}
    assert failed[poor.household_no] == ["income"] and failed[rich.household_no] == []
    html = c.get("/standards/manage/?standard=gx-line").content.decode()
    assert "gx_line" in html and "复制为新版本" in html


def test_used_version_is_immutable_and_a_copy_is_editable(regions, users, login):
    c = login(users["admin"])
    testing.make_household(VILLAGE)
    evaluate("cn-household", 2020, VILLAGE)
    v1 = Standard.objects.get(code="cn-household").current_version()
    item = v1.items.get(code="water")
    r = c.post(f"/standards/manage/item/?item={item.pk}", _item("water", item.expression, 6))
    assert r.status_code == 400 and "请新建版本" in r.content.decode()
    r = c.post("/standards/manage/copy/", {"version": v1.pk})
    assert r.status_code == 302
    v2 = StandardVersion.objects.get(standard__code="cn-household", number=2)
    assert list(v2.items.values_list("code", flat=True)) == list(
        v1.items.values_list("code", flat=True)
    )
    water2 = v2.items.get(code="water")
    data = _item("water", water2.expression, 6)
    data["active_from"] = 2021
    r = c.post(f"/standards/manage/item/?item={water2.pk}", data)
    assert r.status_code == 302
    water2.refresh_from_db()
    assert water2.active_from == 2021 and v1.items.get(code="water").active_from == 2019


def test_threshold_edit_shows_its_history(regions, users, login):
    c = login(users["admin"])
    t = Threshold.objects.get(name="poverty_line", year=2020, province="")
    r = c.post(
        f"/standards/thresholds/?id={t.pk}",
        {"name": "poverty_line", "year": 2020, "province": "", "value": "4100"},
    )
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.value == Decimal("4100")
    html = c.get(f"/standards/thresholds/?id={t.pk}").content.decode()
    assert "修改历史" in html and "<td>4000</td><td>4100</td>" in html and "admin" in html


def test_only_administrators_change_standards(regions, users, login):
    c = login(users["county"])
    t = Threshold.objects.get(name="poverty_line", year=2020, province="")
    r = c.post(
        f"/standards/thresholds/?id={t.pk}",
        {"name": "poverty_line", "year": 2020, "province": "", "value": "1"},
    )
    assert r.status_code == 403
    assert c.post("/standards/manage/new/", {"code": "x", "name": "x"}).status_code == 403
    v1 = Standard.objects.get(code="cn-household").current_version()
    assert c.post("/standards/manage/copy/", {"version": v1.pk}).status_code == 403
    html = c.get("/standards/thresholds/").content.decode()
    assert "poverty_line" in html and "修改阈值" not in html
    assert not Verdict.objects.exists()
