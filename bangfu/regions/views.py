"""The region browser: a region's ancestors, its children and their households by status."""

from django.db.models import Count
from django.db.models.functions import Substr
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.generic import (
    BaseView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
)
from bangfu.core.scoping import user_can_reach_region, user_region_code
from bangfu.registry.choices import Status
from bangfu.registry.models import Household

from .choices import LEVEL_LENGTH, Level
from .filters import VillageYearFilterSet
from .forms import FactsUploadForm, VillageYearForm
from .models import Region, VillageYear
from .tables import ChildRegionTable, VillageYearTable


def household_counts_by_child(user, parent_code: str, child_len: int) -> dict[str, dict[str, int]]:
    """{child code: {status: n}} for the households in the user's area under `parent_code`, in one
    GROUP BY on the code prefix (as Region.child_counts, split by status)."""
    rows = (
        Household.objects.for_user(user)
        .in_region(parent_code)
        .annotate(_prefix=Substr("region_id", 1, child_len))
        .values("_prefix", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        out.setdefault(r["_prefix"], {})[r["status"]] = r["n"]
    return out


def child_rows(user, parent: Region | None, children) -> list[dict]:
    children = list(children)
    if not children:
        return []
    child_len = len(children[0].code)
    counts = household_counts_by_child(user, parent.code if parent else "", child_len)
    rows = []
    for child in children:
        c = counts.get(child.code, {})
        rows.append({"region": child, "counts": c, "total": sum(c.values())})
    return rows


def status_totals(rows) -> list[tuple[str, str, int]]:
    totals = {code: 0 for code, _label in Status.choices}
    for row in rows:
        for code, n in row["counts"].items():
            totals[code] = totals.get(code, 0) + n
    return [(code, label, totals[code]) for code, label in Status.choices]


class RegionListView(BaseView):
    """The root of the browser: the user's own region, or the provinces for an administrator."""

    queryset = Region.objects.all()
    template_name = "regions/region.html"

    def get(self, request):
        self.check_permission("view")
        code = user_region_code(request.user)
        region = Region.objects.filter(pk=code).first() if code else None
        if region is not None:  # a user bound to a region starts at it
            return RegionView.render_region(request, region)
        child_level = Level.PROVINCE
        if code is None:
            # Unit and cadre users (bound to no region) start at the villages their scope gives
            # them: their unit's assigned villages, or their paired households' villages.
            child_level = Level.VILLAGE
            children = Region.objects.for_user(request.user).filter(level=Level.VILLAGE)
            children = children.order_by("code")
        elif code != "":
            children = Region.objects.none()
        else:
            children = Region.objects.filter(level=Level.PROVINCE).order_by("code")
        rows = child_rows(request.user, None, children)
        context = {
            "object": None,
            "breadcrumb": [{"name": _("全部区域"), "url": None}],
            "table": ChildRegionTable(rows, request=request),
            "totals": status_totals(rows),
            "child_level": child_level.label,
        }
        return RegionView.respond(request, context)


class RegionView(ObjectView):
    """One region (URL kwarg `code`): 404 outside the user's subtree."""

    queryset = Region.objects.all()
    template_name = "regions/region.html"
    lookup_kwarg = "code"
    lookup_field = "pk"

    def get(self, request, *args, **kwargs):
        region = self.get_object()
        self.check_permission("view")
        return self.render_region(request, region)

    @staticmethod
    def render_region(request, region: Region):
        user = request.user
        crumbs = [{"name": _("全部区域"), "url": reverse("regions:region_list")}]
        for ancestor in region.ancestors():
            url = (
                reverse("regions:region", kwargs={"code": ancestor.code})
                if user_can_reach_region(user, ancestor.code)
                else None
            )
            crumbs.append({"name": ancestor.name, "url": url})
        crumbs.append({"name": region.name, "url": None})
        children = region.children.order_by("code")
        rows = child_rows(user, region, children)
        child_len = LEVEL_LENGTH.get(region.level + 1)
        own = (
            Household.objects.for_user(user)
            .in_region(region.code)
            .values("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        own_counts = {r["status"]: r["n"] for r in own}
        context = {
            "object": region,
            "breadcrumb": crumbs,
            "table": ChildRegionTable(rows, request=request),
            "totals": [(c, label, own_counts.get(c, 0)) for c, label in Status.choices],
            "total": sum(own_counts.values()),
            "child_level": Level(region.level + 1).label if child_len else None,
            "households_url": reverse("registry:household_list") + f"?region={region.code}",
        }
        return RegionView.respond(request, context)

    @staticmethod
    def respond(request, context):
        return render(request, "regions/region.html", context)


# --- village facts (村情) -----------------------------------------------------------------------


class VillageYearListView(ObjectListView):
    queryset = VillageYear.objects.all()
    filterset = VillageYearFilterSet
    table = VillageYearTable
    template_name = "regions/villageyear_list.html"

    def annotate(self, queryset):
        return queryset.select_related("region").order_by("region_id", "-year")


class VillageYearView(ObjectView):
    queryset = VillageYear.objects.all()
    template_name = "regions/villageyear.html"

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class VillageYearEditView(ObjectEditView):
    queryset = VillageYear.objects.all()
    form_class = VillageYearForm

    def get_form_kwargs(self, obj):
        kwargs = super().get_form_kwargs(obj)
        kwargs["initial_region"] = self.request.GET.get("region") or None
        return kwargs

    def get_success_url(self, obj):
        return reverse("regions:villageyear", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        if self.object is not None:
            return reverse("regions:villageyear", kwargs={"pk": self.object.pk})
        return reverse("regions:villageyear_list")


class VillageYearDeleteView(ObjectDeleteView):
    queryset = VillageYear.objects.all()

    def get_return_url(self):
        return reverse("regions:region", kwargs={"code": self.object.region_id})


class VillageFactsImportView(BaseView):
    """The upload page of the village facts import: the same importer as the command, scoped
    to the user, run at once (a county's file is small), all or nothing."""

    queryset = VillageYear.objects.all()
    template_name = "regions/villageyear_import.html"

    def get(self, request, *args, **kwargs):
        self._check()
        return render(request, self.template_name, {"form": FactsUploadForm()})

    def post(self, request, *args, **kwargs):
        import os
        import tempfile
        from pathlib import Path

        from .services.village_facts import import_village_facts

        self._check()
        form = FactsUploadForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            handle, path = tempfile.mkstemp(suffix=Path(upload.name).suffix.lower())
            try:
                with os.fdopen(handle, "wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                result = import_village_facts(path, user=request.user)
            finally:
                os.unlink(path)
        return render(request, self.template_name, {"form": form, "result": result})

    def _check(self):
        self.check_permission("add")
        self.check_permission("change")
