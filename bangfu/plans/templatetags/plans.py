"""`{% plans_of household=… %}` / `{% plans_of village=… %}`: the plans section other apps' pages
include (the household page through `plans/household_plans.html`), in the user's scope, with the
measures done — one query."""

from django import template

from bangfu.registry.models import Household

from ..models import Plan
from ..services.progress import with_progress

register = template.Library()


@register.inclusion_tag("plans/plans_section.html", takes_context=True)
def plans_of(context, household=None, village=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("plans.view_plan"):
        return {"show": False}
    plans = Plan.objects.for_user(user)
    if household is not None:
        plans = plans.filter(household=household)
        add_query = f"household={household.pk}"
    else:
        plans = plans.filter(village=village, household__isnull=True)
        add_query = f"village={village.pk}"
    plans = with_progress(plans, Household.objects.for_user(user)).order_by("-start_date", "pk")
    return {
        "show": True,
        "plans": list(plans),
        "can_add": user.has_perm("plans.add_plan"),
        "add_query": add_query,
        "request": request,
    }
