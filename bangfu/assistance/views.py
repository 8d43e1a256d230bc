"""Pages of designated assistance: units, assignments, cadres, postings, pairings and the
coverage checks. Every view starts from `Model.objects.for_user(request.user)` (core.generic);
records are created and ended through the services, which validate and audit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from bangfu.core.generic import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from . import filters, forms, tables
from .models import Assignment, Cadre, Pairing, Posting, Unit
from .services import coverage, pairings, units
from .services.rules import active_q

COVERAGE_ROWS = 100


class ServiceEditView(ObjectEditView):
    """An edit view whose save goes through a service; its ValidationError is shown next to the
    fields it names and nothing is written."""

    def post(self, request, *args, **kwargs):
        form = self.get_form(self.object, request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = self.save_form(form)
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, self.success_message(saved))
                return HttpResponseRedirect(self.get_success_url(saved))
        return self.render_form(form)


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
        today = timezone.localdate()
        subtree = Unit.objects.subtree(object)
        assignments = (
            Assignment.objects.for_user(user)
            .filter(unit=object)
            .select_related("village", "backing_unit")
            .order_by("-start_date")
        )
        cadres = Cadre.objects.for_user(user).filter(unit__in=subtree)
        postings = Posting.objects.for_user(user).filter(cadre__unit__in=subtree)
        pairing_qs = Pairing.objects.for_user(user).filter(cadre__unit__in=subtree)
        return {
            "backing_units": Unit.objects.for_user(user).filter(parent=object),
            "assignments": assignments,
            "counts": {
                "assignments": assignments.count(),
                "active_assignments": assignments.filter(active_q(today)).count(),
                "cadres": cadres.count(),
                "postings": postings.count(),
                "active_postings": postings.filter(active_q(today)).count(),
                "pairings": pairing_qs.count(),
                "active_pairings": pairing_qs.filter(active_q(today)).count(),
            },
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
    """The coverage checks of services/coverage.py, each on the user's scoped querysets."""

    def get(self, request):
        user = request.user
        if not user.has_perm("assistance.view_unit"):
            raise PermissionDenied
        households = coverage.households_without_cadre(
            base=Household.objects.for_user(user)
        ).order_by("household_no")
        villages = coverage.villages_without_first_secretary(
            base=Region.objects.for_user(user)
        ).order_by("code")
        cadres = coverage.cadres_over_load(base=Cadre.objects.for_user(user)).select_related("unit")
        checks = [
            {
                "key": "households",
                "title": _("无帮扶责任人的贫困户"),
                "count": households.count(),
                "rows": [
                    (h.household_no, reverse("registry:household", kwargs={"pk": h.pk}), "")
                    for h in households[:COVERAGE_ROWS]
                ],
            },
            {
                "key": "villages",
                "title": _("无第一书记的帮扶村"),
                "count": villages.count(),
                "rows": [
                    (
                        f"{v.name}（{v.code}）",
                        reverse("assistance:posting_list") + f"?village={v.code}",
                        "",
                    )
                    for v in villages[:COVERAGE_ROWS]
                ],
            },
            {
                "key": "cadres",
                "title": _("结对户数超过上限的干部（上限 %(limit)s 户）")
                % {"limit": coverage.max_households_per_cadre()},
                "count": cadres.count(),
                "rows": [
                    (
                        f"{c.name} · {c.unit.name}",
                        reverse("assistance:cadre", kwargs={"pk": c.pk}),
                        c.load,
                    )
                    for c in cadres[:COVERAGE_ROWS]
                ],
            },
        ]
        export = request.GET.get("export")
        if export:
            return self.export(export, households, villages, cadres)
        return render(
            request,
            "assistance/coverage.html",
            {"checks": checks, "row_limit": COVERAGE_ROWS},
        )

    def export(self, which, households, villages, cadres):
        """One check as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese)."""
        import csv

        from django.http import Http404, HttpResponse

        if which == "households":
            header = [_("户编号"), _("区划代码"), _("户类型")]
            rows = (
                (h.household_no, h.region_id, h.get_status_display()) for h in households.iterator()
            )
        elif which == "villages":
            header = [_("区划代码"), _("村")]
            rows = ((v.code, v.name) for v in villages.iterator())
        elif which == "cadres":
            header = [_("姓名"), _("所属单位"), _("结对户数")]
            rows = ((c.name, c.unit.name, c.load) for c in cadres)
        else:
            raise Http404
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="coverage-{which}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows(rows)
        return response
