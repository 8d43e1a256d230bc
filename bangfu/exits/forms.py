"""Forms of the exit pages. They only collect input; `services.procedure` validates and writes,
and its errors are shown next to the fields they name."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.forms import DATE, ServiceFormMixin
from bangfu.plans.forms import HouseholdNoField
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from .choices import NOTICE_STEP, STEPS_BY_KIND, CaseKind, Outcome, Step
from .models import default_notice_days
from .services import verdicts


class _Form(ServiceFormMixin, forms.Form):
    def __init__(self, *args, instance=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.user = user


class CaseForm(_Form):
    kind = forms.ChoiceField(label=_("退出类型"), choices=CaseKind.choices)
    household = HouseholdNoField(label=_("贫困户（户编号）"), required=False, max_length=40)
    region = forms.CharField(
        label=_("村或县（区划代码）"),
        required=False,
        max_length=15,
        help_text=_("贫困村退出填村代码，贫困县退出填县代码；贫困户退出不填"),
    )
    year = forms.IntegerField(label=_("退出年度"), min_value=2013, max_value=2100)
    standard_code = forms.ChoiceField(label=_("退出标准"), required=False)
    notice_days = forms.IntegerField(label=_("公示天数"), required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.for_user(self.user)
        self.fields["standard_code"].choices = [("", gettext("按退出类型的默认标准"))] + [
            (code, f"{name}（{code}）") for code, name in verdicts.standard_codes()
        ]
        self.fields["year"].initial = timezone.localdate().year
        self.fields["notice_days"].initial = default_notice_days()
        if not (self.user and self.user.has_perm("exits.change_notice_days")):
            del self.fields["notice_days"]

    def clean_region(self):
        code = (self.cleaned_data.get("region") or "").strip()
        if not code:
            return None
        region = Region.objects.for_user(self.user).filter(pk=code).first()
        if region is None:
            raise ValidationError(
                gettext("区划代码%(code)s不存在或不在您的管辖范围内") % {"code": code}
            )
        return region


class StepForm(_Form):
    """The next step of a case: the step is posted (not implied) so a stale form cannot record
    a step out of order — the service refuses it."""

    step = forms.ChoiceField(label=_("步骤"), choices=Step.choices)
    date = forms.DateField(label=_("日期"), widget=DATE)
    note = forms.CharField(
        label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact = forms.CharField(label=_("异议受理联系方式"), required=False, max_length=200)
    wrong_exit_rate = forms.DecimalField(label=_("错退率（%）"), required=False, decimal_places=2)
    missed_rate = forms.DecimalField(label=_("漏评率（%）"), required=False, decimal_places=2)
    satisfaction = forms.DecimalField(label=_("群众认可度（%）"), required=False, decimal_places=2)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if case is not None:
            steps = STEPS_BY_KIND[case.kind]
            self.fields["step"].choices = [(s, Step(s).label) for s in steps]
            nxt = case.next_step
            if nxt:
                self.fields["step"].initial = nxt
            if nxt != NOTICE_STEP[case.kind] and not self.is_bound:
                del self.fields["contact"]
            if nxt != Step.NATIONAL_ASSESSMENT and not self.is_bound:
                for name in ("wrong_exit_rate", "missed_rate", "satisfaction"):
                    del self.fields[name]


class NoticeDaysForm(_Form):
    notice_days = forms.IntegerField(label=_("公示天数"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["notice_days"].initial = self.instance.notice_days


class ObjectionForm(_Form):
    raised_by = forms.CharField(label=_("异议人"), max_length=100)
    raised_on = forms.DateField(label=_("提出日期"), widget=DATE)
    content = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(_Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=Outcome.choices)
    resolved_on = forms.DateField(label=_("处理日期"), widget=DATE)
    resolution = forms.CharField(
        label=_("处理情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
