"""Serializers: references limited to the user's scope; writes through the service (rules)."""

from __future__ import annotations

from rest_framework import serializers

from bangfu.assistance.api.serializers import (
    ScopedRelatedMixin,
    scoped_households,
    scoped_units,
)
from bangfu.cooperatives.api.serializers import ServiceSaveMixin
from bangfu.core.api.serializers import ChoiceLabelField
from bangfu.registry.models import Member

from ..models import Commitment, CommitmentPayment


def scoped_members(user):
    return Member.objects.for_user(user)


def scoped_commitments(user):
    return Commitment.objects.for_user(user)


class CommitmentSerializer(ServiceSaveMixin, ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"household": scoped_households, "member": scoped_members, "unit": scoped_units}
    period_label = ChoiceLabelField("period")

    class Meta:
        model = Commitment
        fields = [
            "id",
            "household",
            "member",
            "unit",
            "donor",
            "purpose",
            "amount",
            "period",
            "period_label",
            "start_date",
            "end_date",
            "end_event",
            "event_date",
        ]


class PaymentSerializer(ServiceSaveMixin, ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"commitment": scoped_commitments}

    class Meta:
        model = CommitmentPayment
        fields = ["id", "commitment", "period_start", "date", "amount", "note"]
        validators = []  # one payment per period: full_clean() says so in Chinese
