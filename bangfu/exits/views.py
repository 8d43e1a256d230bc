"""Pages of exit cases. Every view starts from `Model.objects.for_user(request.user)`
(core.generic); every write goes through `services.procedure` (order, dates, verdict gate,
objections, audit). The case page's next-step form posts with htmx and gets the procedure
section back (the timeline with the new step, or the form with the service's message)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core.generic import ObjectListView, ObjectView, ServiceEditView, is_htmx
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from . import filters, forms, tables
from .choices import NOTICE_STEP, STEPS_BY_KIND, CaseKind, CaseStatus, Step
from .models import ExitCase, ExitStep, Objection
from .services import notices, procedure, verdicts


class CaseListView(ObjectListView):
    queryset = ExitCase.objects.all()
    filterset = filters.ExitCaseFilterSet
    table = tables.ExitCaseTable
    template_name = "exits/case_list.html"

    def annotate(self, queryset):
        return queryset.select_related("household", "region")


def case_context(request, case: ExitCase, step_form=None) -> dict:
    """What the procedure section (`exits/procedure.html`) shows: every step of the kind, done or
    to do, with its evidence; objections; the next step's form."""
    user = request.user
    done = {
        s.step: s
        for s in ExitStep.objects.for_user(user).filter(case=case).select_related("recorded_by")
    }
    timeline = [
        {"code": code, "label": Step(code).label, "done": done.get(code), "position": i + 1}
        for i, code in enumerate(STEPS_BY_KIND[case.kind])
    ]
    can_record = user.has_perm("exits.add_exitstep") and case.next_step is not None
    if step_form is None and can_record:
        step_form = forms.StepForm(case=case, user=user, initial={"date": timezone.localdate()})
    info = None
    if case.kind == CaseKind.HOUSEHOLD and case.household_id:
        info = verdicts.latest_household_verdict(case.household, case.standard_code, case.year)
    notice_step = NOTICE_STEP[case.kind]
    at_notice = case.current_step == notice_step and case.status in (
        CaseStatus.OPEN,
        CaseStatus.OBJECTION,
    )
    return {
        "case": case,
        "timeline": timeline,
        "objections": Objection.objects.for_user(user)
        .filter(case=case)
        .order_by("raised_on", "pk"),
        "step_form": step_form if can_record else None,
        "can_record": can_record,
        "verdict": info,
        "standard_name": verdicts.standard_name(case.standard_code),
        "notice_ends": procedure.notice_ends(case),
        "notice_label": Step(notice_step).label,
        "at_notice": at_notice,
        "can_object": at_notice and user.has_perm("exits.add_objection"),
        "can_resolve": user.has_perm("exits.change_objection"),
        "can_notice_days": user.has_perm("exits.change_notice_days")
        and case.status in (CaseStatus.OPEN, CaseStatus.OBJECTION),
        "assessment_failures": procedure.assessment_failures(case)
        if case.kind == CaseKind.COUNTY and case.satisfaction is not None
        else [],
        "request": request,
    }


class CaseView(ObjectView):
    queryset = ExitCase.objects.all()
    template_name = "exits/case.html"

    def get_queryset(self):
        return super().get_queryset().select_related("household", "region")

    def get_extra_context(self, object, **kwargs):
        from bangfu.core.models import AuditEntry

        context = case_context(self.request, object)
        context["history"] = AuditEntry.objects.for_subject(object).order_by("-time", "-id")[:100]
        return context


class StepView(ObjectView):
    """One recorded step: who, when, the note, and its evidence files (attachments)."""

    queryset = ExitStep.objects.all()
    template_name = "exits/step.html"

    def get_queryset(self):
        return super().get_queryset().select_related("case", "case__household", "recorded_by")


class CaseAddView(ServiceEditView):
    queryset = ExitCase.objects.all()
    form_class = forms.CaseForm
    template_name = "exits/edit.html"

    def get_form(self, obj, data=None, files=None):
        form = super().get_form(obj, data, files)
        if data is None:
            get = self.request.GET
            if get.get("household", "").isdigit():
                number = (
                    Household.objects.for_user(self.request.user)
                    .filter(pk=int(get["household"]))
                    .values_list("household_no", flat=True)
                    .first()
                )
                if number:
                    form.initial.update(kind=CaseKind.HOUSEHOLD, household=number)
            if get.get("region"):
                region = Region.objects.for_user(self.request.user).filter(pk=get["region"]).first()
                if region is not None and region.level in (3, 5):
                    form.initial.update(
                        region=region.pk,
                        kind=CaseKind.VILLAGE if region.level == 5 else CaseKind.COUNTY,
                    )
        return form

    def save_form(self, form):
        d = form.cleaned_data
        return procedure.open_case(
            self.request.user,
            d["kind"],
            d["year"],
            household=d.get("household"),
            region=d.get("region"),
            standard_code=d.get("standard_code") or None,
            notice_days=d.get("notice_days"),
        )

    def get_success_url(self, obj):
        return reverse("exits:case", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        return reverse("exits:case_list")


class StepRecordView(ServiceEditView):
    """Record the next step of the case named in the URL. With htmx the answer is the
    procedure section; without, the case page (or this form again with the message)."""

    queryset = ExitCase.objects.all()
    permission_model = ExitStep
    creates_child = True
    form_class = forms.StepForm
    template_name = "exits/edit.html"

    def get_form(self, obj, data=None, files=None):
        return forms.StepForm(
            data=data, files=files, case=obj, user=self.request.user, instance=None
        )

    def get_title(self):
        return _("登记退出步骤：%(case)s") % {"case": self.object}

    def save_form(self, form):
        d = form.cleaned_data
        return procedure.record_step(
            self.object,
            d["step"],
            self.request.user,
            d["date"],
            note=d.get("note") or "",
            contact=d.get("contact") or "",
            wrong_exit_rate=d.get("wrong_exit_rate"),
            missed_rate=d.get("missed_rate"),
            satisfaction=d.get("satisfaction"),
        )

    def post(self, request, *args, **kwargs):
        if not is_htmx(request):
            return super().post(request, *args, **kwargs)
        form = self.get_form(self.object, request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    done = self.save_form(form)
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, self.success_message(done))
                form = None
        case = ExitCase.objects.select_related("household", "region").get(pk=self.object.pk)
        context = case_context(request, case, step_form=form)
        return render(request, "exits/procedure.html", context)

    def success_message(self, obj):
        return _("已登记：%(step)s") % {"step": obj.get_step_display()}

    def get_success_url(self, obj):
        return reverse("exits:case", kwargs={"pk": obj.case_id})

    def get_cancel_url(self):
        return reverse("exits:case", kwargs={"pk": self.object.pk})


class NoticeDaysView(ServiceEditView):
    queryset = ExitCase.objects.all()
    permission_action = "change"
    form_class = forms.NoticeDaysForm
    template_name = "exits/edit.html"

    def is_create(self):
        return False

    def check_permission(self, action=None):
        if not self.request.user.has_perm("exits.change_notice_days"):
            raise PermissionDenied

    def get_title(self):
        return _("修改公示天数：%(case)s") % {"case": self.object}

    def save_form(self, form):
        return procedure.set_notice_days(
            self.object, form.cleaned_data["notice_days"], self.request.user
        )

    def get_success_url(self, obj):
        return reverse("exits:case", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        return reverse("exits:case", kwargs={"pk": self.object.pk})


class ObjectionAddView(ServiceEditView):
    queryset = ExitCase.objects.all()
    permission_model = Objection
    creates_child = True
    form_class = forms.ObjectionForm
    template_name = "exits/edit.html"

    def get_title(self):
        return _("登记异议：%(case)s") % {"case": self.object}

    def save_form(self, form):
        d = form.cleaned_data
        return procedure.raise_objection(
            self.object, self.request.user, d["raised_by"], d["raised_on"], d["content"]
        )

    def get_success_url(self, obj):
        return reverse("exits:case", kwargs={"pk": obj.case_id})

    def get_cancel_url(self):
        return reverse("exits:case", kwargs={"pk": self.object.pk})


class ObjectionResolveView(ServiceEditView):
    queryset = Objection.objects.all()
    form_class = forms.ResolveForm
    template_name = "exits/edit.html"

    def is_create(self):
        return False

    def get_title(self):
        return _("处理异议：%(obj)s") % {"obj": self.object}

    def save_form(self, form):
        d = form.cleaned_data
        return procedure.resolve_objection(
            self.object, self.request.user, d["outcome"], d["resolved_on"], d.get("resolution")
        )

    def get_success_url(self, obj):
        return reverse("exits:case", kwargs={"pk": obj.case_id})

    def get_cancel_url(self):
        return reverse("exits:case", kwargs={"pk": self.object.case_id})


class RegionSectionView(ObjectView):
    """The exit section of a village's or county's page, loaded by htmx after the page."""

    queryset = Region.objects.all()
    lookup_kwarg = "code"
    permission_model = ExitCase
    template_name = "exits/exits_section.html"

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        self.check_permission("view")
        from .templatetags.exits import section_context

        return render(request, self.template_name, section_context(request, region=obj))


class _VillagePrintView(ObjectView):
    """A printable page of one village (公示 / 公告): households only by name, number, village,
    the standard met and the dates — no ID number, phone, bank account or health detail, whoever
    looks (built from `services.notices`, which never reads those fields)."""

    queryset = Region.objects.all()
    lookup_kwarg = "code"
    lookup_field = "pk"
    permission_model = ExitCase
    kind = "notice"

    def get_extra_context(self, object, **kwargs):
        year = self.request.GET.get("year", "")
        year = int(year) if year.isdigit() else None
        cases = ExitCase.objects.for_user(self.request.user)
        if self.kind == "notice":
            rows = notices.notice_rows(cases, object)
        else:
            rows = notices.announcement_rows(cases, object, year)
        return {
            "village": object,
            "rows": rows,
            "contacts": sorted({r.contact for r in rows if r.contact}),
            "kind": self.kind,
            "year": year,
            "today": datetime.date.today(),
            "township": object.parent,
        }


class NoticeView(_VillagePrintView):
    template_name = "exits/notice.html"
    kind = "notice"


class AnnouncementView(_VillagePrintView):
    template_name = "exits/notice.html"
    kind = "announcement"
