"""What every app's API views share for the OpenAPI schema and for dated records."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view

# Dated records are ended (PATCH end_date) or cancelled, never deleted: history is kept.
NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


def object_schema(one: str, many: str):
    """Summaries of a viewset's operations in the schema: `one` for a record's operations,
    `many` for the list (translated in the request's language)."""
    return extend_schema_view(
        list=extend_schema(summary=gettext_lazy(many)),
        retrieve=extend_schema(summary=gettext_lazy(one)),
        create=extend_schema(summary=gettext_lazy(one)),
        update=extend_schema(summary=gettext_lazy(one)),
        partial_update=extend_schema(summary=gettext_lazy(one)),
        destroy=extend_schema(summary=gettext_lazy(one)),
    )
