from __future__ import annotations

from drf_spectacular.utils import extend_schema

from bangfu.core.api.viewsets import ScopedModelViewSet

from .. import filters
from ..models import Purchase
from . import serializers


@extend_schema(tags=["consumption"])
class PurchaseViewSet(ScopedModelViewSet):
    queryset = Purchase.objects.all()
    serializer_class = serializers.PurchaseSerializer
    filterset_class = filters.PurchaseFilterSet
    select_related = ("unit", "village", "cooperative")
