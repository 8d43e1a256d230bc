"""The purchase serializer: references limited to the user's scope; writes through the service."""

from __future__ import annotations

from rest_framework import serializers

from bangfu.assistance.api.serializers import ScopedRelatedMixin, scoped_units, scoped_villages
from bangfu.cooperatives.api.serializers import ServiceSaveMixin, scoped_cooperatives
from bangfu.regions.models import Region

from ..models import Purchase


class PurchaseSerializer(ServiceSaveMixin, ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {
        "unit": scoped_units,
        "village": scoped_villages,
        "cooperative": scoped_cooperatives,
    }
    village = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Purchase
        fields = ["id", "unit", "village", "cooperative", "product", "quantity", "amount", "date"]
