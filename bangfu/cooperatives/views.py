"""Pages of cooperatives. Every view starts from `Model.objects.for_user()` (core.generic);
saves go through the services (rules, one transaction, audited by the models)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.generic import BaseView, ObjectEditView, ObjectListView, ObjectView
from bangfu.funds.exports import ExportListMixin
from bangfu.regions.choices import Level
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from . import filters, forms, tables
from .figures import dividends_by_year, member_counts
from .models import Cooperative, CooperativeYear, Dividend, Membership, PurchaseContract
from .services import coverage
from .services.cooperatives import save


class CooperativeListView(ExportListMixin, ObjectListView):
    export_kind = "cooperatives"
    queryset = Cooperative.objects.all()
    filterset = filters.CooperativeFilterSet
    table = tables.CooperativeTable
    template_name = "cooperatives/cooperative_list.html"

    def annotate(self, queryset):
        return (
            queryset.select_related("village", "unit")
            # a correlated count for the page's rows only (a GROUP BY would count every
            # cooperative's members before the page is cut)
            .annotate(
                n_members=Coalesce(
                    Subquery(
                        Membership.objects.filter(cooperative=OuterRef("pk"))
                        .order_by()
                        .values("cooperative")
                        .annotate(n=Count("pk"))
                        .values("n")
                    ),
                    0,
                )
            )
            .order_by("village_id", "name", "pk")
        )

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("cooperatives:cooperative_add")}


class MembershipListView(ExportListMixin, ObjectListView):
    """Members of the cooperatives in scope (the records behind the figures 建档立卡户社员 /
    其他社员): filtered by region, unit, cooperative, poor or not and the period."""

    export_kind = "memberships"
    queryset = Membership.objects.all()
    filterset = filters.MembershipFilterSet
    table = tables.MembershipTable
    template_name = "cooperatives/part_list.html"

    def annotate(self, queryset):
        return queryset.select_related("cooperative", "household").order_by(
            "cooperative_id", "joined", "pk"
        )


class DividendListView(ExportListMixin, ObjectListView):
    """Dividends paid to members (the records behind the figure “N年分红”)."""

    export_kind = "dividends"
    queryset = Dividend.objects.all()
    filterset = filters.DividendFilterSet
    table = tables.DividendTable
    template_name = "cooperatives/part_list.html"

    def annotate(self, queryset):
        return queryset.select_related(
            "cooperative", "membership", "membership__household"
        ).order_by("-year", "cooperative_id", "pk")


class CooperativeView(ObjectView):
    queryset = Cooperative.objects.all()
    template_name = "cooperatives/cooperative.html"

    def get_queryset(self):
        return super().get_queryset().select_related("village", "unit")

    def get_extra_context(self, object, **kwargs):
        user = self.request.user
        members = Membership.objects.for_user(user).filter(cooperative=object)
        dividends = Dividend.objects.for_user(user).filter(cooperative=object)
        return {
            "members": members.select_related("household"),
            "counts": member_counts(members),
            "contracts": PurchaseContract.objects.for_user(user).filter(cooperative=object),
            "years": CooperativeYear.objects.for_user(user).filter(cooperative=object),
            "dividend_years": dividends_by_year(dividends),
            "dividends": dividends.select_related("membership__household")[:200],
            "can_add_part": user.has_perm("cooperatives.add_membership"),
        }


def _coop_url(obj) -> str:
    return reverse("cooperatives:cooperative", kwargs={"pk": obj.cooperative_id})


class CooperativeEditView(ObjectEditView):
    queryset = Cooperative.objects.all()
    form_class = forms.CooperativeForm

    def save_form(self, form):
        return save(form.instance)

    def get_success_url(self, obj):
        return reverse("cooperatives:cooperative", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        if self.object is not None:
            return reverse("cooperatives:cooperative", kwargs={"pk": self.object.pk})
        return reverse("cooperatives:cooperative_list")


class PartAddView(ObjectEditView):
    """Add a member, contract, year or dividend to the cooperative named by the URL's `pk`."""

    queryset = Cooperative.objects.all()
    creates_child = True
    part_model = None

    @property
    def permission_model(self):
        return self.part_model

    def get_instance(self, obj):
        return self.part_model(cooperative=obj)

    def save_form(self, form):
        return save(form.instance)

    def get_success_url(self, obj):
        return _coop_url(obj)

    def get_cancel_url(self):
        return reverse("cooperatives:cooperative", kwargs={"pk": self.object.pk})


class PartEditView(ObjectEditView):
    def save_form(self, form):
        return save(form.instance)

    def get_success_url(self, obj):
        return _coop_url(obj)

    def get_cancel_url(self):
        return _coop_url(self.object)


def _part_views(model, form):
    add = type(
        f"{model.__name__}AddView", (PartAddView,), {"part_model": model, "form_class": form}
    )
    edit = type(
        f"{model.__name__}EditView",
        (PartEditView,),
        {"queryset": model.objects.all(), "form_class": form},
    )
    return add, edit


MembershipAddView, MembershipEditView = _part_views(Membership, forms.MembershipForm)
ContractAddView, ContractEditView = _part_views(PurchaseContract, forms.ContractForm)
YearAddView, YearEditView = _part_views(CooperativeYear, forms.YearForm)
DividendAddView, DividendEditView = _part_views(Dividend, forms.DividendForm)


LEVELS = {"county": Level.COUNTY, "township": Level.TOWNSHIP, "village": Level.VILLAGE}


def coverage_report(user, params) -> dict:
    """产业覆盖率 for the page and the API: rows per region of `level` inside `region`, with
    names (one more query) and the total."""
    region = (params.get("region") or "").strip()
    level = params.get("level") if params.get("level") in LEVELS else "village"
    rows = coverage.rate_by_region(user, LEVELS[level], region)
    names = dict(
        Region.objects.filter(pk__in=[r["code"] for r in rows]).values_list("code", "name")
    )
    for row in rows:
        row["name"] = names.get(row["code"], row["code"])
    households = sum(r["households"] for r in rows)
    covered = sum(r["covered"] for r in rows)
    rate = (Decimal(covered) * 100 / households).quantize(Decimal("0.1")) if households else 0
    return {
        "rows": rows,
        "total": {"households": households, "covered": covered, "rate": rate},
        "region": region,
        "level": level,
    }


class IndustryCoverageView(BaseView):
    """产业覆盖率 per region (`?region=` prefix, `?level=` county/township/village), each covered
    count linking to the households behind it."""

    queryset = Household.objects.all()
    permission_model = Cooperative
    template_name = "cooperatives/industry_coverage.html"

    def get(self, request, *args, **kwargs):
        self.check_permission("view")
        data = coverage_report(request.user, request.GET)
        return render(
            request,
            self.template_name,
            {
                **data,
                "levels": [
                    ("county", _("县")),
                    ("township", _("乡镇")),
                    ("village", _("村")),
                ],
            },
        )


class CoveredHouseholdListView(ObjectListView):
    """The registered households behind the numerator of 产业覆盖率 (`?region=` prefix)."""

    queryset = Household.objects.all()
    permission_model = Cooperative
    table = tables.CoveredHouseholdTable
    template_name = "cooperatives/covered_households.html"

    def get_queryset(self):
        qs = coverage.covered_households(self.request.user)
        region = (self.request.GET.get("region") or "").strip()
        if region:
            qs = qs.filter(region__pk__startswith=region)
        return qs.select_related("region").order_by("household_no")

    def get_extra_context(self, **kwargs):
        return {"region": (self.request.GET.get("region") or "").strip()}
