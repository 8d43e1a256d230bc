from django.contrib import admin

from .models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "western_region", "is_registered_poor")
    list_filter = ("level", "western_region", "is_registered_poor")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
