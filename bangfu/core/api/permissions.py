"""API permissions: the user's role decides the verb (view/add/change/delete on the model);
the scoped queryset decides which rows exist for them at all."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

_VERB = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class RolePermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return True
        opts = queryset.model._meta
        verb = "view" if request.method in SAFE_METHODS else _VERB.get(request.method, "change")
        return request.user.has_perm(f"{opts.app_label}.{verb}_{opts.model_name}")
