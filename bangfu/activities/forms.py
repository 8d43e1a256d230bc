"""The activity form: choices inside the user's scope; the model's rules (run by the ModelForm's
`full_clean`) name the field of each error."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.forms import DATE, VillageChoiceField
from bangfu.assistance.models import Cadre, Unit
from bangfu.regions.choices import Level
from bangfu.regions.models import Region

from .models import Activity


class ActivityForm(forms.ModelForm):
    village = VillageChoiceField(label=_("村"), queryset=Region.objects.none(), required=False)
    region = VillageChoiceField(
        label=_("所属区划"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("不填村时（全县或全乡镇的活动）必填：县或乡镇"),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "date",
            "title",
            "unit",
            "village",
            "region",
            "participants",
            "count",
            "cadre",
            "note",
        ]
        widgets = {"date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.for_user(user)
        self.fields["unit"].queryset = Unit.objects.for_user(user).order_by("path")
        self.fields["village"].queryset = regions.filter(level=Level.VILLAGE).order_by("code")
        self.fields["region"].queryset = regions.filter(
            level__in=[Level.COUNTY, Level.TOWNSHIP]
        ).order_by("code")
        self.fields["cadre"].queryset = Cadre.objects.for_user(user).select_related("unit")
