"""`{% exits_of household=… %}` / `{% exits_of region=… %}`: the exit section of the household
page and the region page (the cases in the user's scope, and a region's dated exit). The region
page loads it with htmx after the page (`exits/region_exits.html` → `exits:region_section`), so
the region page's own query budget is untouched."""

from django import template

from ..models import ExitCase, RegionExit

register = template.Library()


def _has_exit(case: ExitCase) -> bool:
    try:
        return case.region_exit is not None
    except RegionExit.DoesNotExist:
        return False


@register.inclusion_tag("exits/exits_section.html", takes_context=True)
def exits_of(context, household=None, region=None):
    return section_context(context.get("request"), household=household, region=region)


def section_context(request, household=None, region=None) -> dict:
    """The section's context (also served alone for the region page: `views.RegionSectionView`)."""
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("exits.view_exitcase"):
        return {"show": False}
    cases = ExitCase.objects.for_user(user)
    region_exit = None
    if household is not None:
        cases = list(cases.filter(household=household).order_by("-year", "-pk"))
        add_query = f"household={household.pk}"
    else:
        # One query: the region's cases with the exit record their last step wrote.
        cases = list(
            cases.filter(region=region, household__isnull=True)
            .select_related("region_exit")
            .order_by("-year", "-pk")
        )
        region_exit = next(
            (c.region_exit for c in cases if _has_exit(c)),
            None,
        )
        add_query = f"region={region.pk}"
    return {
        "show": True,
        "cases": cases,
        "region_exit": region_exit,
        "region": region,
        "can_add": user.has_perm("exits.add_exitcase")
        and (household is not None or region.level in (3, 5)),
        "add_query": add_query,
        "request": request,
    }
