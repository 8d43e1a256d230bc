"""Serializers of the exits API. Writes go through `services.procedure`: opening a case,
recording a step (POST /api/exits/steps/), raising and resolving objections, changing the notice
days — the same rules and Chinese messages as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from rest_framework import exceptions, serializers

from bangfu.assistance.api.serializers import ScopedRelatedMixin, scoped_households
from bangfu.core.api.serializers import ChoiceLabelField
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from ..choices import Step
from ..models import ExitCase, ExitStep, Objection
from ..services import procedure


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise serializers.ValidationError(exc.message_dict) from None
        raise serializers.ValidationError({"non_field_errors": exc.messages}) from None
    except DjangoPermissionDenied:
        raise exceptions.PermissionDenied from None


def scoped_cases(user):
    return ExitCase.objects.for_user(user)


def scoped_regions(user):
    return Region.objects.for_user(user)


class ExitCaseSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"household": scoped_households, "region": scoped_regions}
    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.all(), required=False, allow_null=True
    )
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), required=False)
    kind_label = ChoiceLabelField("kind")
    status_label = ChoiceLabelField("status")
    current_step_label = ChoiceLabelField("current_step")
    next_step = serializers.CharField(read_only=True, allow_null=True)
    notice_days = serializers.IntegerField(required=False)
    standard_code = serializers.CharField(required=False)

    class Meta:
        model = ExitCase
        fields = [
            "id",
            "kind",
            "kind_label",
            "household",
            "region",
            "year",
            "standard_code",
            "notice_days",
            "status",
            "status_label",
            "current_step",
            "current_step_label",
            "current_step_date",
            "next_step",
            "wrong_exit_rate",
            "missed_rate",
            "satisfaction",
            "created",
        ]
        read_only_fields = [
            "status",
            "current_step",
            "current_step_date",
            "wrong_exit_rate",
            "missed_rate",
            "satisfaction",
            "created",
        ]

    def create(self, validated_data):
        d = validated_data
        return _call(
            procedure.open_case,
            _user(self),
            d.get("kind"),
            d.get("year"),
            household=d.get("household"),
            region=d.get("region"),
            standard_code=d.get("standard_code"),
            notice_days=d.get("notice_days"),
        )

    def update(self, instance, validated_data):
        """Only the notice days may change (county office)."""
        other = set(validated_data) - {"notice_days"}
        if other:
            raise serializers.ValidationError(
                {name: gettext("只能修改公示天数") for name in sorted(other)}
            )
        if "notice_days" in validated_data:
            instance = _call(
                procedure.set_notice_days, instance, validated_data["notice_days"], _user(self)
            )
        return instance


class ExitStepSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"case": scoped_cases}
    case = serializers.PrimaryKeyRelatedField(queryset=ExitCase.objects.all())
    step = serializers.ChoiceField(choices=Step.choices)
    step_label = ChoiceLabelField("step")
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    wrong_exit_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, write_only=True, allow_null=True
    )
    missed_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, write_only=True, allow_null=True
    )
    satisfaction = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, write_only=True, allow_null=True
    )

    class Meta:
        model = ExitStep
        fields = [
            "id",
            "case",
            "step",
            "step_label",
            "position",
            "date",
            "recorded_by",
            "note",
            "contact",
            "created",
            "wrong_exit_rate",
            "missed_rate",
            "satisfaction",
        ]
        read_only_fields = ["position", "created"]

    def create(self, validated_data):
        d = dict(validated_data)
        return _call(
            procedure.record_step,
            d.pop("case"),
            d.pop("step"),
            _user(self),
            d.pop("date"),
            **d,
        )


class ObjectionSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"case": scoped_cases}
    case = serializers.PrimaryKeyRelatedField(queryset=ExitCase.objects.all())
    outcome_label = ChoiceLabelField("outcome")

    class Meta:
        model = Objection
        fields = [
            "id",
            "case",
            "raised_by",
            "raised_on",
            "content",
            "outcome",
            "outcome_label",
            "resolved_on",
            "resolution",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self.instance, "pk", None) is not None:
            for name in ("case", "raised_by", "raised_on", "content"):
                self.fields[name].read_only = True

    def create(self, validated_data):
        d = validated_data
        return _call(
            procedure.raise_objection,
            d["case"],
            _user(self),
            d.get("raised_by", ""),
            d.get("raised_on"),
            d.get("content", ""),
        )

    def update(self, instance, validated_data):
        d = validated_data
        return _call(
            procedure.resolve_objection,
            instance,
            _user(self),
            d.get("outcome", ""),
            d.get("resolved_on"),
            d.get("resolution", ""),
        )
