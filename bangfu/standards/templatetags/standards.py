"""`{% verdicts_of household=… %}`: the latest verdict of each standard for a household, with
explanations, in the user's scope (the household page's section)."""

from django import template

from ..models import Verdict
from ..services.explain import explain

register = template.Library()


@register.inclusion_tag("standards/verdicts_section.html", takes_context=True)
def verdicts_of(context, household):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("standards.view_verdict"):
        return {"show": False}
    latest = {}
    qs = (
        Verdict.objects.for_user(user)
        .filter(household=household)
        .select_related("version__standard", "run")
        .order_by("-year", "-pk")
    )
    for v in qs[:50]:
        latest.setdefault((v.version.standard.code, v.year), v)
    verdicts = sorted(latest.values(), key=lambda v: (v.version.standard.code, -v.year))
    return {
        "show": True,
        "perms": context.get("perms"),
        "household": household,
        "rows": [(v, explain(v)) for v in verdicts],
    }
