"""The rows of the printable notice (公示) and announcement (公告) of a village.

Only what a public notice may show is read: the household number, the head's name, the village
and group, the year and standard met, the dates and whom to tell of an objection. The queries
name their columns (`values()`), so an ID number, a phone, a bank account or a health fact
cannot reach the page even for a user who may see personal data. One query per page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from bangfu.core.scoping import region_q
from bangfu.registry.choices import Relation
from bangfu.registry.models import Member

from ..choices import OPEN_STATUSES, CaseKind, Step
from ..models import ExitStep
from . import verdicts


@dataclass
class NoticeRow:
    case_id: int
    household_no: str
    head_name: str
    group_name: str
    year: int
    standard: str
    start: datetime.date | None
    end: datetime.date | None
    contact: str


def _head_name():
    return Subquery(
        Member.objects.filter(household=OuterRef("household_id"), relation=Relation.HEAD)
        .order_by("pk")
        .values("name")[:1]
    )


def _step(name: str, field: str = "date"):
    return Subquery(ExitStep.objects.filter(case=OuterRef("pk"), step=name).values(field)[:1])


def _rows(queryset, date_step: str) -> list[NoticeRow]:
    rows = (
        queryset.annotate(
            head_name=_head_name(),
            step_date=_step(date_step),
            notice_date=_step(Step.NOTICE),
            notice_contact=_step(Step.NOTICE, "contact"),
        )
        .order_by("household__household_no")
        .values(
            "pk",
            "household__household_no",
            "household__group_name",
            "head_name",
            "year",
            "standard_code",
            "notice_days",
            "step_date",
            "notice_date",
            "notice_contact",
        )
    )
    names: dict[str, str] = {}
    out = []
    for r in rows:
        code = r["standard_code"]
        if code not in names:
            names[code] = verdicts.standard_name(code)
        start = r["step_date"]
        end = None
        if date_step == Step.NOTICE and start:
            end = start + datetime.timedelta(days=r["notice_days"] - 1)
        out.append(
            NoticeRow(
                case_id=r["pk"],
                household_no=r["household__household_no"],
                head_name=r["head_name"] or "",
                group_name=r["household__group_name"] or "",
                year=r["year"],
                standard=names[code],
                start=start,
                end=end,
                contact=r["notice_contact"] or "",
            )
        )
    return out


def notice_rows(cases, village) -> list[NoticeRow]:
    """Household cases of the village now in their 村内公示 (objections pending included)."""
    qs = cases.filter(
        region_q("region", village.pk),
        kind=CaseKind.HOUSEHOLD,
        current_step=Step.NOTICE,
        status__in=OPEN_STATUSES,
    )
    return _rows(qs, Step.NOTICE)


def announcement_rows(cases, village, year: int | None = None) -> list[NoticeRow]:
    """Household cases of the village announced as exited (公告退出 recorded), of `year`."""
    qs = cases.filter(
        region_q("region", village.pk),
        kind=CaseKind.HOUSEHOLD,
        current_step__in=(Step.ANNOUNCE, Step.STRIKE),
    )
    if year:
        qs = qs.filter(year=year)
    return _rows(qs, Step.ANNOUNCE)
