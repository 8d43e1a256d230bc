from django.contrib import admin

from .models import AuditEntry, ImportBatch


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log cannot be changed through any interface."""

    list_display = ("time", "username", "source", "action", "object_type", "object_repr")
    list_filter = ("source", "action", "object_type")
    search_fields = ("username", "object_repr", "object_id", "request_id")
    date_hierarchy = "time"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("started", "kind", "filename", "user", "status", "rows_total", "rows_rejected")
    list_filter = ("kind", "status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
