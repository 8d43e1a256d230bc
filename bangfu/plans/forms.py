"""Edit forms of plans and measures. They offer only choices inside the user's scope; the
services (`services/plans.py`) validate and write, and their errors are shown by field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.forms import (
    DATE,
    ServiceFormMixin,
    ServiceValidatedMixin,
    VillageChoiceField,
    scoped_villages,
)
from bangfu.assistance.models import Cadre, Unit
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from .models import Measure, Plan


class HouseholdNoField(forms.CharField):
    """A household typed by its number (户编号) and found in the user's scope: a county's
    households are too many for a drop-down list."""

    def __init__(self, *args, queryset=None, **kwargs):
        self.queryset = queryset if queryset is not None else Household.objects.none()
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        household = self.queryset.filter(household_no=value).first()
        if household is None:
            raise ValidationError(gettext("户编号%(no)s不存在或不在您的管辖范围内") % {"no": value})
        return household


class PlanForm(ServiceFormMixin, ServiceValidatedMixin, forms.ModelForm):
    village = VillageChoiceField(label=_("村"), queryset=Region.objects.none(), required=False)
    household = HouseholdNoField(label=_("帮扶户（户编号）"), required=False, max_length=40)

    class Meta:
        model = Plan
        fields = [
            "title",
            "village",
            "household",
            "unit",
            "author",
            "start_date",
            "end_date",
            "target_income_per_capita",
            "industries",
            "other_goals",
            "status",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "industries": forms.Textarea(attrs={"rows": 2}),
            "other_goals": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"village": _("一村一策选择村，一户一策选择帮扶户，二者选其一")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = scoped_villages(user)
        self.fields["household"].queryset = Household.objects.for_user(user)
        if self.instance.household_id and not self.is_bound:
            self.initial["household"] = self.instance.household.household_no
        self.fields["unit"].queryset = Unit.objects.for_user(user).order_by("path")
        self.fields["author"].queryset = Cadre.objects.for_user(user).select_related("unit")


class MeasureForm(ServiceFormMixin, ServiceValidatedMixin, forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "kind",
            "description",
            "owner",
            "owner_unit",
            "cost",
            "due_date",
            "status",
            "done_date",
            "evidence",
        ]
        widgets = {
            "due_date": DATE,
            "done_date": DATE,
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Cadre.objects.for_user(user).select_related("unit")
        self.fields["owner_unit"].queryset = Unit.objects.for_user(user).order_by("path")


class CompleteMeasureForm(ServiceFormMixin, forms.Form):
    done_date = forms.DateField(label=_("完成日期"), widget=DATE)
    evidence = forms.CharField(
        label=_("完成情况及佐证"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, instance=None, user=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.fields["done_date"].initial = timezone.localdate()
        if instance is not None:
            self.fields["evidence"].initial = instance.evidence
