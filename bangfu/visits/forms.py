"""Forms of visits. They offer only choices within the user's reach; the rules are checked by
`services.visits` (the forms show its messages next to the fields they name)."""

from __future__ import annotations

from django import forms
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.forms import DATE, ServiceFormMixin, VillageChoiceField
from bangfu.assistance.models import Cadre
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from .choices import Purpose
from .models import FollowUp, Visit
from .services.visits import reachable_households, reachable_villages

# Above this many households the household is typed (its number) rather than picked from a list.
HOUSEHOLD_SELECT_LIMIT = 300


class HouseholdField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.household_no


def household_field(user, label=None, required=False) -> HouseholdField:
    households = reachable_households(user).order_by("household_no")
    field = HouseholdField(
        label=label or _("走访户"),
        queryset=households,
        required=required,
        to_field_name="household_no",
        help_text=_("走访户或村至少选一项"),
        error_messages={"invalid_choice": _("户编号 %(value)s 不存在或不在您的管理范围内。")},
    )
    if households.count() > HOUSEHOLD_SELECT_LIMIT:
        field.widget = forms.TextInput(attrs={"placeholder": _("户编号"), "autocomplete": "off"})
    return field


def cadre_choices(user):
    return Cadre.objects.for_user(user).filter(active=True).select_related("unit")


def own_cadre(user) -> Cadre | None:
    """The cadre linked to the user (a cadre user records visits as themselves)."""
    return Cadre.objects.filter(user=user).first() if user and user.is_authenticated else None


class VisitForm(ServiceFormMixin, forms.ModelForm):
    region = VillageChoiceField(label=_("走访的村"), queryset=Region.objects.none(), required=False)

    class Meta:
        model = Visit
        fields = [
            "cadre",
            "household",
            "region",
            "date",
            "purpose",
            "people_met",
            "findings",
            "note",
        ]
        widgets = {"date": DATE, "findings": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadre_choices(user)
        self.fields["household"] = household_field(user)
        self.fields["region"].queryset = reachable_villages(user).order_by("code")
        if self.instance.pk and self.instance.household_id:
            self.initial["household"] = self.instance.household.household_no
            self.initial["region"] = self.instance.region_id[:12]
        elif not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())
            cadre = own_cadre(user)
            if cadre is not None:
                self.initial.setdefault("cadre", cadre.pk)

    def _post_clean(self):
        # The service checks the rules (and sets the region); here only copy the values.
        self.instance = construct_instance(self, self.instance, self._meta.fields)


class QuickVisitForm(ServiceFormMixin, forms.Form):
    """The phone page: few fields, big targets, today's date by default."""

    cadre = forms.ModelChoiceField(label=_("走访干部"), queryset=Cadre.objects.none())
    household = forms.ModelChoiceField(label=_("走访户"), queryset=Household.objects.none())
    region = VillageChoiceField(
        label=_("或走访的村"), queryset=Region.objects.none(), required=False
    )
    date = forms.DateField(label=_("走访日期"), widget=DATE)
    purpose = forms.ChoiceField(label=_("走访事由"), choices=Purpose.choices)
    findings = forms.CharField(
        label=_("走访情况"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up_action = forms.CharField(label=_("待办事项（可选）"), required=False, max_length=500)
    follow_up_due_date = forms.DateField(label=_("完成期限"), required=False, widget=DATE)
    photo = forms.FileField(
        label=_("照片（可选）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"] = household_field(user)
        self.fields["region"].queryset = reachable_villages(user).order_by("code")
        self.initial.setdefault("date", timezone.localdate())
        cadre = own_cadre(user)
        if cadre is not None:
            self.fields["cadre"].queryset = Cadre.objects.filter(pk=cadre.pk)
            self.fields["cadre"].initial = cadre.pk
            self.fields["cadre"].widget = forms.HiddenInput()
        else:
            self.fields["cadre"].queryset = cadre_choices(user)

    def clean(self):
        data = super().clean()
        if data.get("follow_up_action") and not data.get("follow_up_due_date"):
            self.add_error("follow_up_due_date", _("填写了待办事项，请同时填写完成期限。"))
        if data.get("follow_up_due_date") and not data.get("follow_up_action"):
            self.add_error("follow_up_action", _("填写了完成期限，请同时填写待办事项。"))
        return data


class FollowUpForm(ServiceFormMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["action", "due_date", "owner"]
        widgets = {"due_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = cadre_choices(user)
        self.fields["owner"].help_text = _("不填则为走访干部")

    def _post_clean(self):
        self.instance = construct_instance(self, self.instance, self._meta.fields)


class FollowUpDoneForm(ServiceFormMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["done_date", "result"]
        widgets = {"done_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_date"].required = True
        self.initial.setdefault("done_date", timezone.localdate())

    def _post_clean(self):
        self.instance = construct_instance(self, self.instance, self._meta.fields)
