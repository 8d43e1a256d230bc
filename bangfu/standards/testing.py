"""Builders for standards tests (on top of core.testing)."""

from __future__ import annotations

import datetime
import itertools

from bangfu.registry import idnumber
from bangfu.registry.models import Household, Member, MemberSurvey

from .models import Verdict
from .services.evaluate import evaluate

_seq = itertools.count(500)


def add_member(
    household: Household,
    born: datetime.date,
    schooling: str = "primary",
    medical_insurance: bool = True,
    work_months: int | None = None,
    year: int = 2020,
) -> Member:
    """A member (a child by default) with the facts of the household's survey of `year`."""
    n = next(_seq)
    member = Member.objects.create(
        household=household,
        name=f"子女{n}",
        id_number=idnumber.make(household.region_id[:6], born, n % 1000),
        relation="son",
        ethnicity="壮族",
    )
    MemberSurvey.objects.create(
        survey=household.surveys.get(year=year),
        member=member,
        education="primary",
        schooling=schooling,
        health="healthy",
        labour_ability="none",
        work_status="none",
        work_months=work_months,
        medical_insurance=medical_insurance,
    )
    return member


def make_verdict(household: Household, standard: str = "cn-household", year: int = 2020):
    evaluate(standard, year, household.region_id)
    return Verdict.objects.filter(household=household).latest("pk")
