"""The verdicts page: verdicts in the user's scope, filtered by region, standard, year and
result (core.generic starts from `Verdict.objects.for_user(user)`)."""

import csv

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.generic import BaseView, ObjectListView, ObjectMixin, ObjectView, is_htmx
from bangfu.core.models import AuditEntry
from bangfu.registry.models import Household

from . import expressions, filters, tables
from .forms import ItemForm, RunForm, StandardForm, ThresholdForm, WhatIfForm
from .models import (
    EvaluationRun,
    RegionVerdict,
    Standard,
    StandardItem,
    StandardVersion,
    Threshold,
    Verdict,
)
from .services import gaps, manage, runs, whatif
from .services.evaluate import EvaluationError
from .services.explain import explain


class VerdictListView(ObjectListView):
    queryset = Verdict.objects.all()
    filterset = filters.VerdictFilterSet
    table = tables.VerdictTable
    template_name = "standards/verdict_list.html"

    def annotate(self, queryset):
        return queryset.select_related("household", "version__standard", "run").order_by(
            "-year", "region_id", "household__household_no", "pk"
        )


class RunListView(ObjectListView):
    """/standards/runs/: the runs in the user's scope, and (with `standards.run_evaluation`)
    the form that starts one in the background."""

    queryset = EvaluationRun.objects.all()
    table = tables.RunTable
    template_name = "standards/run_list.html"

    def annotate(self, queryset):
        return queryset.select_related("standard", "version", "started_by").order_by("-pk")

    def get_extra_context(self, **kwargs):
        can_run = self.request.user.has_perm("standards.run_evaluation")
        form = getattr(self, "_form", None) or (RunForm() if can_run else None)
        return {"form": form, "can_run": can_run}

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("standards.run_evaluation"):
            raise PermissionDenied
        form = RunForm(request.POST)
        if form.is_valid():
            try:
                run = runs.start_run(
                    request.user,
                    form.cleaned_data["standard"],
                    form.cleaned_data["year"],
                    form.cleaned_data["region"],
                )
            except runs.RunRefused as e:
                form.add_error("region", str(e))
            else:
                return redirect("standards:run", pk=run.pk)
        self._form = form
        response = self.get(request, *args, **kwargs)
        response.status_code = 400
        return response


class RunView(ObjectView):
    """/standards/runs/<pk>/: status polled with htmx until done; then the counts, the CSV
    and the link to the run's verdicts."""

    queryset = EvaluationRun.objects.select_related("standard", "version", "started_by")
    template_name = "standards/run.html"

    def get(self, request, *args, **kwargs):
        if is_htmx(request):
            obj = self.get_object()
            self.check_permission("view")
            return render(request, "standards/_run_progress.html", {"run": obj})
        return super().get(request, *args, **kwargs)

    def get_extra_context(self, **kwargs):
        return {"run": kwargs["object"]}


class RunCsvView(ObjectMixin, BaseView):
    """The run's verdicts as the command's CSV (subject,standard,year,passed,failed_items)."""

    queryset = EvaluationRun.objects.select_related("standard")

    def get(self, request, *args, **kwargs):
        run = self.get_object()
        self.check_permission("view")
        if run.status != EvaluationRun.Status.DONE:
            raise Http404
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="verdicts-{run.standard.code}-{run.year}-{run.pk}.csv"'
        )
        runs.write_csv(run, response)
        return response


def _gap_params(request):
    standard = request.GET.get("standard") or "cn-household"
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    region = (request.GET.get("region") or "").strip() or None
    return standard, year, region


def _default_year(queryset, standard):
    return (
        queryset.filter(version__standard__code=standard)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


class GapListView(BaseView):
    """/standards/gaps/?region=&standard=&year=: each failing household's least needs (latest
    verdict per household, in the user's scope) and the work list grouped by kind, sorted by
    how close each household is to passing. `?format=csv` downloads the list."""

    queryset = Verdict.objects.all()
    template_name = "standards/gaps.html"

    def get(self, request, *args, **kwargs):
        self.check_permission("view")
        standard, year, region = _gap_params(request)
        scoped = self.get_queryset()
        year = year or _default_year(scoped, standard)
        rows, groups = gaps.work_list(scoped, standard, year, region) if year else ([], {})
        if request.GET.get("format") == "csv":
            return _gaps_csv(rows, standard, year)
        return render(
            request,
            self.template_name,
            {
                **self.base_context(),
                "rows": rows,
                "groups": [(gaps.KINDS.get(k, k), k, members) for k, members in groups.items()],
                "standard": standard,
                "year": year,
                "region": region or "",
                "standards": Standard.objects.filter(subject="household"),
                "query": request.GET.urlencode(),
            },
        )


def _gaps_csv(rows, standard, year):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gaps-{standard}-{year}.csv"'
    w = csv.writer(response, lineterminator="\n")
    w.writerow(
        [
            "household",
            "region",
            "standard",
            "year",
            "failed_items",
            "income_per_person_to_add",
            "income_total_to_add",
            "members_to_insure",
            "children_back_to_school",
            "children_ages",
            "housing",
            "needs",
        ]
    )
    for r in rows:
        by = {g.kind: g for g in r.gaps}
        w.writerow(
            [
                r.household.household_no,
                r.verdict.region_id,
                standard,
                year,
                r.verdict.failed_items,
                by["income"].income_per_person if "income" in by else "",
                by["income"].income_total if "income" in by else "",
                by["medical"].count if "medical" in by else "",
                by["education"].count if "education" in by else "",
                " ".join(str(a) for a in by["education"].ages) if "education" in by else "",
                r.verdict.housing_safety if "housing" in by else "",
                "；".join(g.text for g in r.gaps),
            ]
        )
    return response


class WhatIfView(ObjectMixin, BaseView):
    """/standards/what-if/<household pk>/?standard=&year=: the survey's figures in a form;
    submitting shows the verdict, explanations and gaps for the changed figures. Nothing is
    saved (the rules are evaluated in memory)."""

    queryset = Household.objects.all()
    permission_model = Verdict
    template_name = "standards/what_if.html"

    def _setup(self, request):
        household = self.get_object()
        self.check_permission("view")
        standard = request.GET.get("standard") or "cn-household"
        try:
            year = int(request.GET.get("year") or 0)
        except ValueError:
            year = 0
        surveys = household.surveys.order_by("-year")
        survey = surveys.filter(year=year).first() if year else surveys.first()
        if survey is None:
            raise Http404
        return household, standard, survey

    @staticmethod
    def _members(survey):
        _facts, members = expressions.facts_from_survey(survey)
        for m in members:
            m["age"] = gaps.age_on_first_september(m["member__birth_date"], survey.year)
        return members

    def get(self, request, *args, **kwargs):
        household, standard, survey = self._setup(request)
        form = WhatIfForm(survey=survey, members=self._members(survey))
        return self._render(request, household, standard, survey, form, None)

    def post(self, request, *args, **kwargs):
        household, standard, survey = self._setup(request)
        form = WhatIfForm(request.POST, survey=survey, members=self._members(survey))
        outcome = None
        if form.is_valid():
            facts, members = form.facts(household.category)
            try:
                verdict, ages = whatif.what_if(household, standard, survey.year, facts, members)
            except EvaluationError as e:
                form.add_error(None, str(e))
            else:
                outcome = {
                    "verdict": verdict,
                    "reasons": explain(verdict, ages),
                    "gaps": gaps.gaps_of(verdict, ages),
                }
        return self._render(request, household, standard, survey, form, outcome)

    def _render(self, request, household, standard, survey, form, outcome):
        latest = (
            Verdict.objects.for_user(request.user)
            .filter(household=household, year=survey.year, version__standard__code=standard)
            .select_related("run", "version")
            .order_by("-pk")
            .first()
        )
        return render(
            request,
            self.template_name,
            {
                "household": household,
                "standard": standard,
                "year": survey.year,
                "form": form,
                "outcome": outcome,
                "latest": latest,
                "latest_reasons": explain(latest) if latest else [],
                "standards": Standard.objects.filter(subject="household"),
            },
            status=200 if outcome is not None or request.method == "GET" else 400,
        )


# --- administrators: standards, versions, items, thresholds ---------------------------------
# Standards and thresholds are the same for every user (not scoped), so these pages name their
# objects in the query string, not in the path.


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class StandardManageView(BaseView):
    """/standards/manage/[?standard=CODE]: the standards; one standard's versions and items
    (the rule as JSON), copy a version to a new one, add or change items of an unused one."""

    queryset = Standard.objects.all()
    template_name = "standards/manage.html"

    def get(self, request, *args, **kwargs):
        self.check_permission("view")
        code = request.GET.get("standard")
        standard = Standard.objects.filter(code=code).first() if code else None
        if code and standard is None:
            raise Http404
        versions = []
        if standard is not None:
            for v in standard.versions.order_by("-number").prefetch_related("items"):
                versions.append((v, v.in_use, list(v.items.order_by("order"))))
        return render(
            request,
            self.template_name,
            {
                **self.base_context(),
                "standards": Standard.objects.order_by("code"),
                "standard": standard,
                "versions": versions,
                "can_add": request.user.has_perm("standards.add_standard"),
                "can_change_items": request.user.has_perm("standards.add_standarditem"),
                "can_copy": request.user.has_perm("standards.add_standardversion"),
            },
        )


class StandardCreateView(BaseView):
    """/standards/manage/new/: a local household standard with its (empty) version 1."""

    queryset = Standard.objects.all()
    template_name = "core/object_edit.html"

    def get(self, request, *args, **kwargs):
        self.check_permission("add")
        return self._render(StandardForm())

    def post(self, request, *args, **kwargs):
        self.check_permission("add")
        form = StandardForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            standard = manage.create_standard(d["code"], d["name"], d["province"])
            return redirect(f"{reverse('standards:manage')}?standard={standard.code}")
        return self._render(form, status=400)

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                **self.base_context(),
                "form": form,
                "title": _("新增地方标准"),
                "cancel_url": reverse("standards:manage"),
            },
            status=status,
        )


class ItemEditView(BaseView):
    """/standards/manage/item/?version=ID (new item) or ?item=ID (change): refused for a
    version a verdict or run already uses (make a copy)."""

    queryset = StandardItem.objects.all()
    template_name = "core/object_edit.html"

    def _objects(self, request):
        item = StandardItem.objects.filter(pk=_int(request.GET.get("item"))).first()
        version = (
            item.version
            if item
            else StandardVersion.objects.filter(pk=_int(request.GET.get("version"))).first()
        )
        if version is None:
            raise Http404
        self.check_permission("change" if item else "add")
        return version, item

    def get(self, request, *args, **kwargs):
        if not request.GET.get("item") and not request.GET.get("version"):
            return redirect("standards:manage")
        version, item = self._objects(request)
        return self._render(version, ItemForm(instance=item or StandardItem(version=version)))

    def post(self, request, *args, **kwargs):
        version, item = self._objects(request)
        form = ItemForm(request.POST, instance=item or StandardItem(version=version))
        if form.is_valid():
            try:
                with transaction.atomic():
                    form.save()
            except ValidationError as e:
                form.add_error(None, e)
            else:
                return redirect(f"{reverse('standards:manage')}?standard={version.standard.code}")
        return self._render(version, form, status=400)

    def _render(self, version, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                **self.base_context(),
                "form": form,
                "title": _("%(version)s 的条目") % {"version": version},
                "cancel_url": f"{reverse('standards:manage')}?standard={version.standard.code}",
            },
            status=status,
        )


class CopyVersionView(BaseView):
    """POST /standards/manage/copy/ version=ID: a new version with copies of the items."""

    queryset = StandardVersion.objects.all()

    def post(self, request, *args, **kwargs):
        self.check_permission("add")
        version = StandardVersion.objects.filter(pk=_int(request.POST.get("version"))).first()
        if version is None:
            raise Http404
        manage.copy_version(version, request.POST.get("note", ""))
        return redirect(f"{reverse('standards:manage')}?standard={version.standard.code}")


class ThresholdView(BaseView):
    """/standards/thresholds/[?id=ID]: the thresholds by name, year and province; an
    administrator adds or changes one (?id=) and sees its history (the audit log)."""

    queryset = Threshold.objects.all()
    template_name = "standards/thresholds.html"

    def get(self, request, *args, **kwargs):
        self.check_permission("view")
        obj = self._object(request)
        return self._render(obj, ThresholdForm(instance=obj) if self._can_edit(obj) else None)

    def post(self, request, *args, **kwargs):
        obj = self._object(request)
        self.check_permission("change" if obj else "add")
        form = ThresholdForm(request.POST, instance=obj)
        if form.is_valid():
            saved = form.save()
            return redirect(f"{reverse('standards:thresholds')}?id={saved.pk}")
        return self._render(obj, form, status=400)

    def _object(self, request):
        pk = request.GET.get("id")
        if pk is None:
            return None
        obj = Threshold.objects.filter(pk=_int(pk)).first()
        if obj is None:
            raise Http404
        return obj

    def _can_edit(self, obj) -> bool:
        return self.has_permission("change" if obj else "add")

    def _render(self, obj, form, status=200):
        qs = Threshold.objects.order_by("name", "-year", "province")
        name = self.request.GET.get("name")
        if name:
            qs = qs.filter(name=name)
        history = AuditEntry.objects.for_subject(obj).order_by("-time", "-id") if obj else []
        return render(
            self.request,
            self.template_name,
            {
                **self.base_context(),
                "thresholds": qs,
                "object": obj,
                "form": form,
                "history": history,
                "names": Threshold.objects.order_by("name")
                .values_list("name", flat=True)
                .distinct(),
            },
            status=status,
        )


class RegionVerdictListView(ObjectListView):
    """Village and county verdicts in the user's scope (`RegionVerdict.objects.for_user`)."""

    queryset = RegionVerdict.objects.all()
    filterset = filters.RegionVerdictFilterSet
    table = tables.RegionVerdictTable

    def annotate(self, queryset):
        return queryset.select_related("region", "version__standard").order_by(
            "-year", "region_id", "-created", "-pk"
        )
