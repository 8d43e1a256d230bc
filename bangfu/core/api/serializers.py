"""Serializer building blocks shared by every app's API: masked personal data, choice labels.

Masking follows `core.privacy`: only users with `accounts.view_personal_data` see full ID numbers
and phone numbers; everyone else gets the masked form, in lists, details and nested records alike
(the requesting user is read from the serializer context, which nested serializers share).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bangfu.core.privacy import id_number_for, phone_for


def request_user(field: serializers.Field):
    request = field.context.get("request")
    return getattr(request, "user", None)


class MaskedIdNumberField(serializers.CharField):
    """A citizen ID number: written in full, read masked unless the user may see personal data."""

    def to_representation(self, value):
        return id_number_for(request_user(self), super().to_representation(value))


class MaskedPhoneField(serializers.CharField):
    """A phone number: written in full, read masked unless the user may see personal data."""

    def to_representation(self, value):
        return phone_for(request_user(self), super().to_representation(value))


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.ReadOnlyField):
    """The display label of a choice field (``get_<field>_display``), e.g. ``"一般贫困户"``."""

    def __init__(self, choice_field: str, **kwargs):
        kwargs["source"] = f"get_{choice_field}_display"
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(value)
