"""Permissions come from the user's role (accounts.choices.ROLE_PERMISSIONS) plus any granted
individually through Django's user and group permissions."""

from fnmatch import fnmatchcase

from django.contrib.auth.backends import ModelBackend

from .choices import ROLE_PERMISSIONS, Role


class RoleBackend(ModelBackend):
    def _role_allows(self, user_obj, perm: str) -> bool:
        patterns = ROLE_PERMISSIONS.get(getattr(user_obj, "role", None), ())
        return any(fnmatchcase(perm, p) for p in patterns)

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active:
            return False
        if self._role_allows(user_obj, perm):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_active:
            return False
        if getattr(user_obj, "role", None) == Role.ADMIN:
            return True
        return super().has_module_perms(user_obj, app_label)
