"""The activity serializer: references resolved inside the user's scope; the model's rules
(through the service) give the Chinese messages, each naming its field."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from bangfu.assistance.api.serializers import (
    ScopedRelatedMixin,
    _as_drf,
    scoped_cadres,
    scoped_units,
)
from bangfu.assistance.models import Cadre, Unit
from bangfu.core.api.serializers import ChoiceLabelField
from bangfu.regions.choices import Level
from bangfu.regions.models import Region

from ..models import Activity
from ..services import activities


def scoped_villages(user):
    return Region.objects.for_user(user).filter(level=Level.VILLAGE)


def scoped_places(user):
    return Region.objects.for_user(user).filter(
        level__in=[Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]
    )


class ActivitySerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {
        "unit": scoped_units,
        "village": scoped_villages,
        "region": scoped_places,
        "cadre": scoped_cadres,
    }
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    village = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, allow_null=True
    )
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, allow_null=True
    )
    cadre = serializers.PrimaryKeyRelatedField(
        queryset=Cadre.objects.all(), required=False, allow_null=True
    )
    kind_label = ChoiceLabelField("kind")

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "kind_label",
            "date",
            "title",
            "unit",
            "village",
            "region",
            "participants",
            "count",
            "cadre",
            "note",
        ]

    def validate(self, attrs):
        # Model rules run in the service (full_clean); the model validators are skipped here.
        return attrs

    def create(self, validated_data):
        try:
            return activities.record_activity(**validated_data)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None

    def update(self, instance, validated_data):
        if "village" in validated_data and "region" not in validated_data:
            validated_data["region"] = None  # re-derived from the new village
        try:
            return activities.update_activity(instance, **validated_data)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None
