"""Pages of designated assistance: units, assignments, cadres, postings, pairings and the
coverage checks. Every view starts from `Model.objects.for_user(request.user)` (core.generic);
records are created and ended through the services, which validate and audit."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from bangfu.core.checks import get_check, registered_checks
from bangfu.core.figures import unit_figures
from bangfu.core.generic import (
    ObjectDeleteView,
    ObjectListView,
    ObjectView,
    ServiceEditView,
)
from bangfu.regions.models import Region

from . import filters, forms, tables
from .models import Assignment, Cadre, Pairing, Posting, Responsibility, Unit, Zone
from .services import pairings, units, zones

COVERAGE_ROWS = 100


class EndView(ServiceEditView):
    """End a dated record on a date (history is kept)."""

    form_class = forms.EndForm
    list_url_name = ""

    def is_create(self):
        return False

    def get_title(self):
        return _("结束%(name)s：%(obj)s") % {
            "name": self.model._meta.verbose_name,
            "obj": self.object,
        }

    def get_cancel_url(self):
        return reverse(self.list_url_name)

    def get_success_url(self, obj):
        return reverse(self.list_url_name)


# --- units ---------------------------------------------------------------------------------


class UnitListView(ObjectListView):
    queryset = Unit.objects.all()
    filterset = filters.UnitFilterSet
    table = tables.UnitTable
    template_name = "assistance/object_list.html"

    def annotate(self, queryset):
        return queryset.select_related("parent")

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("assistance:unit_add")}


class UnitView(ObjectView):
    queryset = Unit.objects.all()
    template_name = "assistance/unit.html"

    def get_extra_context(self, object, **kwargs):
        user = self.request.user
        params = self.request.GET
        period_form = forms.PeriodForm(
            params if (params.get("start") or params.get("end")) else None
        )
        period = period_form.period()
        unit_ids = Unit.objects.subtree(object).values("pk")
        assignments = (
            Assignment.objects.for_user(user)
            .filter(unit=object)
            .select_related("village", "backing_unit")
            .order_by("-start_date")
        )
        return {
            "backing_units": Unit.objects.for_user(user).filter(parent=object),
            "assignments": assignments,
            "period_form": period_form,
            "period": period,
            "sections": unit_figures(unit_ids, user, period),
        }


class UnitEditView(ServiceEditView):
    queryset = Unit.objects.all()
    form_class = forms.UnitForm

    def save_form(self, form):
        if self.object is None:
            data = dict(form.cleaned_data)
            return units.create_unit(data.pop("name"), data.pop("kind"), **data)
        return form.save()

    def get_success_url(self, obj):
        return reverse("assistance:unit", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        if self.object is not None:
            return reverse("assistance:unit", kwargs={"pk": self.object.pk})
        return reverse("assistance:unit_list")


# --- assignments ---------------------------------------------------------------------------


class AssignmentListView(ObjectListView):
    queryset = Assignment.objects.all()
    filterset = filters.AssignmentFilterSet
    table = tables.AssignmentTable
    template_name = "assistance/object_list.html"

    def annotate(self, queryset):
        return queryset.select_related("unit", "village", "backing_unit")

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("assistance:assignment_add")}


class AssignmentAddView(ServiceEditView):
    queryset = Assignment.objects.all()
    form_class = forms.AssignmentForm

    def save_form(self, form):
        d = form.cleaned_data
        return units.assign(
            d["unit"],
            d["village"],
            d["start_date"],
            backing_unit=d.get("backing_unit"),
            end_date=d.get("end_date"),
            note=d.get("note") or "",
        )

    def get_success_url(self, obj):
        return reverse("assistance:assignment_list")

    def get_cancel_url(self):
        return reverse("assistance:assignment_list")


class AssignmentEndView(EndView):
    queryset = Assignment.objects.all()
    list_url_name = "assistance:assignment_list"

    def save_form(self, form):
        return units.end_assignment(self.object, form.cleaned_data["end_date"])


# --- cadres --------------------------------------------------------------------------------


class CadreListView(ObjectListView):
    queryset = Cadre.objects.all()
    filterset = filters.CadreFilterSet
    table = tables.CadreTable
    template_name = "assistance/object_list.html"

    def annotate(self, queryset):
        return queryset.select_related("unit")

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("assistance:cadre_add")}


class CadreView(ObjectView):
    queryset = Cadre.objects.all()
    template_name = "assistance/cadre.html"

    def get_extra_context(self, object, **kwargs):
        user = self.request.user
        return {
            "postings": Posting.objects.for_user(user)
            .filter(cadre=object)
            .select_related("village")
            .order_by("-start_date"),
            "pairings": Pairing.objects.for_user(user)
            .filter(cadre=object)
            .select_related("household")
            .order_by("-start_date"),
        }


class CadreEditView(ServiceEditView):
    queryset = Cadre.objects.all()
    form_class = forms.CadreForm

    def save_form(self, form):
        if self.object is None:
            data = dict(form.cleaned_data)
            return units.create_cadre(data.pop("unit"), data.pop("name"), **data)
        return form.save()

    def get_success_url(self, obj):
        return reverse("assistance:cadre", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        if self.object is not None:
            return reverse("assistance:cadre", kwargs={"pk": self.object.pk})
        return reverse("assistance:cadre_list")


class CadreDeleteView(ObjectDeleteView):
    queryset = Cadre.objects.all()

    def get_return_url(self):
        return reverse("assistance:cadre_list")

    def post(self, request, *args, **kwargs):
        label = str(self.object)
        try:
            units.delete_cadre(self.object)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(reverse("assistance:cadre", kwargs={"pk": self.object.pk}))
        messages.success(request, _("已删除：%(obj)s") % {"obj": label})
        return HttpResponseRedirect(self.get_return_url())


# --- postings ------------------------------------------------------------------------------


class PostingListView(ObjectListView):
    queryset = Posting.objects.all()
    filterset = filters.PostingFilterSet
    table = tables.PostingTable
    template_name = "assistance/object_list.html"

    def annotate(self, queryset):
        return queryset.select_related("cadre", "village")

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("assistance:posting_add")}


class PostingAddView(ServiceEditView):
    queryset = Posting.objects.all()
    form_class = forms.PostingForm

    def save_form(self, form):
        d = form.cleaned_data
        return units.post(
            d["cadre"],
            d["village"],
            d["role"],
            d["start_date"],
            full_time=d.get("full_time", True),
            end_date=d.get("end_date"),
        )

    def get_success_url(self, obj):
        return reverse("assistance:posting_list")

    def get_cancel_url(self):
        return reverse("assistance:posting_list")


class PostingEndView(EndView):
    queryset = Posting.objects.all()
    list_url_name = "assistance:posting_list"

    def save_form(self, form):
        return units.end_posting(self.object, form.cleaned_data["end_date"])


# --- pairings ------------------------------------------------------------------------------


class PairingListView(ObjectListView):
    queryset = Pairing.objects.all()
    filterset = filters.PairingFilterSet
    table = tables.PairingTable
    template_name = "assistance/object_list.html"

    def annotate(self, queryset):
        return queryset.select_related("cadre", "household")

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("assistance:pairing_add")}


class PairingAddView(ServiceEditView):
    queryset = Pairing.objects.all()
    form_class = forms.PairingForm

    def save_form(self, form):
        d = form.cleaned_data
        return pairings.pair(d["cadre"], d["household"], d["start_date"], d.get("end_date"))

    def get_success_url(self, obj):
        return reverse("assistance:pairing_list")

    def get_cancel_url(self):
        return reverse("assistance:pairing_list")


class PairingEndView(EndView):
    queryset = Pairing.objects.all()
    list_url_name = "assistance:pairing_list"

    def save_form(self, form):
        return pairings.end_pairing(self.object, form.cleaned_data["end_date"])


# --- coverage ------------------------------------------------------------------------------


class CoverageView(View):
    """Every coverage check registered with `core.checks` (this app's and other apps'), each on
    the user's scoped querysets, with drill-down links and a CSV export per check."""

    def get(self, request):
        user = request.user
        if not user.has_perm("assistance.view_unit"):
            raise PermissionDenied
        params = request.GET
        export = params.get("export")
        if export:
            check = get_check(export)
            if check is None or check not in registered_checks(user):
                raise Http404
            return self.export(check, check.rows(user, params))
        checks = []
        for check in registered_checks(user):
            rows = check.rows(user, params)
            checks.append(
                {
                    "key": check.key,
                    "title": check.title(params),
                    "count": rows.count(),
                    "rows": [check.row(obj) for obj in rows[:COVERAGE_ROWS]],
                    "settings": [
                        (key, label(), params.get(key, default))
                        for key, label, default in check.settings
                    ],
                }
            )
        return render(
            request,
            "assistance/coverage.html",
            {"checks": checks, "row_limit": COVERAGE_ROWS},
        )

    def export(self, check, rows):
        """One check as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese)."""
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="coverage-{check.key}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(check.export_header())
        writer.writerows(check.export_row(obj) for obj in rows.iterator(chunk_size=2000))
        return response


# --- zones and responsibilities ----------------------------------------------------------------


class ZoneListView(ObjectListView):
    queryset = Zone.objects.all()
    filterset = filters.ZoneFilterSet
    table = tables.ZoneTable
    template_name = "assistance/object_list.html"

    def annotate(self, queryset):
        return (
            queryset.select_related("region", "parent", "commander")
            .annotate(village_count=Count("villages", distinct=True))
            .order_by("region_id", "name", "pk")
        )

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("assistance:zone_add")}


class ZoneView(ObjectView):
    """A zone: its villages and its chain on a date (default today) as a tree."""

    queryset = Zone.objects.all()
    template_name = "assistance/zone.html"

    def get_queryset(self):
        return super().get_queryset().select_related("region", "parent", "commander")

    def get_extra_context(self, object, **kwargs):
        form = forms.DateForm(self.request.GET or None)
        day = form.day()
        return {
            "date_form": form,
            "day": day,
            "tree": zones.zone_tree(
                object,
                day,
                Responsibility.objects.for_user(self.request.user),
                Region.objects.for_user(self.request.user),
            ),
            "can_add_responsibility": self.request.user.has_perm("assistance.add_responsibility"),
        }


class ZoneEditView(ServiceEditView):
    queryset = Zone.objects.all()
    form_class = forms.ZoneForm

    def save_form(self, form):
        if self.object is None:
            d = form.cleaned_data
            return zones.create_zone(
                d["name"], d["region"], parent=d.get("parent"), commander=d.get("commander")
            )
        return form.save()

    def get_success_url(self, obj):
        return reverse("assistance:zone", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        if self.object is not None:
            return reverse("assistance:zone", kwargs={"pk": self.object.pk})
        return reverse("assistance:zone_list")


class ZoneVillagesView(ServiceEditView):
    """Replace a zone's villages (audited by `services.zones.set_villages`)."""

    queryset = Zone.objects.all()
    form_class = forms.ZoneVillagesForm

    def is_create(self):
        return False

    def get_title(self):
        return _("设置所辖村：%(zone)s") % {"zone": self.object}

    def save_form(self, form):
        zones.set_villages(self.object, form.cleaned_data["villages"])
        return self.object

    def get_success_url(self, obj):
        return reverse("assistance:zone", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        return reverse("assistance:zone", kwargs={"pk": self.object.pk})


class ResponsibilityListView(ObjectListView):
    queryset = Responsibility.objects.all()
    filterset = filters.ResponsibilityFilterSet
    table = tables.ResponsibilityTable
    template_name = "assistance/object_list.html"

    def annotate(self, queryset):
        return queryset.select_related("zone", "cadre", "region", "household")

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("assistance:responsibility_add")}


class ResponsibilityAddView(ServiceEditView):
    queryset = Responsibility.objects.all()
    form_class = forms.ResponsibilityForm

    def get_form(self, obj, data=None, files=None):
        form = super().get_form(obj, data, files)
        if data is None:
            for name in ("zone", "level", "region", "household"):
                if self.request.GET.get(name):
                    form.initial[name] = self.request.GET[name]
        return form

    def save_form(self, form):
        d = form.cleaned_data
        return zones.assign_responsibility(
            d["zone"],
            d["level"],
            d["cadre"],
            d["start_date"],
            region=d.get("region"),
            household=d.get("household"),
            end_date=d.get("end_date"),
        )

    def get_success_url(self, obj):
        return reverse("assistance:zone", kwargs={"pk": obj.zone_id})

    def get_cancel_url(self):
        return reverse("assistance:responsibility_list")


class ResponsibilityEndView(EndView):
    queryset = Responsibility.objects.all()
    list_url_name = "assistance:responsibility_list"

    def save_form(self, form):
        return zones.end_responsibility(self.object, form.cleaned_data["end_date"])
