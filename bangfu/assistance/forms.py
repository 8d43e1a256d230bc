"""Edit forms of designated assistance. Records are written by the services (they validate
and audit); the forms only offer choices inside the user's scope."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bangfu.regions.choices import Level
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from .models import Assignment, Cadre, Pairing, Posting, Responsibility, Unit, Zone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.code}）"


def scoped_villages(user):
    return Region.objects.for_user(user).filter(level=Level.VILLAGE).order_by("code")


class ServiceFormMixin:
    """Show a service's ValidationError next to the fields it names."""

    def add_service_error(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                name = field if field in self.fields else None
                for error in errors:
                    self.add_error(name, error)
        else:
            self.add_error(None, exc)


class ServiceValidatedMixin:
    """The service validates (and e.g. ends the running pairing first): skip the model's own
    clean() here, which would judge the record before the service has done its part."""

    def _post_clean(self):
        pass


class UnitForm(ServiceFormMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", "contact_person", "contact_phone", "address"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.for_user(user).order_by("path")


class AssignmentForm(ServiceFormMixin, ServiceValidatedMixin, forms.ModelForm):
    village = VillageChoiceField(label=_("帮扶村"), queryset=Region.objects.none())

    class Meta:
        model = Assignment
        fields = ["unit", "village", "backing_unit", "start_date", "end_date", "note"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.for_user(user).order_by("path")
        self.fields["unit"].queryset = units
        self.fields["backing_unit"].queryset = units
        self.fields["village"].queryset = scoped_villages(user)


class CadreForm(ServiceFormMixin, forms.ModelForm):
    class Meta:
        model = Cadre
        fields = ["unit", "name", "sex", "phone", "position", "id_number", "active"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_user(user).order_by("path")


class PostingForm(ServiceFormMixin, ServiceValidatedMixin, forms.ModelForm):
    village = VillageChoiceField(label=_("驻村"), queryset=Region.objects.none())

    class Meta:
        model = Posting
        fields = ["cadre", "village", "role", "full_time", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = Cadre.objects.for_user(user).select_related("unit")
        self.fields["village"].queryset = scoped_villages(user)


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.household_no


class PairingForm(ServiceFormMixin, ServiceValidatedMixin, forms.ModelForm):
    household = HouseholdChoiceField(label=_("帮扶户"), queryset=Household.objects.none())

    class Meta:
        model = Pairing
        fields = ["cadre", "household", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = Cadre.objects.for_user(user).select_related("unit")
        self.fields["household"].queryset = Household.objects.for_user(user).order_by(
            "household_no"
        )


class EndForm(ServiceFormMixin, forms.Form):
    end_date = forms.DateField(label=_("结束日期"), widget=DATE)

    def __init__(self, *args, instance=None, user=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        if instance is not None and instance.end_date:
            self.fields["end_date"].initial = instance.end_date


class PeriodForm(forms.Form):
    """The unit page's period: inclusive dates, either may be empty (open); empty: all time."""

    start = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    end = forms.DateField(label=_("截止日期"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("截止日期不能早于起始日期"))
        return data

    def period(self):
        """The valid period, or all time when the dates are bad (the form shows why)."""
        from bangfu.core.figures import Period

        if not self.is_bound or not self.is_valid():
            return Period()
        return Period(self.cleaned_data.get("start"), self.cleaned_data.get("end"))


def scoped_counties(user):
    return Region.objects.for_user(user).filter(level=Level.COUNTY).order_by("code")


class ZoneForm(ServiceFormMixin, forms.ModelForm):
    region = VillageChoiceField(label=_("所属县"), queryset=Region.objects.none())

    class Meta:
        model = Zone
        fields = ["name", "region", "parent", "commander"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scoped_counties(user)
        zones = Zone.objects.for_user(user).order_by("region_id", "name")
        if self.instance.pk:
            zones = zones.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = zones
        self.fields["commander"].queryset = Cadre.objects.for_user(user).select_related("unit")


class ZoneVillagesForm(ServiceFormMixin, forms.Form):
    """The villages of a zone: villages of its county in the user's scope."""

    villages = forms.ModelMultipleChoiceField(
        label=_("所辖村"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, instance=None, user=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        field = self.fields["villages"]
        field.queryset = (
            scoped_villages(user).filter(code__startswith=instance.region_id).order_by("code")
        )
        field.label_from_instance = lambda obj: f"{obj.name}（{obj.code}）"
        if not self.is_bound:
            self.initial["villages"] = list(instance.villages.values_list("pk", flat=True))


class ResponsibilityForm(ServiceFormMixin, ServiceValidatedMixin, forms.ModelForm):
    region = VillageChoiceField(
        label=_("村或村民小组"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("包村选村，包组选村民小组；战区、包户层级不填"),
    )
    household = HouseholdChoiceField(
        label=_("包联户"), queryset=Household.objects.none(), required=False
    )

    class Meta:
        model = Responsibility
        fields = ["zone", "level", "cadre", "region", "household", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.for_user(user).order_by("region_id", "name")
        self.fields["cadre"].queryset = Cadre.objects.for_user(user).select_related("unit")
        self.fields["region"].queryset = (
            Region.objects.for_user(user)
            .filter(level__in=[Level.VILLAGE, Level.GROUP])
            .order_by("code")
        )
        self.fields["household"].queryset = Household.objects.for_user(user).order_by(
            "household_no"
        )


class DateForm(forms.Form):
    """The date a page shows a state on (default today); a bad date: today, with the message."""

    date = forms.DateField(label=_("日期"), required=False, widget=DATE)

    def day(self):
        from django.utils import timezone

        if self.is_bound and self.is_valid() and self.cleaned_data.get("date"):
            return self.cleaned_data["date"]
        return timezone.localdate()
