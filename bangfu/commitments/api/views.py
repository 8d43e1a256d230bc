from __future__ import annotations

from drf_spectacular.utils import extend_schema

from bangfu.core.api.viewsets import ScopedModelViewSet

from .. import filters
from ..models import Commitment, CommitmentPayment
from . import serializers


@extend_schema(tags=["commitments"])
class CommitmentViewSet(ScopedModelViewSet):
    queryset = Commitment.objects.all()
    serializer_class = serializers.CommitmentSerializer
    filterset_class = filters.CommitmentFilterSet
    select_related = ("household", "member", "unit")


@extend_schema(tags=["commitments"])
class PaymentViewSet(ScopedModelViewSet):
    queryset = CommitmentPayment.objects.all()
    serializer_class = serializers.PaymentSerializer
    filterset_class = filters.PaymentFilterSet
