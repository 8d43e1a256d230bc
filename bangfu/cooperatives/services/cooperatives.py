"""Writing cooperative records: validate everything, then save (audited by the model), one
transaction each."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Cooperative, CooperativeYear, Dividend, Membership, PurchaseContract
from .rules import membership_runs_in


@transaction.atomic
def save(obj):
    """Validate and save any cooperative record (new or changed)."""
    obj.full_clean()
    obj.save()
    return obj


def create_cooperative(**fields) -> Cooperative:
    return save(Cooperative(**fields))


def add_member(cooperative, **fields) -> Membership:
    return save(Membership(cooperative=cooperative, **fields))


def add_contract(cooperative, **fields) -> PurchaseContract:
    return save(PurchaseContract(cooperative=cooperative, **fields))


def record_year(cooperative, year: int, **fields) -> CooperativeYear:
    obj = CooperativeYear.objects.filter(cooperative=cooperative, year=year).first()
    obj = obj or CooperativeYear(cooperative=cooperative, year=year)
    for name, value in fields.items():
        setattr(obj, name, value)
    return save(obj)


@transaction.atomic
def pay_dividend(cooperative, year: int, amount, *, household=None, membership=None, **fields):
    """A dividend to a membership, or to a household: the household's membership running in
    `year`; refused when the household is not a member that year."""
    if membership is None:
        if household is None:
            raise ValidationError({"membership": _("请选择社员")})
        memberships = Membership.objects.filter(cooperative=cooperative, household=household)
        membership = next((m for m in memberships if membership_runs_in(m, year)), None)
        if membership is None:
            raise ValidationError(
                {
                    "membership": _("%(household)s在%(year)s年不是%(coop)s的社员，不能分红")
                    % {"household": household, "year": year, "coop": cooperative}
                }
            )
    return save(
        Dividend(cooperative=cooperative, membership=membership, year=year, amount=amount, **fields)
    )
