"""`{% household_visits household as hv %}`: the household's recent visits the user may see (for
the household page's section); None when the user may not view visits."""

from django import template

from ..models import Visit

register = template.Library()
RECENT = 5


@register.simple_tag(takes_context=True)
def household_visits(context, household):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("visits.view_visit"):
        return None
    visits = Visit.objects.for_user(user).filter(household=household)
    return {
        "count": visits.count(),
        "recent": list(visits.select_related("cadre").order_by("-date", "-pk")[:RECENT]),
    }
