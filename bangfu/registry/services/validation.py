"""Rules of the registry that every way in (forms, API, import) applies the same way.

Messages are plain Chinese msgids; callers translate them with gettext when showing them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from .. import idnumber
from ..choices import Relation
from ..models import Member, Survey

MIN_REGISTERED_YEAR = 2014


class RegistryError(ValueError):
    """A rule broken; `field` names the field (exchange-format alias) when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def check_id_number(raw: str, exclude_member_pk: int | None = None) -> str:
    """The canonical ID number, valid and not used by another member of the registry."""
    try:
        value = idnumber.validate(raw)
    except idnumber.InvalidIdNumber as exc:
        raise RegistryError(str(exc), "id_number") from None
    clash = Member.objects.filter(id_number=value)
    if exclude_member_pk:
        clash = clash.exclude(pk=exclude_member_pk)
    other = clash.select_related("household").first()
    if other is not None:
        raise RegistryError(
            _("证件号码 %(id)s 已登记在户 %(no)s（%(name)s）")
            % {"id": value, "no": other.household.household_no, "name": other.name},
            "id_number",
        )
    return value


def check_sex_and_birth_date(id_number: str, sex: str | None, birth_date) -> None:
    if sex and sex != idnumber.sex(id_number):
        raise RegistryError(_("性别与证件号码不符（证件号码第 17 位决定性别）"), "sex")
    if birth_date and birth_date != idnumber.birth_date(id_number):
        raise RegistryError(
            _("出生日期与证件号码不符（证件号码中为 %(date)s）")
            % {"date": idnumber.birth_date(id_number).isoformat()},
            "birth_date",
        )


def check_one_head(relations: Iterable[str]) -> None:
    heads = sum(1 for r in relations if r == Relation.HEAD)
    if heads != 1:
        raise RegistryError(
            _("每户必须有且只有一名户主，该户有 %(n)d 名") % {"n": heads}, "relation"
        )


def check_years(registered_year: int, exit_year: int | None, status: str) -> None:
    if registered_year < MIN_REGISTERED_YEAR:
        raise RegistryError(
            _("纳入年度应为 %(min)d 年或以后") % {"min": MIN_REGISTERED_YEAR}, "registered_year"
        )
    if status == "exited" and not exit_year:
        raise RegistryError(_("户类型为已脱贫时必须填写脱贫年度"), "exit_year")
    if exit_year and exit_year < registered_year:
        raise RegistryError(_("脱贫年度不能早于纳入年度"), "exit_year")


def check_net_income(
    given: Decimal | None, wage, business, prop, transfer, expense, size: int
) -> Decimal:
    """The computed net income per person; a given value must agree within 1 yuan."""
    computed = Survey.compute_net_income_per_capita(wage, business, prop, transfer, expense, size)
    if given is not None and abs(Decimal(given) - computed) > 1:
        raise RegistryError(
            _("人均纯收入 %(given)s 与按收入、支出和人口计算的 %(computed)s 相差超过 1 元")
            % {"given": given, "computed": computed},
            "net_income_per_capita",
        )
    return computed
