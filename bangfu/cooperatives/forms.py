"""Forms: choices inside the user's scope; the models' rules (run by `full_clean` in the
services) name the field of each error."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.forms import DATE, VillageChoiceField, scoped_villages
from bangfu.assistance.models import Unit
from bangfu.registry.models import Household

from .models import Cooperative, CooperativeYear, Dividend, Membership, PurchaseContract


class CooperativeForm(forms.ModelForm):
    village = VillageChoiceField(label=_("所在村"), queryset=Cooperative.objects.none())

    class Meta:
        model = Cooperative
        fields = ["name", "village", "industry", "founded", "registered_no", "unit", "note"]
        widgets = {"founded": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = scoped_villages(user)
        self.fields["unit"].queryset = Unit.objects.for_user(user).order_by("path")


class _PartForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


class MembershipForm(_PartForm):
    class Meta:
        model = Membership
        fields = ["household", "name", "shares", "joined", "left"]
        widgets = {"joined": DATE, "left": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.for_user(self.user)


class ContractForm(_PartForm):
    class Meta:
        model = PurchaseContract
        fields = ["buyer", "product", "start_date", "end_date", "quantity", "price"]
        widgets = {"start_date": DATE, "end_date": DATE}


class YearForm(_PartForm):
    class Meta:
        model = CooperativeYear
        fields = ["year", "profit", "jobs", "poor_jobs"]


class DividendForm(_PartForm):
    class Meta:
        model = Dividend
        fields = ["membership", "year", "amount", "paid_on"]
        widgets = {"paid_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        coop = self.instance.cooperative if self.instance.cooperative_id else None
        qs = Membership.objects.for_user(self.user).select_related("household")
        self.fields["membership"].queryset = qs.filter(cooperative=coop) if coop else qs.none()
