"""Consumption purchases: the rules (each error names its field in Chinese) and the save."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.cooperatives.services.money import check_amount, check_village

from ..models import Purchase


def check_purchase(p) -> None:
    check_amount(p.amount, "amount")
    if p.date and p.date > timezone.localdate():
        raise ValidationError({"date": _("采购日期不能晚于今天")})
    if p.cooperative_id:
        if p.village_id and p.village_id != p.cooperative.village_id:
            raise ValidationError({"village": _("销售村与合作社所在村不一致")})
        p.village_id = p.cooperative.village_id
    if not p.village_id:
        raise ValidationError({"village": _("请选择销售村或销售合作社")})
    check_village(p.village)


@transaction.atomic
def save(obj):
    obj.full_clean()
    obj.save()
    return obj


def record_purchase(**fields) -> Purchase:
    return save(Purchase(**fields))


def save_new_purchases(purchases: list[Purchase]) -> dict[int, ValidationError]:
    """Write new purchases set-based (the import's `bulk_writer`, `core.imports.bulk.save_new`):
    each checked as `save()` checks it (the fields and `check_purchase`: amount, date, the
    seller's village), the good ones inserted with their audit entries. A purchase from a
    cooperative takes the cooperative's village, as `check_purchase` would set it: those
    villages are read in one query first."""
    from bangfu.core.imports.bulk import save_new
    from bangfu.regions.models import Region

    wanted = {p.cooperative.village_id for p in purchases if p.cooperative_id and not p.village_id}
    villages = Region.objects.in_bulk(wanted) if wanted else {}
    for p in purchases:
        if p.cooperative_id and not p.village_id:
            p.village = villages.get(p.cooperative.village_id)
    return save_new(Purchase, purchases)
