"""Scope of exit cases: a village user sees and works on its village's cases only; a township its
villages'; the county office its county's; nothing of another county — on pages, the API and in
the service itself."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from bangfu.exits import testing
from bangfu.exits.choices import CaseKind, Step
from bangfu.exits.models import ExitCase, ExitStep
from bangfu.exits.services import procedure

D = datetime.date


@pytest.fixture
def cases(household, other_household, far_household, regions):
    return {
        "xinlian": testing.make_case(household),
        "luohui": testing.make_case(other_household),
        "zhongshan": testing.make_case(far_household),
        "longzhou": testing.make_case(region=regions["451423"], kind=CaseKind.COUNTY),
    }


@pytest.mark.parametrize(
    ("user", "visible"),
    [
        ("village", {"xinlian"}),
        ("other_village", {"luohui"}),
        ("township", {"xinlian", "luohui"}),
        ("county", {"xinlian", "luohui", "longzhou"}),
        ("viewer", {"xinlian", "luohui", "longzhou"}),
        ("other_county", {"zhongshan"}),
        ("admin", {"xinlian", "luohui", "zhongshan", "longzhou"}),
    ],
)
def test_who_sees_which_case(cases, users, user, visible):
    seen = set(ExitCase.objects.for_user(users[user]).values_list("pk", flat=True))
    assert seen == {cases[name].pk for name in visible}


def test_out_of_scope_case_pages_are_not_found(cases, users, login):
    c = login(users["village"])
    other = cases["luohui"]
    assert c.get(f"/exits/{other.pk}/").status_code == 404
    r = c.post(f"/exits/{other.pk}/steps/add/", {"step": "review", "date": "2020-09-01"})
    assert r.status_code == 404
    assert c.get(f"/exits/{cases['longzhou'].pk}/").status_code == 404
    assert not ExitStep.objects.exists()


def test_the_service_refuses_a_user_out_of_scope(cases, users):
    with pytest.raises(PermissionDenied):
        procedure.record_step(cases["luohui"], Step.REVIEW, users["village"], D(2020, 9, 1))
    with pytest.raises(PermissionDenied):
        procedure.record_step(cases["xinlian"], Step.REVIEW, users["other_county"], D(2020, 9, 1))
    assert not ExitStep.objects.exists()


def test_a_viewer_cannot_record_a_step(cases, users, login):
    c = login(users["viewer"])
    r = c.post(f"/exits/{cases['xinlian'].pk}/steps/add/", {"step": "review", "date": "2020-09-01"})
    assert r.status_code == 403
    assert not ExitStep.objects.exists()


@settings(max_examples=15, deadline=None)
@given(days=st.integers(min_value=7, max_value=30), offset=st.integers(min_value=0, max_value=40))
def test_announcement_allowed_exactly_from_notice_plus_n_days(django_db_blocker, days, offset):
    """For any notice length N ≥ 7 and any day after the notice, 公告 is accepted iff the day is
    at least notice + N days (in a transaction rolled back after each example)."""
    from django.db import transaction

    from bangfu.core.testing import make_household, make_regions

    with django_db_blocker.unblock(), transaction.atomic():
        make_regions()
        household = make_household("451423100201")
        testing.make_verdict(household)
        case = testing.make_case(household, notice_days=days)
        testing.advance(case, Step.NOTICE, start=D(2020, 6, 1))
        day = case.current_step_date + datetime.timedelta(offset)
        try:
            procedure.record_step(case, Step.ANNOUNCE, None, day)
            accepted = True
        except ValidationError as exc:
            assert exc.error_dict.keys() == {"date"}
            accepted = False
        assert accepted == (offset >= days)
        transaction.set_rollback(True)
