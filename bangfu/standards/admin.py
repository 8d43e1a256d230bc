"""Administrators edit thresholds and standards here (saves go through the models: audited,
rules validated against the field whitelist, used versions refused). Verdicts are read only."""

from django.contrib import admin

from .models import Standard, StandardItem, StandardVersion, Threshold, Verdict


@admin.register(Threshold)
class ThresholdAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "province", "value")
    list_filter = ("name", "province")


class ItemInline(admin.TabularInline):
    model = StandardItem
    extra = 0


@admin.register(StandardVersion)
class VersionAdmin(admin.ModelAdmin):
    list_display = ("standard", "number", "note", "created")
    inlines = [ItemInline]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "subject", "province")


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ("version", "year", "household", "region", "passed", "failed_items")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
