"""Exits API: `/api/exits/cases/`, `/api/exits/steps/`, `/api/exits/objections/`, each scoped
to the user and filtered with the FilterSets of the pages; writes through
`services.procedure`. Nothing is deleted; steps are never changed once recorded."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema

from bangfu.core.api.schema import NO_DELETE, object_schema
from bangfu.core.api.viewsets import ScopedModelViewSet

from .. import filters
from ..models import ExitCase, ExitStep, Objection
from . import serializers


@object_schema("退出案件", "退出案件列表")
@extend_schema(tags=["exits"])
class ExitCaseViewSet(ScopedModelViewSet):
    queryset = ExitCase.objects.all()
    serializer_class = serializers.ExitCaseSerializer
    filterset_class = filters.ExitCaseFilterSet
    http_method_names = NO_DELETE
    select_related = ("household", "region")


@object_schema("退出步骤", "退出步骤列表")
@extend_schema(tags=["exits"])
class ExitStepViewSet(ScopedModelViewSet):
    queryset = ExitStep.objects.all()
    serializer_class = serializers.ExitStepSerializer
    filterset_class = filters.ExitStepFilterSet
    http_method_names = ["get", "post", "head", "options"]
    select_related = ("recorded_by",)


@object_schema("异议", "异议列表")
@extend_schema(tags=["exits"])
class ObjectionViewSet(ScopedModelViewSet):
    queryset = Objection.objects.all()
    serializer_class = serializers.ObjectionSerializer
    filterset_class = filters.ObjectionFilterSet
    http_method_names = NO_DELETE
