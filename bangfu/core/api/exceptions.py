"""The API's error format and the errors the domain raises.

Errors keep DRF's shape so clients need one parser:
- validation: ``{"<field>": ["<message>", ...], "non_field_errors": [...]}`` (HTTP 400);
- anything else: ``{"detail": "<message>"}`` plus, where useful, extra keys (HTTP 4xx).
Domain errors are turned into that shape here: `RegistryError` (a rule of the registry, naming its
field), Django's `ValidationError` and `ProtectedError` (a record still referenced).
Messages are Chinese msgids, translated by gettext.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler


class Conflict(exceptions.APIException):
    """HTTP 409: the record changed since the client read it."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("该记录已被其他用户修改，请刷新后重试")
    default_code = "conflict"

    def __init__(self, detail=None, code=None, **extra):
        super().__init__(detail, code)
        self.extra = extra


def registry_error_to_validation(exc) -> exceptions.ValidationError:
    """A domain rule broken (anything with `.field` and a message) as a DRF 400."""
    field = getattr(exc, "field", None) or "non_field_errors"
    return exceptions.ValidationError({field: [str(exc)]})


def bangfu_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, Http404):
        # Django's message names the model in English; the API says "not found" in the user's
        # language, the same for an object that does not exist and one outside the user's area.
        exc = exceptions.NotFound()
    elif isinstance(exc, ProtectedError):
        exc = Conflict(_("该记录仍被其他记录引用，不能删除"))
    elif exc.__class__.__name__ == "RegistryError":
        exc = registry_error_to_validation(exc)
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, Conflict) and exc.extra:
        response.data.update(exc.extra)
    return response
