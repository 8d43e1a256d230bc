from __future__ import annotations

from drf_spectacular.utils import extend_schema

from bangfu.core.api.viewsets import ScopedModelViewSet

from .. import filters
from ..models import Job, LabourAgreement
from . import serializers


@extend_schema(tags=["employment"])
class AgreementViewSet(ScopedModelViewSet):
    queryset = LabourAgreement.objects.all()
    serializer_class = serializers.AgreementSerializer
    filterset_class = filters.AgreementFilterSet


@extend_schema(tags=["employment"])
class JobViewSet(ScopedModelViewSet):
    queryset = Job.objects.all()
    serializer_class = serializers.JobSerializer
    filterset_class = filters.JobFilterSet
    select_related = ("member",)
