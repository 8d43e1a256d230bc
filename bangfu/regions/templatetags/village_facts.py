"""`{% village_facts_of region %}`: the village facts by year on a village's region page, in the
user's scope (one query), with add and edit links for those who may."""

from django import template

from ..models import VillageYear

register = template.Library()


@register.inclusion_tag("regions/village_facts_section.html", takes_context=True)
def village_facts_of(context, region):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("regions.view_villageyear"):
        return {"show": False}
    facts = VillageYear.objects.for_user(user).filter(region=region).order_by("-year")
    return {
        "show": True,
        "region": region,
        "facts": list(facts),
        "can_add": user.has_perm("regions.add_villageyear"),
        "can_change": user.has_perm("regions.change_villageyear"),
        "request": request,
    }
