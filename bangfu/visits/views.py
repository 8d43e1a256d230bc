"""Pages of visits: list, visit page (follow-ups, attachments), add/edit, the phone quick entry,
follow-ups (list, add, done). Every lookup starts from `Model.objects.for_user(request.user)`
(core.generic); every save goes through `services.visits`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.attachments.model import Attachment
from bangfu.core.generic import ObjectEditView, ObjectListView, ObjectView, ServiceEditView

from . import filters, forms, tables
from .models import FollowUp, Visit
from .services import visits as service


class VisitListView(ObjectListView):
    queryset = Visit.objects.all()
    filterset = filters.VisitFilterSet
    table = tables.VisitTable
    template_name = "visits/object_list.html"

    def annotate(self, queryset):
        return queryset.select_related("cadre", "household", "region")

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse("visits:visit_add"), "quick_url": reverse("visits:quick")}


class VisitView(ObjectView):
    queryset = Visit.objects.select_related("cadre__unit", "household", "region")
    template_name = "visits/visit.html"

    def get_extra_context(self, object, **kwargs):
        return {
            "follow_ups": object.follow_ups.select_related("owner").order_by("due_date", "pk"),
            "attachments": Attachment.objects.of(object),
            "can_add_follow_up": self.request.user.has_perm("visits.add_followup"),
            "can_change_follow_up": self.request.user.has_perm("visits.change_followup"),
        }


class VisitEditView(ServiceEditView):
    queryset = Visit.objects.all()
    form_class = forms.VisitForm

    def save_form(self, form):
        return service.save_visit(form.instance, self.request.user)

    def get_success_url(self, obj):
        return reverse("visits:visit", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        if self.object is not None:
            return reverse("visits:visit", kwargs={"pk": self.object.pk})
        return reverse("visits:visit_list")


class QuickVisitView(ObjectEditView):
    """One short page for phones: pick a household (or village), today's date, purpose, what was
    found, an optional follow-up and a photo; saved in one transaction."""

    queryset = Visit.objects.all()
    form_class = forms.QuickVisitForm
    template_name = "visits/quick.html"

    def get_form_kwargs(self, obj):
        return {"user": self.request.user}

    def get_title(self):
        return _("快速登记走访")

    def get_cancel_url(self):
        return reverse("visits:visit_list")

    def post(self, request, *args, **kwargs):
        form = self.get_form(None, request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                visit = service.quick_entry(
                    request.user,
                    cadre=d["cadre"],
                    date=d["date"],
                    purpose=d["purpose"],
                    household=d.get("household"),
                    village=d.get("region"),
                    findings=d.get("findings") or "",
                    follow_up_action=d.get("follow_up_action") or "",
                    follow_up_due_date=d.get("follow_up_due_date"),
                    photos=[d["photo"]] if d.get("photo") else [],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("已登记走访：%(obj)s") % {"obj": visit})
                return HttpResponseRedirect(reverse("visits:visit", kwargs={"pk": visit.pk}))
        return self.render_form(form)


class FollowUpListView(ObjectListView):
    queryset = FollowUp.objects.all()
    filterset = filters.FollowUpFilterSet
    table = tables.FollowUpTable
    template_name = "visits/object_list.html"

    def annotate(self, queryset):
        return queryset.select_related("owner", "visit")


class FollowUpAddView(ServiceEditView):
    """A follow-up for the visit in the URL."""

    queryset = Visit.objects.all()
    permission_model = FollowUp
    creates_child = True
    form_class = forms.FollowUpForm

    def get_instance(self, obj):
        return FollowUp(visit=obj)

    def save_form(self, form):
        return service.save_follow_up(form.instance)

    def get_success_url(self, obj):
        return reverse("visits:visit", kwargs={"pk": obj.visit_id})

    def get_cancel_url(self):
        return reverse("visits:visit", kwargs={"pk": self.object.pk})


class FollowUpDoneView(ServiceEditView):
    queryset = FollowUp.objects.all()
    form_class = forms.FollowUpDoneForm

    def get_title(self):
        return _("办结走访待办：%(obj)s") % {"obj": self.object.action}

    def save_form(self, form):
        return service.save_follow_up(form.instance)

    def get_success_url(self, obj):
        return reverse("visits:visit", kwargs={"pk": obj.visit_id})

    def get_cancel_url(self):
        return reverse("visits:visit", kwargs={"pk": self.object.visit_id})
