"""Builders for tests: a small region tree, users of every role and complete households.

Every app's tests use these (through the fixtures in conftest.py) so that a new model's tests
start from the same world: two counties, villages in and out of a user's scope.
"""

from __future__ import annotations

import datetime
import functools
import itertools
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission

from bangfu.accounts.choices import Role
from bangfu.accounts.models import User
from bangfu.regions.models import Region
from bangfu.registry import idnumber
from bangfu.registry.models import Household, Member, MemberSurvey, StatusChange, Survey

PASSWORD = "test-pass-2026"

# code → (name, western_region)
TREE = {
    "45": "广西壮族自治区",
    "4514": "崇左市",
    "451423": "龙州县",
    "451423100": "下冻镇",
    "451423100201": "新联村",
    "451423100202": "罗回村",
    "451423101": "水口镇",
    "451423101201": "峡岗村",
    "4511": "贺州市",
    "451122": "钟山县",
    "451122100": "公安镇",
    "451122100201": "大桥村",
}

_seq = itertools.count(1)


@functools.cache
def _password_hash() -> str:
    """One real (Argon2) hash of PASSWORD per test process: hashing is slow on purpose."""
    return make_password(PASSWORD)


def make_regions() -> dict[str, Region]:
    from bangfu.regions.codes import level_of, parent_code

    regions = {}
    for code, name in TREE.items():
        regions[code] = Region.objects.create(
            code=code,
            name=name,
            level=level_of(code),
            parent=regions.get(parent_code(code)) if parent_code(code) else None,
            western_region=True,
        )
    return regions


def make_user(username: str, role: str, region: str | None, personal_data: bool = False) -> User:
    user = User.objects.create(
        username=username, password=_password_hash(), role=role, region_id=region
    )
    if personal_data:
        user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
        user = User.objects.get(pk=user.pk)  # drop the permission cache
    return user


def make_users() -> dict[str, User]:
    return {
        "admin": make_user("admin", Role.ADMIN, None, personal_data=True),
        "county": make_user("county", Role.COUNTY, "451423", personal_data=True),
        "township": make_user("township", Role.TOWNSHIP, "451423100"),
        "village": make_user("village", Role.VILLAGE, "451423100201"),
        "other_village": make_user("other_village", Role.VILLAGE, "451423100202"),
        "other_county": make_user("other_county", Role.COUNTY, "451122", personal_data=True),
        "viewer": make_user("viewer", Role.VIEWER, "451423"),
    }


def make_survey(household: Household, year: int, **overrides) -> Survey:
    """A survey year with every fact answered "good" (housing A, all yes, no income) unless
    overridden; member facts are not added."""
    fields = dict(
        farmland_mu=Decimal("3.5"),
        housing_safety="A",
        relocated=False,
        safe_water=True,
        electricity=True,
        tv_access=True,
        road_hardened=True,
        food_clothing_secure=True,
        wage_income=Decimal(0),
        business_income=Decimal(0),
        property_income=Decimal(0),
        transfer_income=Decimal(0),
        business_expense=Decimal(0),
        household_size=1,
    )
    fields.update(overrides)
    return Survey.objects.create(household=household, year=year, **fields)


def make_household(
    region: str = "451423100201",
    household_no: str | None = None,
    members: int = 3,
    year: int = 2020,
    status: str = "not_exited",
    income_per_person: Decimal | int = 5000,
    **survey_overrides,
) -> Household:
    """A complete household: head plus members, one survey with member facts for `year`."""
    n = next(_seq)
    household = Household.objects.create(
        household_no=household_no or f"{region}{n:05d}",
        region_id=region,
        category="ordinary",
        status=status,
        registered_year=2015,
        exit_year=2019 if status == "exited" else None,
        main_cause="illness",
        other_causes="lack_funds",
        phone=f"138{n:08d}",
    )
    survey = make_survey(
        household,
        year,
        wage_income=Decimal(income_per_person) * members,
        household_size=members,
        **survey_overrides,
    )
    relations = ["head", "spouse", "son", "daughter", "father", "mother", "other"]
    for i in range(members):
        born = datetime.date(1970 + (i * 13) % 45, 1 + i % 12, 1 + n % 27)
        member = Member.objects.create(
            household=household,
            name=f"成员{n}-{i}",
            id_number=idnumber.make(region[:6], born, (n * 7 + i) % 1000),
            relation=relations[min(i, len(relations) - 1)],
            ethnicity="壮族",
        )
        MemberSurvey.objects.create(
            survey=survey,
            member=member,
            education="junior",
            schooling="not_in_school",
            health="healthy",
            labour_ability="ordinary",
            work_status="county",
            work_months=8,
            medical_insurance=True,
            critical_illness_insurance=True,
            pension_insurance=True,
        )
    StatusChange.objects.create(
        household=household, date=datetime.date(2015, 10, 1), status="not_exited", reason="建档立卡"
    )
    return household


def run_data_migration(module: str, function: str = "fill") -> None:
    """Run a data migration's RunPython function (`module`: its dotted path, e.g.
    "bangfu.funds.migrations.0004_daytotals") against the test database now, as `migrate`
    would: with a stand-in for the schema editor that has what such functions use of it
    (`connection` and `execute`). Lets a test fill a table by the migration and compare."""
    import importlib

    from django.db import connection

    class Editor:
        def __init__(self):
            self.connection = connection

        def execute(self, sql, params=()):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

    getattr(importlib.import_module(module), function)(None, Editor())


def at_once(work, args: list, target, name: str, before=None) -> list:
    """Run `work(arg)` for each arg in a thread of its own (its own database connection and
    transaction) and make them meet: `target.name` (a function of a module or a class) is
    wrapped so that each thread, on reaching it, first runs `before()` if given, then waits at a
    barrier until every thread has reached it — so their writes collide for real (PostgreSQL;
    tests with `django_db(transaction=True)`). Returns each thread's outcome in the order they
    finish: "ok" or the exception it raised."""
    import threading

    from django.db import close_old_connections, connection

    barrier = threading.Barrier(len(args), timeout=20)
    original = getattr(target, name)
    results: list = []

    def meeting(*a, **kw):
        if before is not None:
            before()
        barrier.wait()
        return original(*a, **kw)

    def worker(arg):
        try:
            work(arg)
            results.append("ok")
        except Exception as exc:  # the caller asserts on it
            results.append(exc)
        finally:
            close_old_connections()
            connection.close()

    setattr(target, name, meeting)
    try:
        threads = [threading.Thread(target=worker, args=(a,)) for a in args]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        setattr(target, name, original)
    return results
