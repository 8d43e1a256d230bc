"""The village facts form: villages inside the user's scope; the model's rules (full_clean) name
the field of each error."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Level
from .models import Region, VillageYear

MAX_UPLOAD = 20 * 1024 * 1024


class VillageYearForm(forms.ModelForm):
    class Meta:
        model = VillageYear
        fields = [
            "region",
            "year",
            "rural_population",
            "featured_industry",
            "road_to_village_hardened",
            "clinic_with_doctor",
            "public_service_venue",
            "broadband",
            "collective_income",
            "committee_rated_good",
        ]

    def __init__(self, *args, user=None, initial_region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.for_user(user).filter(level=Level.VILLAGE).order_by("code")
        )
        if initial_region is not None and not self.instance.pk:
            self.initial["region"] = initial_region


class FactsUploadForm(forms.Form):
    file = forms.FileField(label=_("村情表（.csv 或 .xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".xlsx", ".csv"):
            raise forms.ValidationError(_("请上传 .xlsx 或 .csv 文件"))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件太大（上限 20 MB）"))
        return upload
