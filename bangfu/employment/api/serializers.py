"""Serializers: references limited to the user's scope; writes through the service (rules)."""

from __future__ import annotations

from rest_framework import serializers

from bangfu.assistance.api.serializers import ScopedRelatedMixin, scoped_units
from bangfu.cooperatives.api.serializers import ServiceSaveMixin
from bangfu.core.api.serializers import ChoiceLabelField
from bangfu.credit.api.serializers import scoped_regions
from bangfu.registry.models import Member

from ..models import Job, LabourAgreement


def scoped_members(user):
    return Member.objects.for_user(user)


def scoped_agreements(user):
    return LabourAgreement.objects.for_user(user)


class AgreementSerializer(ServiceSaveMixin, ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"region": scoped_regions, "unit": scoped_units}

    class Meta:
        model = LabourAgreement
        fields = ["id", "company", "region", "unit", "start_date", "end_date", "places", "note"]


class JobSerializer(ServiceSaveMixin, ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"member": scoped_members, "agreement": scoped_agreements}
    kind_label = ChoiceLabelField("kind")

    class Meta:
        model = Job
        fields = [
            "id",
            "member",
            "kind",
            "kind_label",
            "employer",
            "agreement",
            "year",
            "months",
            "income",
            "start_date",
            "end_date",
        ]
