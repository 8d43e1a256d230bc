"""The query forms of the indicator pages (GET; unbound values fall back to defaults)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class IncidenceForm(forms.Form):
    region = forms.CharField(label=_("区划代码"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False)
    denominator = forms.ChoiceField(label=_("分母"), required=False)

    def __init__(self, *args, denominators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["denominator"].choices = list(denominators)


class EvaluatorForm(forms.Form):
    region = forms.CharField(label=_("区划代码"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False)
    standard = forms.ChoiceField(label=_("户标准"), required=False)

    def __init__(self, *args, standards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [(c, c) for c in standards]
