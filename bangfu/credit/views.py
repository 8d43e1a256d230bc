"""Pages of loan products and loans, scoped (core.generic); saves through the services."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.urls import reverse

from bangfu.core.generic import ObjectEditView, ObjectListView, ObjectView
from bangfu.funds.exports import ExportListMixin

from . import filters, forms, tables
from .choices import Repayment
from .models import Loan, LoanProduct
from .services.loans import save


class ProductListView(ExportListMixin, ObjectListView):
    export_kind = "loan_products"
    queryset = LoanProduct.objects.all()
    filterset = filters.ProductFilterSet
    table = tables.ProductTable
    template_name = "credit/list.html"

    def annotate(self, queryset):
        return queryset.select_related("region")

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("credit:product_add"), "add_label": "product"}


class ProductView(ObjectView):
    queryset = LoanProduct.objects.all()
    template_name = "credit/product.html"

    def get_extra_context(self, object, **kwargs):
        loans = Loan.objects.for_user(self.request.user).filter(product=object)
        by_status = [
            (Repayment(row["repayment"]).label, row["repayment"], row)
            for row in loans.order_by("repayment")
            .values("repayment")
            .annotate(n=Count("pk"), total=Sum("amount"))
        ]
        total = loans.aggregate(n=Count("pk"), total=Sum("amount"))
        return {"totals": total, "by_status": by_status}


class LoanListView(ExportListMixin, ObjectListView):
    export_kind = "loans"
    queryset = Loan.objects.all()
    filterset = filters.LoanFilterSet
    table = tables.LoanTable
    template_name = "credit/list.html"

    def annotate(self, queryset):
        return queryset.select_related("household", "product")

    def get_extra_context(self, filterset=None, **kwargs):
        qs = filterset.qs if filterset is not None and filterset.is_bound else self.get_queryset()
        return {
            "add_url": reverse("credit:loan_add"),
            "totals": qs.order_by().aggregate(n=Count("pk"), total=Sum("amount")),
        }


class LoanView(ObjectView):
    queryset = Loan.objects.all()
    template_name = "credit/loan.html"

    def get_queryset(self):
        return super().get_queryset().select_related("household", "product")


class ProductEditView(ObjectEditView):
    queryset = LoanProduct.objects.all()
    form_class = forms.ProductForm

    def save_form(self, form):
        return save(form.instance)

    def get_success_url(self, obj):
        return reverse("credit:product", kwargs={"pk": obj.pk})


class LoanEditView(ObjectEditView):
    queryset = Loan.objects.all()
    form_class = forms.LoanForm

    def get_form_kwargs(self, obj):
        kwargs = super().get_form_kwargs(obj)
        household = self.request.GET.get("household")
        if obj is None and household and household.isdigit():
            kwargs["initial"] = {"household": int(household)}
        return kwargs

    def save_form(self, form):
        return save(form.instance)

    def get_success_url(self, obj):
        return reverse("credit:loan", kwargs={"pk": obj.pk})
