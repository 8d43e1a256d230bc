"""Indicator pages: poverty incidence by child region (table and chart) and the evaluator's
figures for a county. Every query starts from the user's scope: the region must be in it
(`Region.objects.for_user`, else 404) and households are `Household.objects.for_user`."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core.generic import BaseView
from bangfu.core.scoping import user_region_code
from bangfu.regions.choices import LEVEL_LENGTH, Level
from bangfu.regions.models import Region, VillageYear
from bangfu.registry.models import Household
from bangfu.standards.models import Standard

from .forms import EvaluatorForm, IncidenceForm
from .services import evaluator
from .services.incidence import (
    DENOMINATORS,
    RURAL_POPULATION,
    households_behind,
    incidence_by_prefix,
)

DENOMINATOR_LABELS = {  # choice → label
    "rural_population": gettext_lazy("户籍人口（村情）"),
    "registry_population": gettext_lazy("建档立卡登记人口"),
}


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def resolve_region(request) -> Region | None:
    """The region asked for (`?region=`), else the user's own; 404 outside the user's scope.
    None: everything (an administrator without a region chosen)."""
    code = (request.GET.get("region") or "").strip() or user_region_code(request.user) or ""
    if not code:
        return None
    region = Region.objects.for_user(request.user).filter(pk=code).first()
    if region is None:
        raise Http404
    return region


def default_year() -> int:
    latest = VillageYear.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or 2020


def incidence_context(request) -> dict:
    region = resolve_region(request)
    year = _int(request.GET.get("year"), default_year())
    denominator = request.GET.get("denominator") or RURAL_POPULATION
    if denominator not in DENOMINATORS:
        denominator = RURAL_POPULATION
    code = region.code if region else ""
    level = region.level if region else 0
    child_len = LEVEL_LENGTH.get(level + 1) if level < Level.VILLAGE else None
    households = Household.objects.for_user(request.user)
    facts = VillageYear.objects.for_user(request.user)
    total, children = incidence_by_prefix(year, code, child_len, denominator, households, facts)
    names = dict(
        Region.objects.filter(pk__in=list(children)).values_list("code", "name") if children else []
    )
    list_url = reverse("indicators:incidence_households")

    def link(code, kind):
        return f"{list_url}?region={code}&year={year}&kind={kind}"

    rows = []
    for child_code, item in sorted(children.items()):
        rows.append(
            {
                "code": child_code,
                "name": names.get(child_code, child_code),
                "item": item,
                "poor_url": link(child_code, "poor"),
                "exited_url": link(child_code, "exited"),
                "url": reverse("indicators:incidence")
                + f"?region={child_code}&year={year}&denominator={denominator}",
            }
        )
    chart = {
        "names": [r["name"] for r in rows if r["item"].rate is not None],
        "rates": [float(r["item"].rate) for r in rows if r["item"].rate is not None],
    }
    form = IncidenceForm(
        initial={"region": code, "year": year, "denominator": denominator},
        denominators=DENOMINATOR_LABELS.items(),
    )
    return {
        "form": form,
        "region": region,
        "year": year,
        "denominator": denominator,
        "denominators": list(DENOMINATOR_LABELS.items()),
        "total": total,
        "rows": rows,
        "chart": chart,
        "poor_url": link(code, "poor"),
        "exited_url": link(code, "exited"),
    }


class IncidenceView(BaseView):
    """`/indicators/incidence/?region=&year=&denominator=`"""

    queryset = Region.objects.all()
    template_name = "indicators/incidence.html"

    def get(self, request, *args, **kwargs):
        self.check_permission("view")
        return render(request, self.template_name, incidence_context(request))


def evaluator_context(request) -> dict:
    region = resolve_region(request)
    year = _int(request.GET.get("year"), 2020)
    standard = request.GET.get("standard") or "cn-household"
    if not Standard.objects.filter(code=standard, subject="household").exists():
        standard = "cn-household"
    households = Household.objects.for_user(request.user)
    if region is not None:
        households = households.in_region(region.code)
    code = region.code if region else ""
    base = reverse("indicators:evaluator_households")
    query = f"region={code}&year={year}&standard={standard}"
    wrong = evaluator.wrong_exits(households, standard, year)
    missed = evaluator.missed(households, standard, year)
    standards = list(Standard.objects.filter(subject="household").values_list("code", flat=True))
    form = EvaluatorForm(
        initial={"region": code, "year": year, "standard": standard}, standards=standards
    )
    return {
        "form": form,
        "figures": [
            ("wrong_exits", _("错退率"), wrong, f"{base}?{query}&kind=wrong_exits"),
            ("missed", _("漏评线索（未识别户未达标率）"), missed, f"{base}?{query}&kind=missed"),
        ],
        "region": region,
        "year": year,
        "standard": standard,
        "standards": list(
            Standard.objects.filter(subject="household").values_list("code", flat=True)
        ),
        "limit": evaluator.LIMIT,
        "wrong_exits": wrong,
        "missed": missed,
    }


class EvaluatorView(BaseView):
    """`/indicators/evaluator/?region=&year=&standard=`: 错退率 and the 漏评 proxy."""

    queryset = Region.objects.all()
    template_name = "indicators/evaluator.html"

    def get(self, request, *args, **kwargs):
        self.check_permission("view")
        return render(request, self.template_name, evaluator_context(request))


class EvaluatorHouseholdsView(BaseView):
    """The households behind a figure: exited (or not registered) with a failing verdict."""

    queryset = Household.objects.all()
    template_name = "indicators/evaluator_households.html"

    def get(self, request, *args, **kwargs):
        self.check_permission("view")
        context = evaluator_context(request)
        kind = request.GET.get("kind")
        households = Household.objects.for_user(request.user)
        if context["region"] is not None:
            households = households.in_region(context["region"].code)
        if kind == "missed":
            households = households.filter(evaluator.NOT_REGISTERED)
            title = _("未识别为贫困户但未达标的户（漏评线索）")
        else:
            households = households.filter(status="exited")
            title = _("已脱贫但未达标的户（错退线索）")
        rows = evaluator.failing_ids(households, context["standard"], context["year"])
        context.update({"title": title, "households": list(rows.order_by("household_no")[:500])})
        return render(request, self.template_name, context)


class IncidenceHouseholdsView(BaseView):
    """`/indicators/incidence/households/?region=&year=&kind=poor|exited`: the households
    behind the incidence page's figures (status at the end of the year, or exited in it), in
    the user's scope, with their members counted."""

    queryset = Household.objects.all()
    template_name = "indicators/incidence_households.html"

    def get(self, request, *args, **kwargs):
        from django.db.models import Count

        self.check_permission("view")
        region = resolve_region(request)
        year = _int(request.GET.get("year"), default_year())
        kind = "exited" if request.GET.get("kind") == "exited" else "poor"
        households = Household.objects.for_user(request.user)
        if region is not None:
            households = households.in_region(region.code)
        rows = (
            households_behind(households, year, kind)
            .annotate(n_members=Count("members"))
            .order_by("household_no")
        )
        title = (_("%(year)s 年脱贫的户") if kind == "exited" else _("%(year)s 年末未脱贫的户")) % {
            "year": year
        }
        context = {
            "region": region,
            "year": year,
            "kind": kind,
            "title": title,
            "households": list(rows[:1000]),
        }
        return render(request, self.template_name, context)
