"""Writing cooperative records: validate everything, then save (audited by the model), one
transaction each; an import's new memberships and dividends set-based (`save_new_memberships`,
`save_new_dividends`: the same rules and messages, a few statements per batch)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.core.imports.bulk import save_new

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


# --- set-based writes of new records (the import's `bulk_writer`) -------------------------------


def save_new_memberships(objs: list[Membership]) -> dict[int, ValidationError]:
    """Write new memberships set-based (an import's batch, `core.imports.bulk.save_new`): each
    checked by the rules of `save` (`check_membership`), the good ones given their `poor` copy of
    the household's category as `Membership.save()` would (one query for all:
    `copies.fill_many`), inserted in bulk with their audit entries."""
    from bangfu.registry import copies

    return save_new(Membership, objs, before=copies.fill_many)


def save_new_dividends(objs: list[Dividend]) -> dict[int, ValidationError]:
    """Write new dividends set-based (an import's batch, `core.imports.bulk.save_new`): each
    checked by the rules of `save` (`check_dividend`: the amount, the membership belongs to the
    dividend's cooperative and runs in its year — the membership object as the caller found it,
    e.g. from the memberships the import read once for the whole file), the good ones inserted
    in bulk, added to `DividendTotal` in one grouped upsert (as `Dividend.save()` adds each),
    and audited."""
    from . import totals

    return save_new(
        Dividend,
        objs,
        after=lambda good: totals.add_new([d.pk for d in good]),
    )
