"""产业覆盖率 (issue 4 item 10): which registered poor households take part in an assisted
industry, as sets — the numerator, the denominator and the rate per region, and the households
behind the numerator.

A household takes part when any of these holds (each one `household IN (subquery)`, OR-ed, so a
county is one statement):
- it is a member of a cooperative (a membership running on the date);
- a measure of kind 产业 in one of its household plans (bangfu.plans, when installed), not
  cancelled;
- when bangfu.funds is installed: it is a beneficiary of a project of kind 产业, or it received
  a subsidy or award (奖补) allocation whose purpose names 产业 (funds has no industry flag on allocations yet).
The denominator: registered households (建档立卡: category other than 一般农户, not 自然减少) in
the user's scope.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from bangfu.regions.choices import LEVEL_LENGTH, Level
from bangfu.registry.choices import Category, Status
from bangfu.registry.models import Household

from ..models import Membership

REGISTERED = ~Q(category=Category.NON_POOR) & ~Q(status=Status.NATURAL_DECREASE)


def participation_q(on: datetime.date | None = None) -> Q:
    """Households (a Q on Household) that take part in an assisted industry on `on`."""
    on = on or timezone.localdate()
    members = Membership.objects.filter(
        Q(household__isnull=False),
        Q(joined__lte=on),
        Q(left__isnull=True) | Q(left__gte=on),
    ).values("household_id")
    q = Q(pk__in=members)
    if apps.is_installed("bangfu.plans"):
        from bangfu.plans.models import Measure

        measures = (
            Measure.objects.filter(kind="industry", plan__household__isnull=False)
            .exclude(status="cancelled")
            .values("plan__household_id")
        )
        q |= Q(pk__in=measures)
    if apps.is_installed("bangfu.funds"):
        from bangfu.funds.models import Allocation, Project

        beneficiaries = Project.beneficiaries.through.objects.filter(
            project__kind="industry"
        ).values("household_id")
        subsidies = Allocation.objects.filter(
            household__isnull=False, kind__in=("subsidy", "award"), purpose__contains="产业"
        ).values("household_id")
        q |= Q(pk__in=beneficiaries) | Q(pk__in=subsidies)
    return q


def registered_households(user):
    return Household.objects.for_user(user).filter(REGISTERED)


def covered_households(user, on: datetime.date | None = None):
    """The households behind the numerator, in the user's scope."""
    return registered_households(user).filter(participation_q(on))


def rate_by_region(user, level: int = Level.VILLAGE, region: str = "", on=None) -> list[dict]:
    """[{"code", "households", "covered", "rate"}] per region of `level` inside `region` (a
    prefix; "" for all the user's scope): one GROUP BY over the households."""
    length = LEVEL_LENGTH[level]
    qs = registered_households(user)
    if region:
        qs = qs.filter(region__pk__startswith=region)
    rows = (
        qs.annotate(code=Substr("region_id", 1, length))
        .order_by()
        .values("code")
        .annotate(households=Count("pk"), covered=Count("pk", filter=participation_q(on)))
        .order_by("code")
    )
    result = []
    for row in rows:
        rate = (
            (Decimal(row["covered"]) * 100 / row["households"]).quantize(Decimal("0.1"))
            if row["households"]
            else Decimal(0)
        )
        result.append({**row, "rate": rate})
    return result
