"""Template filters of funds: `yuan` (an amount with two decimals)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value):
    """An amount with grouping and two decimals (1,234.50), whatever the locale's default."""
    from django.utils.formats import number_format

    if value is None or value == "":
        return "—"
    return number_format(Decimal(value), 2, force_grouping=True)
