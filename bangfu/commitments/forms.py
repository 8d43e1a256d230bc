from __future__ import annotations

from django import forms

from bangfu.assistance.forms import DATE
from bangfu.assistance.models import Unit
from bangfu.registry.models import Household, Member

from .models import Commitment, CommitmentPayment


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = [
            "household",
            "member",
            "unit",
            "donor",
            "purpose",
            "amount",
            "period",
            "start_date",
            "end_date",
            "end_event",
            "event_date",
        ]
        widgets = {"start_date": DATE, "end_date": DATE, "event_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.for_user(user)
        self.fields["member"].queryset = Member.objects.for_user(user)
        self.fields["unit"].queryset = Unit.objects.for_user(user).order_by("path")

    def clean(self):
        data = super().clean()
        # Recording the event closes the commitment on that day.
        if data.get("event_date") and not data.get("end_date"):
            data["end_date"] = data["event_date"]
            self.instance.end_date = data["event_date"]
        return data


class PaymentForm(forms.ModelForm):
    class Meta:
        model = CommitmentPayment
        fields = ["period_start", "date", "amount", "note"]
        widgets = {"period_start": DATE, "date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
