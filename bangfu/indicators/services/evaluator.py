"""The national evaluation's figures for a county and year (issue 5 item 8):

- 错退率 (wrong exits): of the households exited (status 已脱贫 now) that have a verdict of the
  household standard for the year, the share whose latest such verdict fails;
- 漏评 proxy (missed households): of the registry's households never registered as poor
  (category 一般农户, or a monitoring status 边缘易致贫户 / 突发严重困难户) that have a verdict,
  the share whose latest verdict fails — "where data exists": without such households or their
  verdicts the figure is not shown.

Both beside the national evaluation's threshold (< 2 %), each count linking to the households.
One query each: the latest verdict per household is a subquery, counted with GROUP BY.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, Subquery

from bangfu.registry.choices import Category, Status
from bangfu.registry.models import Household
from bangfu.standards.models import Verdict

LIMIT = Decimal(2)  # 错退率 < 2 %, 漏评率 < 2 % (national evaluation)
NOT_REGISTERED = Q(category=Category.NON_POOR) | Q(
    status__in=[Status.MARGINAL, Status.SUDDEN_HARDSHIP]
)


@dataclass
class Share:
    evaluated: int
    failing: int
    without_verdict: int

    @property
    def rate(self) -> Decimal | None:
        if not self.evaluated:
            return None
        value = Decimal(self.failing) * 100 / self.evaluated
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def within_limit(self) -> bool | None:
        if not self.evaluated:
            return None
        return Decimal(self.failing) * 100 < LIMIT * self.evaluated


def latest_passed(standard: str, year: int):
    """The household's latest verdict of `standard` for `year`: passed (True/False) or None."""
    return Subquery(
        Verdict.objects.filter(
            household=OuterRef("pk"), version__standard__code=standard, year=year
        )
        .order_by("-created", "-pk")
        .values("passed")[:1]
    )


def _share(households, standard: str, year: int) -> Share:
    row = households.annotate(_p=latest_passed(standard, year)).aggregate(
        evaluated=Count("pk", filter=Q(_p__isnull=False)),
        failing=Count("pk", filter=Q(_p=False)),
        without=Count("pk", filter=Q(_p__isnull=True)),
    )
    return Share(row["evaluated"], row["failing"], row["without"])


def wrong_exits(households, standard: str, year: int) -> Share:
    """错退: exited households (status 已脱贫) whose latest verdict fails."""
    return _share(households.filter(status=Status.EXITED), standard, year)


def missed(households, standard: str, year: int) -> Share:
    """漏评 proxy: households not registered as poor whose latest verdict fails."""
    return _share(households.filter(NOT_REGISTERED), standard, year)


def failing_ids(households, standard: str, year: int):
    """The households of `households` whose latest verdict for the year fails (a queryset)."""
    return households.annotate(_p=latest_passed(standard, year)).filter(_p=False)


__all__ = ["LIMIT", "Household", "Share", "failing_ids", "missed", "wrong_exits"]
