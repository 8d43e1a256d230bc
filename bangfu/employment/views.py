"""Pages of labour agreements and jobs, scoped (core.generic); saves through the services."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.urls import reverse

from bangfu.core.generic import ObjectEditView, ObjectListView, ObjectView
from bangfu.funds.exports import ExportListMixin

from . import filters, forms, tables
from .models import Job, LabourAgreement
from .services.jobs import save


class AgreementListView(ExportListMixin, ObjectListView):
    export_kind = "labour_agreements"
    queryset = LabourAgreement.objects.all()
    filterset = filters.AgreementFilterSet
    table = tables.AgreementTable
    template_name = "employment/list.html"

    def annotate(self, queryset):
        return queryset.select_related("region", "unit")

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("employment:agreement_add")}


class AgreementView(ObjectView):
    queryset = LabourAgreement.objects.all()
    template_name = "employment/agreement.html"

    def get_extra_context(self, object, **kwargs):
        jobs = Job.objects.for_user(self.request.user).filter(agreement=object)
        return {"totals": jobs.aggregate(n=Count("pk"), income=Sum("income"))}


class JobListView(ExportListMixin, ObjectListView):
    export_kind = "jobs"
    queryset = Job.objects.all()
    filterset = filters.JobFilterSet
    table = tables.JobTable
    template_name = "employment/list.html"

    def annotate(self, queryset):
        return queryset.select_related("member__household")

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("employment:job_add")}


class JobView(ObjectView):
    queryset = Job.objects.all()
    template_name = "employment/job.html"

    def get_queryset(self):
        return super().get_queryset().select_related("member__household", "agreement")


class AgreementEditView(ObjectEditView):
    queryset = LabourAgreement.objects.all()
    form_class = forms.AgreementForm

    def save_form(self, form):
        return save(form.instance)

    def get_success_url(self, obj):
        return reverse("employment:agreement", kwargs={"pk": obj.pk})


class JobEditView(ObjectEditView):
    queryset = Job.objects.all()
    form_class = forms.JobForm

    def save_form(self, form):
        return save(form.instance)

    def get_success_url(self, obj):
        return reverse("employment:job", kwargs={"pk": obj.pk})
