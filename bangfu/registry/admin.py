from django.contrib import admin

from .models import Household, Member, StatusChange, Survey


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ("name", "id_number", "relation", "ethnicity")


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("household_no", "region", "category", "status", "registered_year", "exit_year")
    list_filter = ("status", "category", "main_cause")
    search_fields = ("household_no",)
    raw_id_fields = ("region",)
    inlines = [MemberInline]

    def get_queryset(self, request):
        return Household.objects.for_user(request.user)


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("household", "year", "net_income_per_capita", "household_size")
    list_filter = ("year",)
    raw_id_fields = ("household",)

    def get_queryset(self, request):
        return Survey.objects.for_user(request.user)


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ("household", "date", "status", "reason")
    raw_id_fields = ("household",)

    def get_queryset(self, request):
        return StatusChange.objects.for_user(request.user)
