"""Serializers of the assistance API. Every reference to another record (unit, cadre, village,
household) is resolved inside the requesting user's scope; records are created and ended by the
services, whose Chinese messages name the field (the exception handler turns them into 400s)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext
from rest_framework import serializers

from bangfu.core.api.serializers import ChoiceLabelField, MaskedIdNumberField, MaskedPhoneField
from bangfu.regions.choices import Level
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from ..models import Assignment, Cadre, Pairing, Posting, Responsibility, Unit, Zone
from ..services import pairings, units, zones


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def _as_drf(exc: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(exc.message_dict)
    return serializers.ValidationError({"non_field_errors": exc.messages})


class ScopedRelatedMixin:
    """Limit each related field's choices to the user's scope."""

    scoped_fields: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        for name, make in self.scoped_fields.items():
            field = self.fields.get(name)
            if field is not None and not field.read_only:
                field.queryset = make(user) if user is not None else field.queryset.none()


def scoped_units(user):
    return Unit.objects.for_user(user)


def scoped_cadres(user):
    return Cadre.objects.for_user(user)


def scoped_villages(user):
    return Region.objects.for_user(user).filter(level=Level.VILLAGE)


def scoped_households(user):
    return Household.objects.for_user(user)


class UnitSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"parent": scoped_units}
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    kind_label = ChoiceLabelField("kind")
    contact_phone = MaskedPhoneField(required=False, allow_blank=True, max_length=20)

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "parent",
            "path",
            "contact_person",
            "contact_phone",
            "address",
        ]
        read_only_fields = ["path"]

    def create(self, validated_data):
        data = dict(validated_data)
        try:
            return units.create_unit(data.pop("name"), data.pop("kind"), **data)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None

    @transaction.atomic
    def update(self, instance, validated_data):
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            instance.full_clean()
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None
        instance.save()
        return instance


class CadreSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"unit": scoped_units}
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    phone = MaskedPhoneField(required=False, allow_blank=True, max_length=20)
    id_number = MaskedIdNumberField(required=False, allow_blank=True, max_length=18)

    class Meta:
        model = Cadre
        fields = ["id", "unit", "name", "sex", "phone", "position", "id_number", "active"]

    def create(self, validated_data):
        data = dict(validated_data)
        try:
            return units.create_cadre(data.pop("unit"), data.pop("name"), **data)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None

    update = UnitSerializer.update


class DatedSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    """A dated record: created through its service; afterwards only `end_date` may change
    (ending it through the service), so history is never overwritten."""

    end_fields = ("end_date",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            if getattr(self.instance, "pk", None) is not None:
                for name, field in self.fields.items():
                    if name not in self.end_fields:
                        field.read_only = True

    def create_record(self, data):
        raise NotImplementedError

    def create(self, validated_data):
        try:
            return self.create_record(dict(validated_data))
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None

    def update(self, instance, validated_data):
        if "end_date" not in validated_data:
            return instance
        from ..services.records import end

        try:
            return end(instance, validated_data["end_date"])
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None


class AssignmentSerializer(DatedSerializer):
    scoped_fields = {"unit": scoped_units, "backing_unit": scoped_units, "village": scoped_villages}
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    backing_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    village = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())

    class Meta:
        model = Assignment
        fields = ["id", "unit", "village", "backing_unit", "start_date", "end_date", "note"]

    def create_record(self, d):
        return units.assign(
            d["unit"],
            d["village"],
            d["start_date"],
            backing_unit=d.get("backing_unit"),
            end_date=d.get("end_date"),
            note=d.get("note", ""),
        )


class PostingSerializer(DatedSerializer):
    scoped_fields = {"cadre": scoped_cadres, "village": scoped_villages}
    cadre = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all())
    village = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    role_label = ChoiceLabelField("role")

    class Meta:
        model = Posting
        fields = [
            "id",
            "cadre",
            "village",
            "role",
            "role_label",
            "full_time",
            "start_date",
            "end_date",
        ]

    def create_record(self, d):
        return units.post(
            d["cadre"],
            d["village"],
            d["role"],
            d["start_date"],
            full_time=d.get("full_time", True),
            end_date=d.get("end_date"),
        )


class PairingSerializer(DatedSerializer):
    scoped_fields = {"cadre": scoped_cadres, "household": scoped_households}
    cadre = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all())
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all())

    class Meta:
        model = Pairing
        fields = ["id", "cadre", "household", "start_date", "end_date"]

    def create_record(self, d):
        return pairings.pair(d["cadre"], d["household"], d["start_date"], d.get("end_date"))


def scoped_zones(user):
    return Zone.objects.for_user(user)


def scoped_regions(user):
    return Region.objects.for_user(user).filter(level__in=[Level.VILLAGE, Level.GROUP])


class ResponsibilitySerializer(DatedSerializer):
    """包村 / 包组 / 包户 (or a zone-level deputy) within a zone, created by
    `services.zones.assign_responsibility`; `region` is filled by the rules for zone and
    household levels."""

    scoped_fields = {
        "zone": scoped_zones,
        "cadre": scoped_cadres,
        "region": scoped_regions,
        "household": scoped_households,
    }
    zone = serializers.PrimaryKeyRelatedField(queryset=Zone.objects.all())
    cadre = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all())
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, allow_null=True
    )
    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.all(), required=False, allow_null=True
    )
    level_label = ChoiceLabelField("level")

    class Meta:
        model = Responsibility
        fields = [
            "id",
            "zone",
            "level",
            "level_label",
            "region",
            "household",
            "cadre",
            "start_date",
            "end_date",
        ]

    def create_record(self, d):
        return zones.assign_responsibility(
            d["zone"],
            d["level"],
            d["cadre"],
            d["start_date"],
            region=d.get("region"),
            household=d.get("household"),
            end_date=d.get("end_date"),
        )


def scoped_counties(user):
    return Region.objects.for_user(user).filter(level=Level.COUNTY)


class ZoneSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    """A battle zone or combat unit, created by `services.zones.create_zone`; `villages` (codes)
    are replaced as a whole by `services.zones.set_villages` (audited)."""

    scoped_fields = {"region": scoped_counties, "parent": scoped_zones, "commander": scoped_cadres}
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Zone.objects.all(), required=False, allow_null=True
    )
    commander = serializers.PrimaryKeyRelatedField(
        queryset=Cadre.objects.all(), required=False, allow_null=True
    )
    # Written as a list of village codes; read back the same way (to_representation).
    villages = serializers.ListField(
        child=serializers.CharField(max_length=15), required=False, write_only=True
    )

    class Meta:
        model = Zone
        fields = ["id", "name", "region", "parent", "commander", "villages"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["villages"] = sorted(v.pk for v in instance.villages.all())
        return data

    def _set_villages(self, zone, codes):
        if codes is None:
            return
        user = _user(self)
        visible = set(
            scoped_villages(user).filter(pk__in=codes).values_list("pk", flat=True)
            if user is not None
            else []
        )
        unknown = [c for c in codes if c not in visible]
        if unknown:
            raise DjangoValidationError(
                {
                    "villages": gettext("以下村不存在或不在您的管辖范围：%(codes)s")
                    % {"codes": "、".join(unknown)}
                }
            )
        zones.set_villages(zone, codes)

    @transaction.atomic
    def create(self, validated_data):
        codes = validated_data.pop("villages", None)
        try:
            zone = zones.create_zone(
                validated_data["name"],
                validated_data["region"],
                parent=validated_data.get("parent"),
                commander=validated_data.get("commander"),
            )
            self._set_villages(zone, codes)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None
        return zone

    @transaction.atomic
    def update(self, instance, validated_data):
        codes = validated_data.pop("villages", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            instance.full_clean()
            instance.save()
            self._set_villages(instance, codes)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None
        return instance
