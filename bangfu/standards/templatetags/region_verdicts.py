"""`{% region_verdicts_of region %}`: on a village's or county's region page, the latest verdict
of each village or county standard for the region, with the explanation of every failed item
(in the user's scope; one query)."""

from django import template

from ..models import RegionVerdict
from ..services.explain_region import explain

register = template.Library()


@register.inclusion_tag("standards/region_verdicts_section.html", takes_context=True)
def region_verdicts_of(context, region):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("standards.view_regionverdict"):
        return {"show": False}
    latest: dict[str, RegionVerdict] = {}
    rows = (
        RegionVerdict.objects.for_user(user)
        .filter(region=region)
        .select_related("version__standard")
        .order_by("-year", "-created", "-pk")
    )
    for v in rows[:50]:
        latest.setdefault(v.version.standard.code, v)
    verdicts = [(v, explain(v)) for _code, v in sorted(latest.items())]
    return {"show": bool(verdicts), "verdicts": verdicts, "region": region, "request": request}
