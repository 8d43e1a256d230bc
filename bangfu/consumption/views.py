"""Pages of consumption purchases, scoped (core.generic); saves through the service."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.urls import reverse

from bangfu.core.generic import ObjectEditView, ObjectListView, ObjectView
from bangfu.funds.exports import ExportListMixin

from . import filters, forms, tables
from .models import Purchase
from .services.purchases import save


class PurchaseListView(ExportListMixin, ObjectListView):
    export_kind = "purchases"
    queryset = Purchase.objects.all()
    filterset = filters.PurchaseFilterSet
    table = tables.PurchaseTable
    template_name = "consumption/purchase_list.html"

    def annotate(self, queryset):
        return queryset.select_related("unit", "village", "cooperative")

    def get_extra_context(self, filterset=None, **kwargs):
        qs = filterset.qs if filterset is not None and filterset.is_bound else self.get_queryset()
        return {
            "add_url": reverse("consumption:purchase_add"),
            "totals": qs.order_by().aggregate(n=Count("pk"), total=Sum("amount")),
        }


class PurchaseView(ObjectView):
    queryset = Purchase.objects.all()
    template_name = "consumption/purchase.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "village", "cooperative")


class PurchaseEditView(ObjectEditView):
    queryset = Purchase.objects.all()
    form_class = forms.PurchaseForm

    def save_form(self, form):
        return save(form.instance)

    def get_success_url(self, obj):
        return reverse("consumption:purchase", kwargs={"pk": obj.pk})
