from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "role", "region", "is_active", "last_login")
    list_filter = ("role", "is_active")
    autocomplete_fields = ("region",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("角色与区域"), {"fields": ("role", "region", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("角色与区域"), {"fields": ("role", "region")}),
    )
