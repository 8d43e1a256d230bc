"""Forms of funds. They offer only choices within the user's reach; the rules are checked by
the services (the forms show their messages next to the fields they name)."""

from __future__ import annotations

from django import forms
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.forms import DATE, ServiceFormMixin
from bangfu.assistance.models import Unit
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from .models import Allocation, Donation, FundPool, FundSource, PoolEntry, Project, ProjectOutput


class CodeField(forms.ModelChoiceField):
    """A record typed by its code (region code, household number): lists would be too long."""

    def __init__(self, *args, placeholder="", **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": placeholder}))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return str(obj.pk)


def region_field(user, label, required=True) -> CodeField:
    return CodeField(
        label=label,
        queryset=Region.objects.for_user(user),
        to_field_name="code",
        required=required,
        placeholder=_("区划代码"),
        error_messages={"invalid_choice": _("区划代码 %(value)s 不存在或不在您的管理范围内。")},
    )


def household_field(user, label, required=False) -> CodeField:
    return CodeField(
        label=label,
        queryset=Household.objects.for_user(user),
        to_field_name="household_no",
        required=required,
        placeholder=_("户编号"),
        error_messages={"invalid_choice": _("户编号 %(value)s 不存在或不在您的管理范围内。")},
    )


class _ServiceForm(ServiceFormMixin, forms.ModelForm):
    unit_field = "unit"

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.unit_field in self.fields:
            self.fields[self.unit_field].queryset = Unit.objects.for_user(user).order_by("path")
        if "date" in self.fields and not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())

    def _post_clean(self):
        # The services check the rules; here only copy the values.
        self.instance = construct_instance(self, self.instance, self._meta.fields)


class FundSourceForm(_ServiceForm):
    class Meta:
        model = FundSource
        fields = ["kind", "name", "year", "amount", "unit", "region", "date", "document_no", "note"]
        widgets = {"date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["region"] = region_field(user, _("所属区划"))
        if self.instance.pk:
            self.initial["region"] = self.instance.region_id
        else:
            self.initial.setdefault("year", timezone.localdate().year)


class DonationForm(_ServiceForm):
    class Meta:
        model = Donation
        fields = ["donor_name", "donor_kind", "amount", "date", "purpose", "unit", "region", "note"]
        widgets = {"date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["region"] = region_field(user, _("受赠区划"))
        if self.instance.pk:
            self.initial["region"] = self.instance.region_id


class FundPoolForm(_ServiceForm):
    class Meta:
        model = FundPool
        fields = ["name", "purpose", "region", "unit"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["region"] = region_field(user, _("所属区划"))
        if self.instance.pk:
            self.initial["region"] = self.instance.region_id


class PoolInflowForm(_ServiceForm):
    unit_field = ""

    class Meta:
        model = PoolEntry
        fields = ["source", "amount", "date", "note"]
        widgets = {"date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["source"].queryset = FundSource.objects.for_user(user).order_by("-date")
        self.fields["source"].required = True


class AllocationForm(_ServiceForm):
    class Meta:
        model = Allocation
        fields = [
            "source",
            "pool",
            "kind",
            "project",
            "household",
            "amount",
            "date",
            "purpose",
            "unit",
            "note",
        ]
        widgets = {"date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["source"].queryset = FundSource.objects.for_user(user).order_by("-date")
        self.fields["pool"].queryset = FundPool.objects.for_user(user).order_by("name")
        self.fields["project"].queryset = Project.objects.for_user(user).order_by("-pk")
        self.fields["household"] = household_field(user, _("受助户"))
        self.fields["source"].help_text = _("资金来源和资金池填写一项")


class ProjectForm(_ServiceForm):
    class Meta:
        model = Project
        fields = [
            "kind",
            "name",
            "village",
            "unit",
            "budget",
            "status",
            "start_date",
            "completion_date",
            "note",
        ]
        widgets = {"start_date": DATE, "completion_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["village"] = region_field(user, _("所在村"))
        if self.instance.pk:
            self.initial["village"] = self.instance.village_id


class ProjectOutputForm(_ServiceForm):
    class Meta:
        model = ProjectOutput
        fields = ["name", "quantity", "measure"]


class BeneficiariesForm(ServiceFormMixin, forms.Form):
    households = forms.CharField(
        label=_("受益户户编号"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行或以逗号分隔一个户编号"),
    )

    def __init__(self, *args, user=None, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if project is not None and not self.is_bound:
            self.initial["households"] = "\n".join(
                project.beneficiaries.order_by("household_no").values_list(
                    "household_no", flat=True
                )
            )

    def clean_households(self):
        import re

        numbers = [n for n in re.split(r"[\s,，、]+", self.cleaned_data["households"]) if n]
        found = Household.objects.for_user(self.user).filter(household_no__in=numbers)
        known = {h.household_no for h in found}
        missing = [n for n in numbers if n not in known]
        if missing:
            raise forms.ValidationError(
                _("户编号 %(list)s 不存在或不在您的管理范围内。") % {"list": "、".join(missing)}
            )
        return list(found)
