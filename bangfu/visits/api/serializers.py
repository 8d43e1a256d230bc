"""Serializers of the visits API. Related records are chosen within the user's scope and every
write goes through `services.visits`, the same rules and messages as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from bangfu.assistance.api.serializers import ScopedRelatedMixin, _as_drf, _user
from bangfu.assistance.models import Cadre
from bangfu.core.api.serializers import ChoiceLabelField
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from ..models import FollowUp, Visit
from ..services import visits as service


def _cadres(user):
    return Cadre.objects.for_user(user)


def _households(user):
    return service.reachable_households(user)


def _villages(user):
    return service.reachable_villages(user)


class VisitSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"cadre": _cadres, "household": _households, "village": _villages}
    cadre = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all())
    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.all(), required=False, allow_null=True
    )
    village = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, allow_null=True, write_only=True
    )
    purpose_label = ChoiceLabelField("purpose")

    class Meta:
        model = Visit
        fields = [
            "id",
            "cadre",
            "household",
            "village",
            "region",
            "date",
            "purpose",
            "purpose_label",
            "findings",
            "people_met",
            "note",
        ]
        read_only_fields = ["region"]

    def _save(self, instance, data):
        village = data.pop("village", None)
        for key, value in data.items():
            setattr(instance, key, value)
        if village is not None:
            instance.region = village
        elif "household" in data:
            instance.region = None  # set again from the household by the service
        try:
            return service.save_visit(instance, _user(self))
        except DjangoValidationError as exc:
            errors = exc.message_dict
            if "region" in errors:
                errors["village"] = errors.pop("region")
            raise serializers.ValidationError(errors) from None

    def create(self, validated_data):
        return self._save(Visit(), dict(validated_data))

    def update(self, instance, validated_data):
        return self._save(instance, dict(validated_data))


class FollowUpSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"visit": lambda user: Visit.objects.for_user(user), "owner": _cadres}
    visit = serializers.PrimaryKeyRelatedField(queryset=Visit.objects.all())
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Cadre.objects.all(), required=False, allow_null=True
    )
    # A plain string ("open"/"done", set from done_date): a choice field would add a third
    # `status` enum to the schema and collide with the registry's names.
    status = serializers.CharField(read_only=True)
    status_label = ChoiceLabelField("status")
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "visit",
            "action",
            "due_date",
            "done_date",
            "status",
            "status_label",
            "overdue",
            "owner",
            "result",
        ]
        read_only_fields = ["status"]

    def _save(self, instance, data):
        for key, value in data.items():
            setattr(instance, key, value)
        try:
            return service.save_follow_up(instance)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None

    def create(self, validated_data):
        return self._save(FollowUp(), dict(validated_data))

    def update(self, instance, validated_data):
        validated_data.pop("visit", None)  # a follow-up stays with its visit
        return self._save(instance, dict(validated_data))
