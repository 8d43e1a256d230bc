"""Serializers of the funds API. Related records are chosen within the user's scope and every
write goes through the services: the same rules and messages as the pages."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Sum
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bangfu.assistance.api.serializers import ScopedRelatedMixin, _as_drf, scoped_units
from bangfu.core.api.serializers import ChoiceLabelField
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from ..choices import ProjectStatus
from ..models import Allocation, Donation, FundPool, FundSource, PoolEntry, Project, ProjectOutput
from ..services import allocations, funds, projects


def _regions(user):
    return Region.objects.for_user(user)


class _ServiceSerializer(ScopedRelatedMixin, serializers.ModelSerializer):
    def save_instance(self, instance):
        raise NotImplementedError

    def _save(self, instance, data):
        for key, value in data.items():
            setattr(instance, key, value)
        try:
            with transaction.atomic():
                return self.save_instance(instance)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None

    def create(self, validated_data):
        return self._save(self.Meta.model(), dict(validated_data))

    def update(self, instance, validated_data):
        return self._save(instance, dict(validated_data))


class FundSourceSerializer(_ServiceSerializer):
    scoped_fields = {"region": _regions, "unit": scoped_units}
    kind_label = ChoiceLabelField("kind")

    class Meta:
        model = FundSource
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "year",
            "amount",
            "unit",
            "region",
            "date",
            "document_no",
            "note",
        ]

    def save_instance(self, instance):
        return funds.save_source(instance)


class DonationSerializer(_ServiceSerializer):
    scoped_fields = {"region": _regions, "unit": scoped_units}
    donor_kind_label = ChoiceLabelField("donor_kind")

    class Meta:
        model = Donation
        fields = [
            "id",
            "source",
            "donor_name",
            "donor_kind",
            "donor_kind_label",
            "amount",
            "date",
            "purpose",
            "unit",
            "region",
            "note",
        ]
        read_only_fields = ["source"]

    def save_instance(self, instance):
        return funds.save_donation(instance)


class FundPoolSerializer(_ServiceSerializer):
    scoped_fields = {"region": _regions, "unit": scoped_units}

    class Meta:
        model = FundPool
        fields = ["id", "name", "purpose", "region", "unit", "balance"]
        read_only_fields = ["balance"]

    def save_instance(self, instance):
        return funds.save_pool(instance)


class PoolEntrySerializer(_ServiceSerializer):
    """Inflows are created here (from a source); outflows only by allocations."""

    scoped_fields = {
        "pool": lambda user: FundPool.objects.for_user(user),
        "source": lambda user: FundSource.objects.for_user(user),
    }
    source = serializers.PrimaryKeyRelatedField(queryset=FundSource.objects.all())

    class Meta:
        model = PoolEntry
        fields = ["id", "pool", "direction", "source", "allocation", "amount", "date", "note"]
        read_only_fields = ["direction", "allocation"]

    def create(self, validated_data):
        d = validated_data
        try:
            return allocations.put_into_pool(
                d["pool"], d["source"], d["amount"], d["date"], d.get("note", "")
            )
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None


class AllocationSerializer(_ServiceSerializer):
    scoped_fields = {
        "source": lambda user: FundSource.objects.for_user(user),
        "pool": lambda user: FundPool.objects.for_user(user),
        "project": lambda user: Project.objects.for_user(user),
        "household": lambda user: Household.objects.for_user(user),
        "unit": scoped_units,
    }
    kind_label = ChoiceLabelField("kind")

    class Meta:
        model = Allocation
        fields = [
            "id",
            "source",
            "pool",
            "kind",
            "kind_label",
            "project",
            "household",
            "region",
            "unit",
            "date",
            "amount",
            "purpose",
            "note",
        ]
        read_only_fields = ["region"]
        validators = []  # the service checks origin and target, with Chinese messages

    def save_instance(self, instance):
        return allocations.save_new_allocation(instance)


@extend_schema_field(
    {"type": "string", "description": " | ".join(ProjectStatus.values), "example": "planned"}
)
class ProjectStatusField(serializers.ChoiceField):
    """Project status, described without an enum in the schema: drf-spectacular names enums by
    field name, and a second `status` enum would collide with the registry's."""


class ProjectSerializer(_ServiceSerializer):
    scoped_fields = {"village": _regions, "unit": scoped_units}
    status = ProjectStatusField(choices=ProjectStatus.choices, required=False)
    kind_label = ChoiceLabelField("kind")
    status_label = ChoiceLabelField("status")
    received = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "village",
            "unit",
            "budget",
            "received",
            "status",
            "status_label",
            "start_date",
            "completion_date",
            "note",
        ]

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_received(self, obj) -> str:
        """The sum of the allocations the project received (annotated by the view)."""
        received = getattr(obj, "received", None)
        if received is None:
            received = obj.allocations.aggregate(s=Sum("amount"))["s"] or Decimal("0")
        return f"{received:.2f}"

    def save_instance(self, instance):
        return projects.save_project(instance)


class ProjectOutputSerializer(_ServiceSerializer):
    scoped_fields = {"project": lambda user: Project.objects.for_user(user)}

    class Meta:
        model = ProjectOutput
        fields = ["id", "project", "name", "quantity", "measure"]

    def create(self, validated_data):
        d = validated_data
        try:
            return projects.add_output(d["project"], d["name"], d["quantity"], d["measure"])
        except DjangoValidationError as exc:
            raise _as_drf(exc) from None
