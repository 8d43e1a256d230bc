"""Pages of cooperatives. Every view starts from `Model.objects.for_user()` (core.generic);
saves go through the services (rules, one transaction, audited by the models)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from bangfu.core.generic import ObjectEditView, ObjectListView, ObjectView

from . import filters, forms, tables
from .figures import dividends_by_year, member_counts
from .models import Cooperative, CooperativeYear, Dividend, Membership, PurchaseContract
from .services.cooperatives import save


class CooperativeListView(ObjectListView):
    queryset = Cooperative.objects.all()
    filterset = filters.CooperativeFilterSet
    table = tables.CooperativeTable
    template_name = "cooperatives/cooperative_list.html"

    def annotate(self, queryset):
        return (
            queryset.select_related("village", "unit")
            .annotate(n_members=Count("memberships"))
            .order_by("village_id", "name", "pk")
        )

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("cooperatives:cooperative_add")}


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
