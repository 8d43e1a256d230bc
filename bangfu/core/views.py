"""The home page: the registry in the user's area at a glance."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.views import View

from bangfu.regions.choices import Level
from bangfu.regions.models import Region
from bangfu.registry.choices import Status
from bangfu.registry.models import Household, Member, StatusChange, Survey


def households_by_status(user) -> list[dict]:
    counts = dict(
        Household.objects.for_user(user).values_list("status").annotate(n=Count("pk")).order_by()
    )
    return [{"code": c, "label": label, "n": counts.get(c, 0)} for c, label in Status.choices]


def status_by_survey_year(user) -> dict:
    """Households by status at the end of each survey year: the status of the latest status
    change dated in or before that year (the current status when there is none). One query."""
    status_then = (
        StatusChange.objects.filter(
            household=OuterRef("household"), date__year__lte=OuterRef("year")
        )
        .order_by("-date", "-id")
        .values("status")[:1]
    )
    rows = (
        Survey.objects.for_user(user)
        .annotate(status_then=Coalesce(Subquery(status_then), "household__status"))
        .values("year", "status_then")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    years = sorted({r["year"] for r in rows})
    table = {(r["year"], r["status_then"]): r["n"] for r in rows}
    series = []
    for code, label in Status.choices:
        data = [table.get((y, code), 0) for y in years]
        if any(data):
            series.append({"code": code, "name": str(label), "data": data})
    return {"years": years, "series": series}


class HomeView(View):
    template_name = "core/home.html"

    def get(self, request):
        user = request.user
        by_status = households_by_status(user)
        context = {
            "by_status": by_status,
            "household_total": sum(s["n"] for s in by_status),
            "member_total": Member.objects.for_user(user).count(),
            "village_total": Region.objects.for_user(user).filter(level=Level.VILLAGE).count(),
            "chart": status_by_survey_year(user),
        }
        return render(request, self.template_name, context)
