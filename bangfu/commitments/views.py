"""Pages of commitments, scoped (core.generic); saves through the services."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from bangfu.core.generic import ObjectEditView, ObjectListView, ObjectView
from bangfu.funds.exports import ExportListMixin

from . import filters, forms, tables
from .models import Commitment, CommitmentPayment
from .services.commitments import save
from .services.schedule import schedule


class CommitmentListView(ExportListMixin, ObjectListView):
    export_kind = "commitments"
    queryset = Commitment.objects.all()
    filterset = filters.CommitmentFilterSet
    table = tables.CommitmentTable
    template_name = "commitments/commitment_list.html"

    def annotate(self, queryset):
        return queryset.select_related("household", "member", "unit")

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("commitments:commitment_add")}


class PaymentListView(ExportListMixin, ObjectListView):
    """Payments made on the commitments in scope (the records behind “期内已发放”)."""

    export_kind = "commitment_payments"
    queryset = CommitmentPayment.objects.all()
    filterset = filters.PaymentFilterSet
    table = tables.PaymentTable
    template_name = "cooperatives/part_list.html"

    def annotate(self, queryset):
        return queryset.select_related("commitment", "commitment__household").order_by(
            "-date", "-pk"
        )


class CommitmentView(ObjectView):
    queryset = Commitment.objects.all()
    template_name = "commitments/commitment.html"

    def get_queryset(self):
        return super().get_queryset().select_related("household", "member", "unit")

    def get_extra_context(self, object, **kwargs):
        rows = schedule(object, timezone.localdate())
        return {
            "schedule": rows,
            "overdue": sum(1 for r in rows if r["state"] in ("overdue", "short")),
            "can_pay": self.request.user.has_perm("commitments.add_commitmentpayment"),
        }


class CommitmentEditView(ObjectEditView):
    queryset = Commitment.objects.all()
    form_class = forms.CommitmentForm

    def get_form_kwargs(self, obj):
        kwargs = super().get_form_kwargs(obj)
        household = self.request.GET.get("household")
        if obj is None and household and household.isdigit():
            kwargs["initial"] = {"household": int(household)}
        return kwargs

    def save_form(self, form):
        return save(form.instance)

    def get_success_url(self, obj):
        return reverse("commitments:commitment", kwargs={"pk": obj.pk})


class PaymentAddView(ObjectEditView):
    """Record a payment of the commitment named by the URL's `pk`; `?period=` preselects the
    period it covers."""

    queryset = Commitment.objects.all()
    permission_model = CommitmentPayment
    creates_child = True
    form_class = forms.PaymentForm

    def get_instance(self, obj):
        return CommitmentPayment(commitment=obj, amount=obj.amount)

    def get_form_kwargs(self, obj):
        kwargs = super().get_form_kwargs(obj)
        period = self.request.GET.get("period")
        if period:
            kwargs["initial"] = {"period_start": period, "date": timezone.localdate()}
        return kwargs

    def save_form(self, form):
        return save(form.instance)

    def get_success_url(self, obj):
        return reverse("commitments:commitment", kwargs={"pk": obj.commitment_id})

    def get_cancel_url(self):
        return reverse("commitments:commitment", kwargs={"pk": self.object.pk})
