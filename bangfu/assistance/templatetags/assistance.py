"""`{% household_responsibles household %}`: who answers for a household today, at every level,
for the household page (bangfu/templates/registry/household.html includes
assistance/household_responsibles.html, which calls this tag)."""

from django import template
from django.utils import timezone

from ..services.zones import household_responsibles as compute

register = template.Library()


@register.inclusion_tag("assistance/household_responsibles_card.html", takes_context=True)
def household_responsibles(context, household):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("assistance.view_unit"):
        return {"show": False}
    today = timezone.localdate()
    return {"show": True, "today": today, "r": compute(household, today)}
