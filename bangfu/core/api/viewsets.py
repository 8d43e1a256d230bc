"""Base classes every app's API reuses.

A view names its model through `queryset` (so `RolePermission` can map the HTTP verb to a
permission) and the joins its serializer needs through `select_related` / `prefetch_related`.
`get_queryset()` always starts from `Model.objects.for_user(request.user)`: an object outside
the user's area does not exist for them (404), it is never a 403 that confirms it exists.
"""

from __future__ import annotations

from rest_framework import mixins, viewsets

from .exceptions import bangfu_exception_handler


class ScopedQuerysetMixin:
    """`get_queryset()` = the model's rows in the user's scope, plus the view's joins."""

    select_related: tuple[str, ...] = ()
    prefetch_related: tuple = ()

    def get_scoped_queryset(self):
        model = self.queryset.model
        return model.objects.for_user(self.request.user)

    def get_queryset(self):
        queryset = self.get_scoped_queryset()
        if self.queryset.query.order_by:
            queryset = queryset.order_by(*self.queryset.query.order_by)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset

    def get_exception_handler(self):
        return bangfu_exception_handler


class ScopedModelViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """CRUD on a scoped model."""


class ScopedReadOnlyModelViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve on a scoped model."""


class ScopedListCreateRetrieveViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Records that are appended, never edited (e.g. status changes)."""
