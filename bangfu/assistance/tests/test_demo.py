"""The assistance demo (`bangfu demo`): the seeds' counts hold, every record passes the rules,
the coverage checks give the answers the demo was built to give, and the two new logins are
scoped to what they should see."""

import datetime
from collections import defaultdict

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.assistance.choices import PostingRole
from bangfu.assistance.choices import ResponsibilityLevel as L
from bangfu.assistance.models import (
    Assignment,
    Cadre,
    Pairing,
    Posting,
    Responsibility,
    Unit,
    Zone,
)
from bangfu.assistance.services import coverage
from bangfu.assistance.services import demo as assistance_demo
from bangfu.assistance.services.rules import active_q
from bangfu.assistance.services.zones import responsibility_chain
from bangfu.core.checks import registered_checks
from bangfu.core.choices import ChangeSource
from bangfu.core.models import AuditEntry
from bangfu.regions.models import Region
from bangfu.registry.models import Household
from bangfu.registry.services.demo import PASSWORD

pytestmark = pytest.mark.django_db

SEVEN = assistance_demo.SEVEN
# 700 households put 81 in 大桥 and 江台, enough for seed 004's 76.
HOUSEHOLDS = 700


@pytest.fixture
def demo(capsys):
    call_command("demo", households=HOUSEHOLDS, seed=11)
    return capsys.readouterr().out


def in_villages(codes):
    return Household.objects.filter(region__in=[*codes])


def test_longzhou_department_backing_units_and_assignments(demo):
    department = Unit.objects.get(name="广西壮族自治区公安厅")
    backing = Unit.objects.filter(parent=department)
    assert backing.count() == 27
    assert {"治安管理总队", "刑事侦查总队", "南宁市公安局"} <= set(
        backing.values_list("name", flat=True)
    )
    # the department in each of the seven villages over 2015-10 → 2020-12, with its
    # responsible backing unit, renewed for the transition period
    campaign = Assignment.objects.filter(unit=department, end_date=datetime.date(2020, 12, 31))
    assert sorted(campaign.values_list("village_id", flat=True)) == sorted(SEVEN)
    assert all(a.start_date == datetime.date(2015, 10, 8) for a in campaign)
    assert all(a.backing_unit.parent_id == department.pk for a in campaign)
    assert Assignment.objects.filter(unit=department, end_date=None).count() == 7
    # all 27 backing units take part: responsible for a village or assigned to one themselves
    involved = set(campaign.values_list("backing_unit_id", flat=True)) | set(
        Assignment.objects.filter(unit__parent=department).values_list("unit_id", flat=True)
    )
    assert involved == set(backing.values_list("pk", flat=True))


def test_longzhou_first_secretary_in_each_village_on_every_day(demo):
    for day in (datetime.date(2015, 10, 8), datetime.date(2017, 10, 1), timezone.localdate()):
        secretaries = Posting.objects.filter(
            active_q(day), village__in=SEVEN, role=PostingRole.FIRST_SECRETARY
        )
        assert sorted(secretaries.values_list("village_id", flat=True)) == sorted(SEVEN), day
        members = Posting.objects.filter(
            active_q(day), village__in=SEVEN, role=PostingRole.TEAM_MEMBER
        )
        assert members.count() == 14


def test_longzhou_every_household_paired_with_a_few_per_cadre_and_repairings(demo):
    households = in_villages(SEVEN)
    today = timezone.localdate()
    for day in (datetime.date(2016, 12, 31), datetime.date(2020, 12, 31), today):
        active = Pairing.objects.filter(active_q(day), household__in=households)
        assert active.count() == households.count(), day  # one cadre each, no more
        assert active.values("household").distinct().count() == households.count()
    # re-pairings: old cadre ended the day before the successor started, and is out of service
    by_household = defaultdict(list)
    for p in Pairing.objects.filter(household__in=households).order_by("start_date"):
        by_household[p.household_id].append(p)
    repaired = [ps for ps in by_household.values() if len(ps) > 1]
    assert repaired
    for old, new in repaired:
        assert old.end_date + datetime.timedelta(days=1) == new.start_date
        assert old.cadre.unit_id == new.cadre.unit_id
        assert not Cadre.objects.get(pk=old.cadre_id).active
    # a few households per cadre: between 2 and 6 (the overloaded few have 6)
    loads = defaultdict(int)
    for p in Pairing.objects.filter(active_q(today), household__in=households):
        loads[p.cadre_id] += 1
    assert set(loads.values()) <= {1, 2, 3, 4, 5, 6}
    assert sum(loads.values()) / len(loads) > 3
    # each cadre works in a village their unit (or the department) is assigned to
    department = Unit.objects.get(name="广西壮族自治区公安厅")
    assert not Pairing.objects.filter(household__in=households).exclude(
        cadre__unit__parent=department
    )


def test_zhongshan_41_cadres_76_households_6_resident_cadres(demo):
    department = Unit.objects.get(name="中共钟山县委组织部")
    pairings = Pairing.objects.filter(cadre__unit=department)
    assert pairings.values("cadre").distinct().count() == 41
    assert pairings.values("household").distinct().count() == 76
    assert pairings.count() == 76
    assert set(pairings.values_list("household__region_id", flat=True)) == {
        "451122100201",
        "451122100202",
    }
    postings = Posting.objects.filter(cadre__unit=department)
    assert postings.count() == 6 and postings.values("cadre").distinct().count() == 6
    assert all(p.full_time for p in postings)
    assert postings.filter(role=PostingRole.FIRST_SECRETARY).count() == 2
    # the resident cadres are not among the 41
    assert not postings.filter(cadre__in=pairings.values("cadre"))
    # no still-poor household of the two villages is left without a responsible cadre
    poor = in_villages(assistance_demo.ZHONGSHAN_VILLAGES).filter(status="not_exited")
    assert poor.exists()
    assert not coverage.households_without_cadre(base=poor)
    assert set(poor.values_list("pk", flat=True)) <= set(
        pairings.values_list("household_id", flat=True)
    )


def test_battle_zone_county_chain_at_every_level(demo):
    county = Region.objects.get(pk="610928")
    assert county.name == "旬阳县"
    zones = Zone.objects.filter(region=county, parent=None)
    assert sorted(zones.values_list("name", flat=True)) == ["构元战区", "蜀河战区"]
    combat = Zone.objects.filter(region=county, parent__isnull=False)
    assert combat.count() == 4
    assert all(z.commander_id for z in [*zones, *combat])
    # a battle zone groups villages across townships
    gouyuan = zones.get(name="构元战区")
    assert len({v[:9] for v in gouyuan.villages.values_list("pk", flat=True)}) == 2
    villages = [c for c in assistance_demo.BATTLE_REGIONS if len(c) == 12]
    groups = Region.objects.filter(parent__in=villages)
    assert groups.count() >= len(villages) * 2
    today = timezone.localdate()
    village_resp = Responsibility.objects.filter(active_q(today), level=L.VILLAGE)
    assert sorted(village_resp.values_list("region_id", flat=True)) == sorted(villages)
    group_resp = Responsibility.objects.filter(active_q(today), level=L.GROUP)
    assert sorted(group_resp.values_list("region_id", flat=True)) == sorted(
        groups.values_list("pk", flat=True)
    )
    households = Household.objects.filter(region__in=groups)
    assert households.count() == Household.objects.filter(region__pk__startswith="610928").count()
    assert not coverage.households_without_cadre(base=households)
    for household in households.order_by("household_no")[:: max(1, households.count() // 5)]:
        chain = responsibility_chain(household, today)
        levels = [link.level for link in chain]
        assert levels == [L.ZONE, L.ZONE, L.VILLAGE, L.GROUP, L.HOUSEHOLD], household
        assert chain[-1].cadre.position == "民警"


def test_coverage_checks_on_the_demo(demo):
    admin = User.objects.get(username="admin")
    checks = {c.key: c for c in registered_checks(admin)}
    # households: only still-poor households of villages nobody is assigned to
    without = list(checks["households"].rows(admin, {}))
    assigned = set(Assignment.objects.values_list("village_id", flat=True))
    expected = {
        h.pk
        for h in Household.objects.filter(status="not_exited")
        if h.region_id[:12] not in assigned
    }
    assert {h.pk for h in without} == expected
    assert Household.objects.filter(status="not_exited").count() > len(expected)
    # villages: only 大东沟村, whose first secretary left in 2021 with no successor
    villages = list(checks["villages"].rows(admin, {}))
    assert [v.pk for v in villages] == [assistance_demo.SECRETARY_GAP[0]]
    # cadres over the load of five: the few with six households, and their load is right
    over = list(checks["cadres"].rows(admin, {}))
    assert over
    for cadre in over:
        assert cadre.load > 5
        assert (
            cadre.load
            == Pairing.objects.filter(active_q(timezone.localdate()), cadre=cadre).count()
        )
    # a county user sees only their county's rows
    zhongshan = User.objects.get(username="zhongshan")
    assert all(h.region_id.startswith("451122") for h in checks["households"].rows(zhongshan, {}))
    assert not list(checks["villages"].rows(zhongshan, {}))


def test_demo_logins_for_the_department_and_a_cadre(demo):
    assert "gxgat" in demo and "ganbu" in demo
    request = RequestFactory().post("/accounts/login/")
    unit_user = authenticate(request, username="gxgat", password=PASSWORD)
    assert unit_user is not None and unit_user.unit.name == "广西壮族自治区公安厅"
    seen = Household.objects.for_user(unit_user)
    assert seen.count() == in_villages(SEVEN).count()
    assert set(seen.values_list("region_id", flat=True)) == set(SEVEN)
    cadre_user = authenticate(request, username="ganbu", password=PASSWORD)
    assert cadre_user is not None
    cadre = Cadre.objects.get(user=cadre_user)
    assert cadre.unit.name == "中共钟山县委组织部"
    paired = set(
        Pairing.objects.filter(active_q(timezone.localdate()), cadre=cadre).values_list(
            "household_id", flat=True
        )
    )
    assert len(paired) == 2
    assert set(Household.objects.for_user(cadre_user).values_list("pk", flat=True)) == paired


def test_every_record_passes_the_rules_and_is_audited(demo):
    for model in (Unit, Assignment, Posting, Responsibility, Zone, Cadre):
        for obj in model.objects.all():
            obj.full_clean()
    sample = Pairing.objects.order_by("pk")
    for pairing in sample[:: max(1, sample.count() // 200)]:
        pairing.full_clean()
    for model, label in (
        (Unit, "assistance.unit"),
        (Cadre, "assistance.cadre"),
        (Pairing, "assistance.pairing"),
        (Posting, "assistance.posting"),
        (Assignment, "assistance.assignment"),
    ):
        created = AuditEntry.objects.filter(object_type=label, action="create")
        assert created.count() == model.objects.count(), label
        assert set(created.values_list("source", flat=True)) == {ChangeSource.DEMO}
    left = Cadre.objects.filter(active=False)
    assert left.exists()
    assert (
        AuditEntry.objects.filter(
            object_type="assistance.cadre", action="update", object_id__in=[str(c.pk) for c in left]
        ).count()
        == left.count()
    )


def _dump():
    return {
        "pairings": sorted(
            Pairing.objects.values_list(
                "cadre__name",
                "cadre__unit__name",
                "household__household_no",
                "start_date",
                "end_date",
            )
        ),
        "postings": sorted(
            Posting.objects.values_list(
                "cadre__name", "village_id", "role", "start_date", "end_date"
            )
        ),
        "responsibilities": sorted(
            Responsibility.objects.values_list("zone__name", "level", "region_id", "cadre__name")
        ),
    }


class _Rollback(Exception):
    pass


def test_same_seed_same_records():
    dumps = []
    for _ in range(2):
        try:
            with transaction.atomic():
                call_command("demo", households=120, seed=5)
                dumps.append(_dump())
                raise _Rollback
        except _Rollback:
            pass
    assert dumps[0]["pairings"] and dumps[0] == dumps[1]
