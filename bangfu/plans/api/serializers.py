"""Serializers of the plans API. References (village, household, unit, cadre, plan) resolve
inside the requesting user's scope; writes go through `services.plans` — the same rules, the
same Chinese messages naming the field, the same scope check as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from bangfu.assistance.api.serializers import (
    ScopedRelatedMixin,
    scoped_cadres,
    scoped_households,
    scoped_units,
    scoped_villages,
)
from bangfu.assistance.models import Cadre, Unit
from bangfu.core.api.serializers import ChoiceLabelField
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from ..models import Measure, Plan
from ..services import plans


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def _as_drf(exc: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(exc.message_dict)
    return serializers.ValidationError({"non_field_errors": exc.messages})


def scoped_plans(user):
    return Plan.objects.for_user(user)


class ProgressMixin:
    """A progress figure annotated by `services.progress.with_progress` (null when the record was
    not read through it, e.g. in the answer to a write)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def get_attribute(self, instance):
        return getattr(instance, self.source, None)

    def to_representation(self, value):
        return None if value is None else super().to_representation(value)


class ProgressCount(ProgressMixin, serializers.IntegerField):
    pass


class ProgressMoney(ProgressMixin, serializers.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=16, decimal_places=2, **kwargs)


class PlanSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {
        "village": scoped_villages,
        "household": scoped_households,
        "unit": scoped_units,
        "author": scoped_cadres,
    }
    village = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, allow_null=True
    )
    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.all(), required=False, allow_null=True
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    author = serializers.PrimaryKeyRelatedField(
        queryset=Cadre.objects.all(), required=False, allow_null=True
    )
    kind = serializers.ReadOnlyField()
    status_label = ChoiceLabelField("status")
    measures_total = ProgressCount()
    measures_done = ProgressCount()
    cost_planned = ProgressMoney()
    cost_spent = ProgressMoney()
    latest_income = ProgressMoney()
    latest_year = ProgressCount()
    households_total = ProgressCount()
    households_reached = ProgressCount()

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "kind",
            "village",
            "household",
            "region",
            "unit",
            "author",
            "start_date",
            "end_date",
            "target_income_per_capita",
            "industries",
            "other_goals",
            "status",
            "status_label",
            "measures_total",
            "measures_done",
            "cost_planned",
            "cost_spent",
            "latest_income",
            "latest_year",
            "households_total",
            "households_reached",
        ]
        read_only_fields = ["region"]

    def create(self, validated_data):
        try:
            return plans.create_plan(user=_user(self), **validated_data)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None

    def update(self, instance, validated_data):
        try:
            return plans.update_plan(instance, user=_user(self), **validated_data)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None


class MeasureSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"plan": scoped_plans, "owner": scoped_cadres, "owner_unit": scoped_units}
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.all())
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Cadre.objects.all(), required=False, allow_null=True
    )
    owner_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    kind_label = ChoiceLabelField("kind")
    status_label = ChoiceLabelField("status")
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "plan",
            "kind",
            "kind_label",
            "description",
            "owner",
            "owner_unit",
            "cost",
            "due_date",
            "status",
            "status_label",
            "done_date",
            "evidence",
            "overdue",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A measure stays with its plan.
        if getattr(self.instance, "pk", None) is not None:
            self.fields["plan"].read_only = True

    def create(self, validated_data):
        data = dict(validated_data)
        plan = data.pop("plan")
        try:
            return plans.add_measure(plan, user=_user(self), **data)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None

    def update(self, instance, validated_data):
        data = dict(validated_data)
        data.pop("plan", None)
        try:
            return plans.update_measure(instance, user=_user(self), **data)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None
