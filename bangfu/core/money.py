"""Money as people read it. One place for the text form of an amount, used by the funds
services' messages and by the reconciliation of every maintained total (core/yeartotals.py),
so core does not reach into an app for it."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _


def yuan(value: Decimal) -> str:
    """An amount as people write it: 1,234.50元."""
    return _("%(amount)s元") % {"amount": f"{value:,.2f}"}
