"""Money in: fund sources, donations (each owning its source, see models.py), fund pools.

A source's amount may be changed but never below what it has already given out; a donation
changes its source with it, in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.core.money import yuan

from ..choices import SourceKind
from ..models import Donation, FundPool, FundSource
from .allocations import check_amount, source_spent


def save_source(source: FundSource, _donation: bool = False) -> FundSource:
    """Create or change a source; its amount never drops below what it has given out. A
    donation's source changes only with its donation (`save_donation`)."""
    source.amount = check_amount(source.amount)
    if not _donation and source.pk and Donation.objects.filter(source_id=source.pk).exists():
        raise ValidationError({"amount": _("捐赠形成的资金来源请在捐赠记录中修改。")})
    source.full_clean()
    with transaction.atomic():
        if source.pk:
            FundSource.objects.select_for_update().filter(pk=source.pk).first()
            spent = source_spent(source.pk)
            if source.amount < spent:
                raise ValidationError(
                    {
                        "amount": _("该资金已拨出%(spent)s，金额不能改为%(amount)s。")
                        % {"spent": yuan(spent), "amount": yuan(source.amount)}
                    }
                )
        source.save()
    return source


def save_donation(donation: Donation, name: str = "") -> Donation:
    """Create or change a donation and the 社会捐赠 source it owns, in one transaction."""
    donation.amount = check_amount(donation.amount)
    donation.full_clean(exclude=["source"])
    with transaction.atomic():
        source = donation.source if donation.source_id else FundSource(kind=SourceKind.DONATION)
        source.name = name or source.name or _("%(donor)s捐赠") % {"donor": donation.donor_name}
        source.year = donation.date.year
        source.amount = donation.amount
        source.date = donation.date
        source.unit = donation.unit
        source.region = donation.region
        source.note = donation.purpose
        save_source(source, _donation=True)
        donation.source = source
        donation.save()
    return donation


def save_pool(pool: FundPool) -> FundPool:
    pool.full_clean()
    pool.save()
    return pool
