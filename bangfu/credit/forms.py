from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.forms import DATE, VillageChoiceField
from bangfu.regions.choices import Level
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from .models import Loan, LoanProduct


class ProductForm(forms.ModelForm):
    region = VillageChoiceField(label=_("适用区划"), queryset=Region.objects.none())

    class Meta:
        model = LoanProduct
        fields = ["name", "bank", "region", "rate", "max_amount", "term_months", "note"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.for_user(user).filter(level__lte=Level.VILLAGE).order_by("code")
        )


class LoanForm(forms.ModelForm):
    class Meta:
        model = Loan
        fields = [
            "household",
            "product",
            "amount",
            "date",
            "term_months",
            "purpose",
            "repayment",
            "repaid_date",
        ]
        widgets = {"date": DATE, "repaid_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.for_user(user)
        self.fields["product"].queryset = LoanProduct.objects.for_user(user)
