"""Serializers: related choices limited to the user's scope; writes go through
`services.cooperatives.save` (the models' rules, Chinese messages naming the field)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from bangfu.assistance.api.serializers import (
    ScopedRelatedMixin,
    _as_drf,
    scoped_households,
    scoped_units,
    scoped_villages,
)
from bangfu.core.api.serializers import ChoiceLabelField

from ..models import Cooperative, CooperativeYear, Dividend, Membership, PurchaseContract
from ..services.cooperatives import save


def scoped_cooperatives(user):
    return Cooperative.objects.for_user(user)


def scoped_memberships(user):
    return Membership.objects.for_user(user)


class ServiceSaveMixin:
    """create/update through the service: `full_clean()` then the audited save."""

    def validate(self, attrs):
        return attrs

    def create(self, validated_data):
        try:
            return save(self.Meta.model(**validated_data))
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            return save(instance)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None


class CooperativeSerializer(ServiceSaveMixin, ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"village": scoped_villages, "unit": scoped_units}
    industry_label = ChoiceLabelField("industry")

    class Meta:
        model = Cooperative
        fields = [
            "id",
            "name",
            "village",
            "industry",
            "industry_label",
            "founded",
            "registered_no",
            "unit",
            "note",
        ]


class MembershipSerializer(ServiceSaveMixin, ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"cooperative": scoped_cooperatives, "household": scoped_households}
    is_poor = serializers.BooleanField(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "cooperative", "household", "name", "shares", "joined", "left", "is_poor"]


class ContractSerializer(ServiceSaveMixin, ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"cooperative": scoped_cooperatives}

    class Meta:
        model = PurchaseContract
        fields = [
            "id",
            "cooperative",
            "buyer",
            "product",
            "start_date",
            "end_date",
            "quantity",
            "price",
        ]


class YearSerializer(ServiceSaveMixin, ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"cooperative": scoped_cooperatives}

    class Meta:
        model = CooperativeYear
        fields = ["id", "cooperative", "year", "profit", "jobs", "poor_jobs"]
        validators = []  # the unique year is checked by full_clean(), in Chinese


class DividendSerializer(ServiceSaveMixin, ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"cooperative": scoped_cooperatives, "membership": scoped_memberships}

    class Meta:
        model = Dividend
        fields = ["id", "cooperative", "membership", "year", "amount", "paid_on"]


class CoverageRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    households = serializers.IntegerField()
    covered = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=1)


class CoverageTotalSerializer(serializers.Serializer):
    households = serializers.IntegerField()
    covered = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=1)


class CoverageSerializer(serializers.Serializer):
    region = serializers.CharField()
    level = serializers.CharField()
    rows = CoverageRowSerializer(many=True)
    total = CoverageTotalSerializer()
