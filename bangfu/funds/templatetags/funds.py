"""`{% household_funds household as hf %}`: what the household received (allocations the user
may see), for the household page's section; None when the user may not view allocations."""

from decimal import Decimal

from django import template
from django.db.models import Count, Sum

from ..models import Allocation

register = template.Library()
RECENT = 10


@register.simple_tag(takes_context=True)
def household_funds(context, household):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("funds.view_allocation"):
        return None
    allocations = Allocation.objects.for_user(user).filter(household=household)
    totals = allocations.aggregate(n=Count("pk"), total=Sum("amount"))
    return {
        "count": totals["n"],
        "total": totals["total"] or Decimal("0.00"),
        "recent": list(
            allocations.select_related("source", "pool").order_by("-date", "-pk")[:RECENT]
        ),
    }


@register.filter
def yuan(value):
    """An amount with grouping and two decimals (1,234.50), whatever the locale's default."""
    from django.utils.formats import number_format

    if value is None or value == "":
        return "—"
    return number_format(Decimal(value), 2, force_grouping=True)
