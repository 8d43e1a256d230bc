"""Explanations with the numbers, the household page's section, the verdicts page and API:
scoped, filtered, Chinese by default and English under the language switch."""

import pytest

from bangfu.core import testing
from bangfu.standards.services.evaluate import evaluate
from bangfu.standards.services.explain import explain

pytestmark = pytest.mark.django_db
VILLAGE = "451423100201"


@pytest.fixture
def verdicts(regions):
    poor = testing.make_household(
        VILLAGE, household_no="POOR-甲", members=1, income_per_person=3000, housing_safety="C"
    )
    rich = testing.make_household(VILLAGE, household_no="RICH-乙", members=1)
    out = testing.make_household("451423100202", household_no="OUT-丙", members=1)
    evaluate("cn-household", 2020)
    return poor, rich, out


def test_explanation_quotes_the_numbers(verdicts):
    poor = verdicts[0]
    reasons = dict(explain(poor.verdicts.get()))
    assert reasons["income"] == "人均纯收入 3,000 元，未超过 2020 年扶贫标准 4,000 元"
    assert "C 级" in reasons["housing"]
    assert list(reasons) == ["income", "housing"]


def test_household_page_shows_latest_verdict_with_explanation(verdicts, users, login):
    poor = verdicts[0]
    html = login(users["village"]).get(f"/registry/households/{poor.pk}/").content.decode()
    assert "退出标准评估" in html and "cn-household" in html
    assert "人均纯收入 3,000 元" in html


def test_household_page_in_english(verdicts, users, login):
    from bangfu.core.tests.test_i18n import in_english

    c = in_english(login(users["village"]))
    html = c.get(f"/registry/households/{verdicts[0].pk}/").content.decode()
    assert "Net income per person 3,000 yuan" in html


def test_verdict_page_scoped_and_filtered(verdicts, users, login):
    c = login(users["village"])
    html = c.get("/standards/verdicts/").content.decode()
    assert "POOR-甲" in html and "RICH-乙" in html and "OUT-丙" not in html
    html = c.get("/standards/verdicts/?passed=0&standard=cn-household&year=2020").content.decode()
    assert "POOR-甲" in html and "RICH-乙" not in html
    html = c.get("/standards/verdicts/?year=2019").content.decode()
    assert "POOR-甲" not in html


def test_api_scoped_and_filtered(verdicts, users, login):
    c = login(users["village"])
    data = c.get("/api/standards/verdicts/").json()
    assert data["count"] == 2
    data = c.get("/api/standards/verdicts/?passed=0").json()
    (row,) = data["results"]
    assert (row["subject"], row["failed_items"], row["standard"]) == (
        "POOR-甲",
        ["income", "housing"],
        "cn-household",
    )
    assert row["explanations"]["income"].startswith("人均纯收入 3,000 元")
    other = verdicts[2].verdicts.get()
    assert c.get(f"/api/standards/verdicts/{other.pk}/").status_code == 404
    assert login(users["county"]).get("/api/standards/verdicts/").json()["count"] == 3


def test_viewer_cannot_edit_thresholds_admin_can(users):
    assert users["viewer"].has_perm("standards.view_threshold")
    assert not users["viewer"].has_perm("standards.change_threshold")
    assert not users["county"].has_perm("standards.change_threshold")
    assert users["county"].has_perm("standards.run_evaluation")
    assert users["admin"].has_perm("standards.change_threshold")
