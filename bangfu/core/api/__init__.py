"""The API's shared building blocks. A new app's `api/` uses them like this:

views.py
    class ThingViewSet(ScopedModelViewSet):          # bangfu.core.api.viewsets
        queryset = Thing.objects.all()               # names the model: permissions + scope
        serializer_class = ThingSerializer
        filterset_class = ThingFilterSet             # the same FilterSet as the list page
        select_related = ("household__region",)      # whatever the serializer reads
        prefetch_related = ("items",)

  `get_queryset()` is `Thing.objects.for_user(request.user)` plus those joins, so another area's
  object is a 404. `RolePermission` (settings) maps GET/POST/PUT/PATCH/DELETE to
  view/add/change/delete on the queryset's model. Decorate the class with
  `@extend_schema(tags=["<app>"])` so the OpenAPI schema groups it.

serializers.py
    - `MaskedIdNumberField` / `MaskedPhoneField` (bangfu.core.api.serializers) for personal data;
    - references to scoped records resolve within the user's scope (see
      `registry.api.serializers.ScopedPrimaryKeyRelatedField`), a region must pass
      `core.scoping.user_can_reach_region`;
    - messages are Chinese msgids through gettext and name the field.

urls.py
    a `SimpleRouter`; object routes use the kwarg `pk` (or `code` for regions).

Errors (bangfu.core.api.exceptions): DRF's shapes — `{"field": ["…"]}` for 400,
`{"detail": "…"}` otherwise; `Conflict` is a 409 (stale version, record still referenced).

The generic access test (bangfu/core/tests/test_access_generic.py) then covers the new URLs by
itself, once the model is in `ACCESS_OBJECTS` (see bangfu/core/testing_access.py).
"""
