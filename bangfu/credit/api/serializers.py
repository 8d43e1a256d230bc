"""Serializers: references limited to the user's scope; writes through `services.loans.save`."""

from __future__ import annotations

from rest_framework import serializers

from bangfu.assistance.api.serializers import ScopedRelatedMixin, scoped_households
from bangfu.cooperatives.api.serializers import ServiceSaveMixin
from bangfu.core.api.serializers import ChoiceLabelField
from bangfu.regions.models import Region

from ..models import Loan, LoanProduct


def scoped_regions(user):
    return Region.objects.for_user(user)


def scoped_products(user):
    return LoanProduct.objects.for_user(user)


class ProductSerializer(ServiceSaveMixin, ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"region": scoped_regions}

    class Meta:
        model = LoanProduct
        fields = ["id", "name", "bank", "region", "rate", "max_amount", "term_months", "note"]


class LoanSerializer(ServiceSaveMixin, ScopedRelatedMixin, serializers.ModelSerializer):
    scoped_fields = {"household": scoped_households, "product": scoped_products}
    repayment_label = ChoiceLabelField("repayment")

    class Meta:
        model = Loan
        fields = [
            "id",
            "household",
            "product",
            "amount",
            "date",
            "term_months",
            "purpose",
            "repayment",
            "repayment_label",
            "repaid_date",
        ]
