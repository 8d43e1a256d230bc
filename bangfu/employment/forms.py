from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.forms import DATE, VillageChoiceField
from bangfu.assistance.models import Unit
from bangfu.regions.choices import Level
from bangfu.regions.models import Region
from bangfu.registry.models import Member

from .models import Job, LabourAgreement


class AgreementForm(forms.ModelForm):
    region = VillageChoiceField(label=_("输出地区划"), queryset=Region.objects.none())

    class Meta:
        model = LabourAgreement
        fields = ["company", "region", "unit", "start_date", "end_date", "places", "note"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.for_user(user).filter(level__lte=Level.VILLAGE).order_by("code")
        )
        self.fields["unit"].queryset = Unit.objects.for_user(user).order_by("path")


class JobForm(forms.ModelForm):
    class Meta:
        model = Job
        fields = [
            "member",
            "kind",
            "employer",
            "agreement",
            "year",
            "months",
            "income",
            "start_date",
            "end_date",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.for_user(user).select_related("household")
        self.fields["agreement"].queryset = LabourAgreement.objects.for_user(user)
