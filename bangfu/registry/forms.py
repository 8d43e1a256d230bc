"""Edit forms of the registry. They apply the same rules as the import and the API
(`services/validation.py`, `idnumber.py`) and show each broken rule next to its field."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.regions.choices import Level
from bangfu.regions.models import Region

from .choices import Cause, Relation, Status
from .models import HOUSEHOLD_FIELDS, MEMBER_FACT_FIELDS, Household, Member, MemberSurvey, Survey
from .services import validation
from .services.validation import RegistryError

PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8})$")

YES_NO = [("1", gettext_lazy("是")), ("0", gettext_lazy("否"))]


def yes_no_field(label, required: bool = True) -> forms.TypedChoiceField:
    """Yes/no as two radio buttons: an answer is required, never read from an empty box."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO if required else [("", gettext_lazy("未填")), *YES_NO],
        coerce=lambda v: v in ("1", True, "True"),
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
    )


def bool_initial(value):
    return None if value is None else ("1" if value else "0")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        parent = obj.parent.name if obj.parent_id and obj.parent else ""
        return f"{parent} {obj.name}（{obj.code}）".strip()


def scoped_village_queryset(user):
    """Villages and groups in the user's area: the only regions a household may be put in."""
    return (
        Region.objects.for_user(user)
        .filter(level__in=[Level.VILLAGE, Level.GROUP])
        .select_related("parent")
        .order_by("code")
    )


class RegistryFormMixin:
    def add_registry_error(self, exc: RegistryError, default_field: str | None = None) -> None:
        name = exc.field if exc.field in self.fields else default_field
        self.add_error(name if name in self.fields else None, str(exc))


class HouseholdForm(RegistryFormMixin, forms.ModelForm):
    other_causes = forms.MultipleChoiceField(
        label=gettext_lazy("其他致贫原因"),
        choices=Cause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status_date = forms.DateField(
        label=gettext_lazy("户类型变化日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("户类型改变时填写，默认为今天"),
    )
    status_reason = forms.CharField(
        label=gettext_lazy("户类型变化原因"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("户类型改变时必填，如：自然减少（死亡）"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Household
        fields = list(HOUSEHOLD_FIELDS)
        field_classes = {"region": RegionChoiceField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].queryset = scoped_village_queryset(user)
        self.fields["region"].label = _("村（村民小组）")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["other_causes"] = self.instance.other_cause_list
        else:
            del self.fields["status_date"]
            del self.fields["status_reason"]
            del self.fields["version"]
        for name in ("registered_year", "exit_year"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": "2014"})
        self.fields["phone"].widget.attrs.update({"type": "tel", "inputmode": "tel"})

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip().replace(" ", "")
        if value and not PHONE_RE.match(value):
            raise forms.ValidationError(_("联系电话应为 11 位手机号或固定电话"))
        return value

    def clean_other_causes(self):
        return ";".join(self.cleaned_data.get("other_causes") or [])

    def clean(self):
        data = super().clean()
        registered, exit_year, status = (
            data.get("registered_year"),
            data.get("exit_year"),
            data.get("status"),
        )
        if registered and status:
            try:
                validation.check_years(registered, exit_year, status)
            except RegistryError as exc:
                self.add_registry_error(exc)
        main = data.get("main_cause")
        others = data.get("other_causes")
        if main and others and main in others.split(";"):
            data["other_causes"] = ";".join(c for c in others.split(";") if c != main)
        if self.instance.pk and status and status != self.instance_status_before:
            if not (data.get("status_reason") or "").strip():
                self.add_error("status_reason", _("户类型改变时请填写原因"))
        if self.instance.pk and data.get("version") is None:
            self.add_error(None, _("表单缺少版本号，请刷新后重试。"))
        return data

    @property
    def instance_status_before(self):
        return self.initial.get("status", self.instance.status)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MemberForm(RegistryFormMixin, forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "id_number", "relation", "ethnicity"]
        help_texts = {"id_number": gettext_lazy("18 位，性别和出生日期由证件号码得出")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["id_number"].max_length = 30  # full-width digits are accepted and normalised
        self.fields["id_number"].validators = []

    def clean_id_number(self):
        raw = self.cleaned_data.get("id_number") or ""
        try:
            return validation.check_id_number(raw, exclude_member_pk=self.instance.pk)
        except RegistryError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_relation(self):
        relation = self.cleaned_data.get("relation")
        household = self.instance.household
        others = list(
            household.members.exclude(pk=self.instance.pk).values_list("relation", flat=True)
        )
        heads = sum(1 for r in others if r == Relation.HEAD) + (relation == Relation.HEAD)
        if heads > 1:
            raise forms.ValidationError(
                _("每户必须有且只有一名户主，该户已有户主；请先修改原户主的关系")
            )
        if heads == 0 and self.instance.pk and self.instance.relation == Relation.HEAD and others:
            raise forms.ValidationError(_("每户必须有且只有一名户主；请先指定新户主"))
        return relation


MONEY_FIELDS = (
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "business_expense",
)
SURVEY_YES_NO = (
    "relocated",
    "safe_water",
    "electricity",
    "tv_access",
    "road_hardened",
    "food_clothing_secure",
)


class SurveyForm(RegistryFormMixin, forms.ModelForm):
    net_income_given = forms.DecimalField(
        label=gettext_lazy("人均纯收入（核对用）"),
        required=False,
        decimal_places=2,
        max_digits=14,
        help_text=gettext_lazy("可不填；填写时须与按收入、支出和人口计算的结果相差不超过 1 元"),
    )

    class Meta:
        model = Survey
        fields = [
            "year",
            "household_size",
            "farmland_mu",
            "housing_safety",
            *SURVEY_YES_NO,
            *MONEY_FIELDS,
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in SURVEY_YES_NO:
            label = Survey._meta.get_field(name).verbose_name
            self.fields[name] = yes_no_field(label)
            if self.instance.pk:
                self.initial[name] = bool_initial(getattr(self.instance, name))
        this_year = timezone.localdate().year
        self.fields["year"].validators += [
            MinValueValidator(validation.MIN_REGISTERED_YEAR),
            MaxValueValidator(this_year + 1),
        ]
        for name in (*MONEY_FIELDS, "farmland_mu"):
            self.fields[name].validators.append(MinValueValidator(0))
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "min": "0"})
        self.fields["household_size"].validators.append(MinValueValidator(1))
        if not self.instance.pk:
            self.initial.setdefault("year", this_year - 1)
            self.initial.setdefault("household_size", self.instance.household.members.count())

    def clean_year(self):
        year = self.cleaned_data.get("year")
        clash = Survey.objects.filter(household=self.instance.household, year=year).exclude(
            pk=self.instance.pk
        )
        if year and clash.exists():
            raise forms.ValidationError(_("该户已有 %(year)s 年度的调查") % {"year": year})
        return year

    def clean(self):
        data = super().clean()
        size = data.get("household_size")
        members = self.instance.household.members.count()
        if size and members and size != members:
            self.add_error(
                "household_size",
                _("家庭人口数 %(size)s 与登记的家庭成员数 %(n)s 不一致")
                % {"size": size, "n": members},
            )
        if size and all(data.get(n) is not None for n in MONEY_FIELDS):
            try:
                validation.check_net_income(
                    data.get("net_income_given"), *(data[n] for n in MONEY_FIELDS), size
                )
            except RegistryError as exc:
                self.add_error("net_income_given", str(exc))
        return data


class MemberSurveyForm(forms.ModelForm):
    """One member's facts in a survey year (one of these per member on the survey page)."""

    class Meta:
        model = MemberSurvey
        fields = list(MEMBER_FACT_FIELDS)

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        for name, required in (
            ("medical_insurance", True),
            ("critical_illness_insurance", False),
            ("pension_insurance", False),
        ):
            label = MemberSurvey._meta.get_field(name).verbose_name
            self.fields[name] = yes_no_field(label, required=required)
            if self.instance.pk:
                self.initial[name] = bool_initial(getattr(self.instance, name))
        self.fields["work_months"].validators += [MinValueValidator(0), MaxValueValidator(12)]
        self.fields["work_months"].widget.attrs.update({"min": "0", "max": "12"})


class StatusChangeForm(RegistryFormMixin, forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("新的户类型"), choices=Status.choices)
    date = forms.DateField(
        label=gettext_lazy("日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=gettext_lazy("原因"),
        max_length=200,
        help_text=gettext_lazy("如：自然减少（户主死亡，无其他成员）、稳定脱贫、因病返贫"),
    )
    exit_year = forms.IntegerField(
        label=gettext_lazy("脱贫年度"),
        required=False,
        help_text=gettext_lazy("改为已脱贫时必填"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, household: Household, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        self.user = user
        self.fields["status"].choices = [
            (c, label) for c, label in Status.choices if c != household.status
        ]
        self.initial.setdefault("date", timezone.localdate())
        self.initial.setdefault("version", household.version)
        self.initial.setdefault("exit_year", household.exit_year)

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("日期不能晚于今天"))
        return value

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status:
            try:
                validation.check_years(
                    self.household.registered_year, data.get("exit_year"), status
                )
            except RegistryError as exc:
                self.add_registry_error(exc)
        return data

    def changes(self) -> dict:
        changes = {"status": self.cleaned_data["status"]}
        if self.cleaned_data.get("exit_year") != self.household.exit_year and (
            self.cleaned_data.get("exit_year") is not None
        ):
            changes["exit_year"] = self.cleaned_data["exit_year"]
        return changes
