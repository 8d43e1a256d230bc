"""Pages of plans and measures. Every view starts from `Model.objects.for_user(request.user)`
(core.generic); plans and measures are written through `services.plans`, which validates, keeps
the record inside the user's scope and audits."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.generic import ObjectListView, ObjectView, ServiceEditView
from bangfu.registry.models import Household

from . import filters, forms, tables
from .models import Measure, Plan
from .services import plans, progress

# --- plans ---------------------------------------------------------------------------------


class PlanListView(ObjectListView):
    queryset = Plan.objects.all()
    filterset = filters.PlanFilterSet
    table = tables.PlanTable
    template_name = "plans/object_list.html"

    def annotate(self, queryset):
        queryset = queryset.select_related("village", "household", "unit", "author")
        return progress.with_progress(queryset, Household.objects.for_user(self.request.user))

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("plans:plan_add")}


class PlanView(ObjectView):
    queryset = Plan.objects.all()
    template_name = "plans/plan.html"

    def get_object(self):
        obj = super().get_object()
        user = self.request.user
        annotated = progress.with_progress(
            Plan.objects.filter(pk=obj.pk).select_related(
                "village", "household", "region", "unit", "author"
            ),
            Household.objects.for_user(user),
        )
        return annotated.get()

    def get_extra_context(self, object, **kwargs):
        user = self.request.user
        measures = (
            Measure.objects.for_user(user)
            .filter(plan=object)
            .select_related("owner", "owner_unit")
            .order_by("due_date", "pk")
        )
        return {
            "bars": progress.progress_bars(object),
            "measures": measures,
            "can_add_measure": user.has_perm("plans.add_measure"),
            "can_change_measure": user.has_perm("plans.change_measure"),
        }


class PlanEditView(ServiceEditView):
    queryset = Plan.objects.all()
    form_class = forms.PlanForm
    template_name = "plans/edit.html"

    def get_form(self, obj, data=None, files=None):
        form = super().get_form(obj, data, files)
        if obj is None and data is None:
            user, get = self.request.user, self.request.GET
            if get.get("village"):
                form.initial["village"] = get["village"]
            if get.get("household", "").isdigit():
                number = (
                    Household.objects.for_user(user)
                    .filter(pk=int(get["household"]))
                    .values_list("household_no", flat=True)
                    .first()
                )
                if number:
                    form.initial["household"] = number
        return form

    def save_form(self, form):
        data = {name: form.cleaned_data.get(name) for name in plans.PLAN_FIELDS}
        user = self.request.user
        if self.object is None:
            return plans.create_plan(user=user, **data)
        return plans.update_plan(self.object, user=user, **data)

    def get_success_url(self, obj):
        return reverse("plans:plan", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        if self.object is not None:
            return reverse("plans:plan", kwargs={"pk": self.object.pk})
        return reverse("plans:plan_list")


# --- measures ------------------------------------------------------------------------------


class MeasureListView(ObjectListView):
    queryset = Measure.objects.all()
    filterset = filters.MeasureFilterSet
    table = tables.MeasureTable
    template_name = "plans/object_list.html"

    def annotate(self, queryset):
        return queryset.select_related("plan", "owner", "owner_unit")

    def get_extra_context(self, **kwargs):
        return {"add_url": None}


class MeasureView(ObjectView):
    queryset = Measure.objects.all()
    template_name = "plans/measure.html"

    def get_queryset(self):
        return super().get_queryset().select_related("plan", "owner", "owner_unit")


class MeasureAddView(ServiceEditView):
    """A new measure of the plan named in the URL (in the user's scope)."""

    queryset = Plan.objects.all()
    permission_model = Measure
    creates_child = True
    form_class = forms.MeasureForm
    template_name = "plans/edit.html"

    def get_instance(self, obj):
        return Measure(plan=obj)

    def save_form(self, form):
        data = {name: form.cleaned_data.get(name) for name in plans.MEASURE_FIELDS}
        return plans.add_measure(self.object, user=self.request.user, **data)

    def get_success_url(self, obj):
        return reverse("plans:plan", kwargs={"pk": obj.plan_id})

    def get_cancel_url(self):
        return reverse("plans:plan", kwargs={"pk": self.object.pk})

    def get_title(self):
        return _("新增帮扶措施：%(plan)s") % {"plan": self.object}


class MeasureEditView(ServiceEditView):
    queryset = Measure.objects.all()
    form_class = forms.MeasureForm
    template_name = "plans/edit.html"

    def save_form(self, form):
        data = {name: form.cleaned_data.get(name) for name in plans.MEASURE_FIELDS}
        return plans.update_measure(self.object, user=self.request.user, **data)

    def get_success_url(self, obj):
        return reverse("plans:measure", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        return reverse("plans:measure", kwargs={"pk": self.object.pk})


class MeasureCompleteView(ServiceEditView):
    queryset = Measure.objects.all()
    form_class = forms.CompleteMeasureForm
    template_name = "plans/edit.html"

    def is_create(self):
        return False

    def get_title(self):
        return _("完成帮扶措施：%(obj)s") % {"obj": self.object}

    def save_form(self, form):
        d = form.cleaned_data
        return plans.complete_measure(
            self.object, d["done_date"], d.get("evidence"), user=self.request.user
        )

    def get_success_url(self, obj):
        return reverse("plans:measure", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        return reverse("plans:measure", kwargs={"pk": self.object.pk})
