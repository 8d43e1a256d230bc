"""Pages of meetings and activities. Every view starts from `Activity.objects.for_user()`
(core.generic); saves run the model's rules and are audited by the model."""

from __future__ import annotations

from django.urls import reverse

from bangfu.core.generic import ObjectEditView, ObjectListView, ObjectView

from . import filters, forms, tables
from .choices import KIND_COUNTS
from .models import Activity


class ActivityListView(ObjectListView):
    queryset = Activity.objects.all()
    filterset = filters.ActivityFilterSet
    table = tables.ActivityTable
    template_name = "activities/activity_list.html"

    def annotate(self, queryset):
        return queryset.select_related("unit", "region")

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("activities:activity_add")}


class ActivityView(ObjectView):
    queryset = Activity.objects.all()
    template_name = "activities/activity.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "region", "village", "cadre")

    def get_extra_context(self, object, **kwargs):
        return {"spec": KIND_COUNTS[object.kind]}


class ActivityEditView(ObjectEditView):
    queryset = Activity.objects.all()
    form_class = forms.ActivityForm

    def get_success_url(self, obj):
        return reverse("activities:activity", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        if self.object is not None:
            return reverse("activities:activity", kwargs={"pk": self.object.pk})
        return reverse("activities:activity_list")
