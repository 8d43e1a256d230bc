from django.contrib import admin

from .models import Assignment, Cadre, Pairing, Posting, Responsibility, Unit, Zone


class ScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return self.model.objects.for_user(request.user)


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ("name", "kind", "parent", "contact_person", "contact_phone")
    list_filter = ("kind",)
    search_fields = ("name",)
    raw_id_fields = ("parent",)


@admin.register(Assignment)
class AssignmentAdmin(ScopedAdmin):
    list_display = ("unit", "village", "start_date", "end_date", "backing_unit")
    raw_id_fields = ("unit", "village", "backing_unit")


@admin.register(Cadre)
class CadreAdmin(ScopedAdmin):
    list_display = ("name", "unit", "position", "active")
    list_filter = ("active",)
    search_fields = ("name",)
    raw_id_fields = ("unit", "user")


@admin.register(Posting)
class PostingAdmin(ScopedAdmin):
    list_display = ("cadre", "village", "role", "full_time", "start_date", "end_date")
    list_filter = ("role",)
    raw_id_fields = ("cadre", "village")


@admin.register(Pairing)
class PairingAdmin(ScopedAdmin):
    list_display = ("cadre", "household", "start_date", "end_date")
    raw_id_fields = ("cadre", "household")


@admin.register(Zone)
class ZoneAdmin(ScopedAdmin):
    list_display = ("name", "region", "parent", "commander")
    raw_id_fields = ("region", "parent", "commander", "villages")


@admin.register(Responsibility)
class ResponsibilityAdmin(ScopedAdmin):
    list_display = ("zone", "level", "region", "household", "cadre", "start_date", "end_date")
    list_filter = ("level",)
    raw_id_fields = ("zone", "region", "household", "cadre")
