"""`{% exits_of household=… %}` / `{% exits_of region=… %}`: the exit section of the household
page and the region page (the cases in the user's scope, and a region's dated exit)."""

from django import template

from ..models import ExitCase, RegionExit

register = template.Library()


@register.inclusion_tag("exits/exits_section.html", takes_context=True)
def exits_of(context, household=None, region=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("exits.view_exitcase"):
        return {"show": False}
    cases = ExitCase.objects.for_user(user).select_related("household", "region")
    region_exit = None
    if household is not None:
        cases = cases.filter(household=household)
        add_query = f"household={household.pk}"
    else:
        cases = cases.filter(region=region, household__isnull=True)
        add_query = f"region={region.pk}"
        region_exit = RegionExit.objects.for_user(user).filter(region=region).first()
    return {
        "show": True,
        "cases": list(cases.order_by("-year", "-pk")),
        "region_exit": region_exit,
        "region": region,
        "can_add": user.has_perm("exits.add_exitcase")
        and (household is not None or region.level in (3, 5)),
        "add_query": add_query,
        "request": request,
    }
