"""Forms of the standards pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bangfu.registry import choices as rc

from . import expressions
from .models import Standard, StandardItem, Threshold


class RunForm(forms.Form):
    standard = forms.ModelChoiceField(
        label=_("退出标准"),
        queryset=Standard.objects.order_by("subject", "code"),
        to_field_name="code",
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    region = forms.CharField(
        label=_("区划代码"),
        required=False,
        help_text=_("留空为您的全部管辖范围"),
    )


class WhatIfForm(forms.Form):
    """A household's survey figures for the what-if (nothing is saved): incomes, size, housing,
    the yes/no facts, and per member insurance, schooling and work months."""

    wage_income = forms.DecimalField(label=_("工资性收入"), max_digits=14, decimal_places=2)
    business_income = forms.DecimalField(label=_("生产经营性收入"), max_digits=14, decimal_places=2)
    property_income = forms.DecimalField(label=_("财产性收入"), max_digits=14, decimal_places=2)
    transfer_income = forms.DecimalField(label=_("转移性收入"), max_digits=14, decimal_places=2)
    business_expense = forms.DecimalField(
        label=_("生产经营性支出"), max_digits=14, decimal_places=2
    )
    household_size = forms.IntegerField(label=_("家庭人口数"), min_value=1, max_value=50)
    farmland_mu = forms.DecimalField(label=_("耕地面积(亩)"), max_digits=10, decimal_places=2)
    housing_safety = forms.ChoiceField(label=_("住房安全等级"), choices=rc.HousingSafety.choices)
    relocated = forms.BooleanField(label=_("是否易地扶贫搬迁"), required=False)
    food_clothing_secure = forms.BooleanField(label=_("吃穿不愁"), required=False)
    safe_water = forms.BooleanField(label=_("饮水安全"), required=False)
    road_hardened = forms.BooleanField(label=_("自然村通硬化路"), required=False)
    electricity = forms.BooleanField(label=_("通生活用电"), required=False)
    tv_access = forms.BooleanField(label=_("通广播电视"), required=False)

    SURVEY_FIELDS = (
        "wage_income",
        "business_income",
        "property_income",
        "transfer_income",
        "business_expense",
        "household_size",
        "farmland_mu",
        "housing_safety",
        "relocated",
        "food_clothing_secure",
        "safe_water",
        "road_hardened",
        "electricity",
        "tv_access",
    )

    def __init__(self, *args, survey=None, members=(), **kwargs):
        initial = kwargs.pop("initial", None) or {}
        if survey is not None:
            for name in self.SURVEY_FIELDS:
                initial.setdefault(name, getattr(survey, name))
        self.members = list(members)
        for m in self.members:
            initial.setdefault(f"m{m['member_id']}_medical_insurance", m["medical_insurance"])
            initial.setdefault(f"m{m['member_id']}_schooling", m["schooling"])
            initial.setdefault(f"m{m['member_id']}_work_months", m["work_months"])
        super().__init__(*args, initial=initial, **kwargs)
        for m in self.members:
            p = f"m{m['member_id']}_"
            self.fields[p + "medical_insurance"] = forms.BooleanField(
                label=_("参加基本医疗保险"), required=False
            )
            self.fields[p + "schooling"] = forms.ChoiceField(
                label=_("在校生状况"), choices=rc.Schooling.choices
            )
            self.fields[p + "work_months"] = forms.IntegerField(
                label=_("务工时间(月)"), required=False, min_value=0, max_value=12
            )

    def member_rows(self):
        """(member facts, its three bound fields) for the template."""
        for m in self.members:
            p = f"m{m['member_id']}_"
            yield m, self[p + "medical_insurance"], self[p + "schooling"], self[p + "work_months"]

    def facts(self, category: str) -> tuple[dict, list[dict]]:
        d = self.cleaned_data
        facts = {name: d[name] for name in self.SURVEY_FIELDS}
        facts["net_income"] = (
            d["wage_income"]
            + d["business_income"]
            + d["property_income"]
            + d["transfer_income"]
            - d["business_expense"]
        )
        facts["earned_income"] = d["wage_income"] + d["business_income"] + d["property_income"]
        facts["household__category"] = category
        members = []
        for m in self.members:
            p = f"m{m['member_id']}_"
            members.append(
                {
                    **m,
                    "medical_insurance": d[p + "medical_insurance"],
                    "schooling": d[p + "schooling"],
                    "work_months": d[p + "work_months"],
                }
            )
        return facts, members


class StandardForm(forms.ModelForm):
    """A local household standard (e.g. a province's own line); version 1 is made with it."""

    class Meta:
        model = Standard
        fields = ["code", "name", "province"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class ItemForm(forms.ModelForm):
    """An item of an unused version. The rule is JSON (expressions.py), validated when SAVED:
    an unknown field, operator, choice or threshold name is rejected with a message naming it."""

    expression = forms.JSONField(
        label=_("规则（JSON）"),
        widget=forms.Textarea(attrs={"rows": 8, "class": "code"}),
        help_text=_(
            '例如 {"field": "survey.net_income_per_person", "op": "gt", "threshold": "poverty_line"}'
        ),
    )

    class Meta:
        model = StandardItem
        fields = ["code", "order", "name", "active_from", "active_to", "expression"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_expression(self):
        value = self.cleaned_data["expression"]
        names = set(Threshold.objects.values_list("name", flat=True).distinct())
        try:
            expressions.validate(value, thresholds=names)
        except ValidationError as e:
            raise forms.ValidationError(e.messages) from None
        return value


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = Threshold
        fields = ["name", "year", "province", "value"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
