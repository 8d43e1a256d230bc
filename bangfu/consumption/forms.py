from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.forms import DATE, VillageChoiceField, scoped_villages
from bangfu.assistance.models import Unit
from bangfu.cooperatives.models import Cooperative
from bangfu.regions.models import Region

from .models import Purchase


class PurchaseForm(forms.ModelForm):
    village = VillageChoiceField(label=_("销售村"), queryset=Region.objects.none(), required=False)

    class Meta:
        model = Purchase
        fields = ["unit", "village", "cooperative", "product", "quantity", "amount", "date"]
        widgets = {"date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_user(user).order_by("path")
        self.fields["village"].queryset = scoped_villages(user)
        self.fields["cooperative"].queryset = Cooperative.objects.for_user(user)
