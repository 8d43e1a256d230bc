from __future__ import annotations

from drf_spectacular.utils import extend_schema

from bangfu.core.api.viewsets import ScopedModelViewSet

from .. import filters
from ..models import Loan, LoanProduct
from . import serializers


@extend_schema(tags=["credit"])
class ProductViewSet(ScopedModelViewSet):
    queryset = LoanProduct.objects.all()
    serializer_class = serializers.ProductSerializer
    filterset_class = filters.ProductFilterSet


@extend_schema(tags=["credit"])
class LoanViewSet(ScopedModelViewSet):
    queryset = Loan.objects.all()
    serializer_class = serializers.LoanSerializer
    filterset_class = filters.LoanFilterSet
    select_related = ("household", "product")
