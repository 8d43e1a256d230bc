"""Assistance API: units, assignments, cadres, postings and pairings, each scoped to the user.

Filters are the FilterSets of `assistance.filters`, the same ones the list pages use. Creating
goes through the services (validation, audit); a dated record is ended by a PATCH of `end_date`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers

from bangfu.core.api.schema import NO_DELETE, object_schema
from bangfu.core.api.viewsets import ScopedModelViewSet

from .. import filters
from ..models import Assignment, Cadre, Pairing, Posting, Responsibility, Unit, Zone
from ..services import units
from . import serializers


@object_schema("帮扶单位", "帮扶单位列表")
@extend_schema(tags=["assistance"])
class UnitViewSet(ScopedModelViewSet):
    queryset = Unit.objects.all()
    serializer_class = serializers.UnitSerializer
    filterset_class = filters.UnitFilterSet


@object_schema("定点帮扶", "定点帮扶列表")
@extend_schema(tags=["assistance"])
class AssignmentViewSet(ScopedModelViewSet):
    queryset = Assignment.objects.all()
    serializer_class = serializers.AssignmentSerializer
    http_method_names = NO_DELETE
    filterset_class = filters.AssignmentFilterSet


@object_schema("帮扶干部", "帮扶干部列表")
@extend_schema(tags=["assistance"])
class CadreViewSet(ScopedModelViewSet):
    queryset = Cadre.objects.all()
    serializer_class = serializers.CadreSerializer
    filterset_class = filters.CadreFilterSet

    def perform_destroy(self, instance):
        try:
            units.delete_cadre(instance)
        except DjangoValidationError as exc:
            raise drf_serializers.ValidationError({"non_field_errors": exc.messages}) from None


@object_schema("驻村任职", "驻村任职列表")
@extend_schema(tags=["assistance"])
class PostingViewSet(ScopedModelViewSet):
    queryset = Posting.objects.all()
    serializer_class = serializers.PostingSerializer
    http_method_names = NO_DELETE
    filterset_class = filters.PostingFilterSet
    select_related = ("cadre", "village")


@object_schema("结对帮扶", "结对帮扶列表")
@extend_schema(tags=["assistance"])
class PairingViewSet(ScopedModelViewSet):
    queryset = Pairing.objects.all()
    serializer_class = serializers.PairingSerializer
    http_method_names = NO_DELETE
    filterset_class = filters.PairingFilterSet
    select_related = ("cadre", "household")


@object_schema("包联责任", "包联责任列表")
@extend_schema(tags=["assistance"])
class ResponsibilityViewSet(ScopedModelViewSet):
    queryset = Responsibility.objects.all()
    serializer_class = serializers.ResponsibilitySerializer
    http_method_names = NO_DELETE
    filterset_class = filters.ResponsibilityFilterSet
    select_related = ("zone", "cadre", "region", "household")


@object_schema("战区", "战区列表")
@extend_schema(tags=["assistance"])
class ZoneViewSet(ScopedModelViewSet):
    """Zones are county-level records: county (and wider) users see those of their area."""

    queryset = Zone.objects.all()
    serializer_class = serializers.ZoneSerializer
    http_method_names = NO_DELETE
    filterset_class = filters.ZoneFilterSet
    prefetch_related = ("villages",)
