from django.contrib import admin

from .models import Measure, Plan


class ReadOnlyAdmin(admin.ModelAdmin):
    """Plans are written through the pages and the API (services.plans); the admin only reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("title", "region", "household", "start_date", "end_date", "status")
    list_filter = ("status",)


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ("description", "plan", "kind", "due_date", "status")
    list_filter = ("kind", "status")
