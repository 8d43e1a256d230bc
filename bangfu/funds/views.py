"""Pages of funds: sources (where each yuan went), donations, pools (entries and balance),
allocations, projects (funding vs budget, beneficiaries, outputs). Every lookup starts from
`Model.objects.for_user(request.user)` (core.generic); every save goes through the services.
Lists carry their sums as subqueries, so each page is a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

from django import forms as forms_module
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core.attachments.model import Attachment
from bangfu.core.figures import Subject, figures_for
from bangfu.core.generic import (
    BaseView,
    ObjectListView,
    ObjectView,
    ServiceEditView,
    permission_name,
)
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from . import filters, forms, tables
from .choices import EntryDirection
from .exports import ExportListMixin
from .models import Allocation, Donation, FundPool, FundSource, PoolEntry, Project, ProjectOutput
from .services import allocations as spending
from .services import funds as money
from .services import projects as project_service

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
# A page lists at most this many movements; the rest are one click away in the filtered list.
PAGE_ROWS = 200


def _sum(queryset, field: str):
    """A correlated SUM subquery (0 when there are no rows)."""
    subquery = queryset.order_by().values(field).annotate(s=Sum("amount")).values("s")
    return Coalesce(Subquery(subquery, output_field=MONEY), ZERO, output_field=MONEY)


def spent_expression():
    allocated = _sum(Allocation.objects.filter(source=OuterRef("pk")), "source")
    pooled = _sum(
        PoolEntry.objects.filter(source=OuterRef("pk"), direction=EntryDirection.IN), "source"
    )
    return allocated + pooled


def received_expression():
    return _sum(Allocation.objects.filter(project=OuterRef("pk")), "project")


class FundsListView(ObjectListView):
    template_name = "funds/object_list.html"
    add_url_name = ""

    def get_extra_context(self, **kwargs):
        return {"add_url": reverse(self.add_url_name) if self.add_url_name else ""}


# --- sources --------------------------------------------------------------------------------


class SourceListView(ExportListMixin, FundsListView):
    export_kind = "sources"
    queryset = FundSource.objects.all()
    filterset = filters.FundSourceFilterSet
    table = tables.FundSourceTable
    add_url_name = "funds:source_add"

    def annotate(self, queryset):
        return queryset.select_related("region", "unit").annotate(spent=spent_expression())


class SourceView(ObjectView):
    queryset = FundSource.objects.select_related("region", "unit").annotate(
        spent=spent_expression()
    )
    template_name = "funds/source.html"

    def get_extra_context(self, object, **kwargs):
        allocations = (
            Allocation.objects.for_user(self.request.user)
            .filter(source=object)
            .select_related("project", "household")
            .order_by("-date", "-pk")
        )
        inflows = (
            PoolEntry.objects.filter(source=object, direction=EntryDirection.IN)
            .select_related("pool")
            .order_by("-date", "-pk")
        )
        return {
            "donation": Donation.objects.filter(source=object).first(),
            "remaining": object.amount - object.spent,
            "allocations": allocations[:PAGE_ROWS],
            "inflows": inflows[:PAGE_ROWS],
            "page_rows": PAGE_ROWS,
            "attachments": Attachment.objects.of(object),
        }


class SourceEditView(ServiceEditView):
    queryset = FundSource.objects.all()
    form_class = forms.FundSourceForm

    def save_form(self, form):
        return money.save_source(form.instance)

    def get_success_url(self, obj):
        return reverse("funds:source", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        return reverse("funds:source_list")


# --- donations ------------------------------------------------------------------------------


class DonationListView(ExportListMixin, FundsListView):
    export_kind = "donations"
    queryset = Donation.objects.all()
    filterset = filters.DonationFilterSet
    table = tables.DonationTable
    add_url_name = "funds:donation_add"

    def annotate(self, queryset):
        return queryset.select_related("region", "unit")


class DonationEditView(ServiceEditView):
    """Add or change a donation; its source changes with it (`services.funds.save_donation`)."""

    queryset = Donation.objects.all()
    form_class = forms.DonationForm

    def save_form(self, form):
        return money.save_donation(form.instance)

    def get_success_url(self, obj):
        return reverse("funds:source", kwargs={"pk": obj.source_id})

    def get_cancel_url(self):
        if self.object is not None:
            return reverse("funds:source", kwargs={"pk": self.object.source_id})
        return reverse("funds:donation_list")


# --- pools ----------------------------------------------------------------------------------


class PoolListView(ExportListMixin, FundsListView):
    export_kind = "pools"
    queryset = FundPool.objects.all()
    filterset = filters.FundPoolFilterSet
    table = tables.FundPoolTable
    add_url_name = "funds:pool_add"

    def annotate(self, queryset):
        return queryset.select_related("region", "unit")


class PoolView(ObjectView):
    queryset = FundPool.objects.select_related("region", "unit")
    template_name = "funds/pool.html"

    def get_extra_context(self, object, **kwargs):
        entries = (
            PoolEntry.objects.filter(pool=object)
            .select_related("source", "allocation__household", "allocation__project")
            .order_by("-date", "-pk")
        )
        totals = PoolEntry.objects.filter(pool=object).aggregate(
            inflow=Coalesce(Sum("amount", filter=_in()), ZERO, output_field=MONEY),
            outflow=Coalesce(Sum("amount", filter=_out()), ZERO, output_field=MONEY),
        )
        return {
            "entries": entries[:PAGE_ROWS],
            "page_rows": PAGE_ROWS,
            **totals,
            "can_add_inflow": self.request.user.has_perm("funds.add_poolentry"),
        }


def _in():
    from django.db.models import Q

    return Q(direction=EntryDirection.IN)


def _out():
    from django.db.models import Q

    return Q(direction=EntryDirection.OUT)


class PoolEditView(ServiceEditView):
    queryset = FundPool.objects.all()
    form_class = forms.FundPoolForm

    def save_form(self, form):
        return money.save_pool(form.instance)

    def get_success_url(self, obj):
        return reverse("funds:pool", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        return reverse("funds:pool_list")


class PoolInflowView(ServiceEditView):
    """Put money from a source into the pool in the URL."""

    queryset = FundPool.objects.all()
    permission_model = PoolEntry
    creates_child = True
    form_class = forms.PoolInflowForm

    def get_instance(self, obj):
        return PoolEntry(pool=obj, direction=EntryDirection.IN)

    def get_title(self):
        return _("资金转入资金池：%(pool)s") % {"pool": self.object}

    def save_form(self, form):
        entry = form.instance
        return spending.put_into_pool(
            self.object, entry.source, entry.amount, entry.date, entry.note
        )

    def get_success_url(self, obj):
        return reverse("funds:pool", kwargs={"pk": obj.pool_id})

    def get_cancel_url(self):
        return reverse("funds:pool", kwargs={"pk": self.object.pk})


# --- allocations ----------------------------------------------------------------------------


class AllocationListView(ExportListMixin, FundsListView):
    export_kind = "allocations"
    queryset = Allocation.objects.all()
    filterset = filters.AllocationFilterSet
    table = tables.AllocationTable
    add_url_name = "funds:allocation_add"

    def annotate(self, queryset):
        return queryset.select_related("source", "pool", "project", "household")

    def get_extra_context(self, filterset=None, **kwargs):
        context = super().get_extra_context(**kwargs)
        qs = filterset.qs if filterset is not None and filterset.is_bound else None
        if qs is not None:
            context["total"] = qs.aggregate(t=Coalesce(Sum("amount"), ZERO, output_field=MONEY))[
                "t"
            ]
        return context


class AllocationView(ObjectView):
    queryset = Allocation.objects.select_related(
        "source", "pool", "project", "household", "region", "unit"
    )
    template_name = "funds/allocation.html"

    def get_extra_context(self, object, **kwargs):
        return {"attachments": Attachment.objects.of(object)}


class AllocationAddView(ServiceEditView):
    queryset = Allocation.objects.all()
    form_class = forms.AllocationForm

    def get_form(self, obj, data=None, files=None):
        form = super().get_form(obj, data, files)
        if data is None:
            for key in ("source", "pool", "project", "kind"):
                if self.request.GET.get(key):
                    form.initial[key] = self.request.GET[key]
            if self.request.GET.get("household"):
                form.initial["household"] = self.request.GET["household"]
        return form

    def save_form(self, form):
        return spending.save_new_allocation(form.instance)

    def get_success_url(self, obj):
        return reverse("funds:allocation", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        return reverse("funds:allocation_list")


# --- projects -------------------------------------------------------------------------------


class ProjectListView(ExportListMixin, FundsListView):
    export_kind = "projects"
    queryset = Project.objects.all()
    filterset = filters.ProjectFilterSet
    table = tables.ProjectTable
    add_url_name = "funds:project_add"

    def annotate(self, queryset):
        return queryset.select_related("village", "unit").annotate(received=received_expression())


def figures_context(request, subject: Subject, action: str) -> dict:
    """The period form and the figure sections of `subject` (core.figures) for a page."""
    from bangfu.assistance.forms import PeriodForm

    params = request.GET
    period_form = PeriodForm(params if (params.get("start") or params.get("end")) else None)
    period = period_form.period()
    return {
        "period_form": period_form,
        "period": period,
        "sections": figures_for(subject, request.user, period),
        "figures_action": action,
    }


class RegionFiguresView(ObjectView):
    """The figures card of a region page (village, township, county …), loaded by htmx so the
    region page's own queries do not grow: every registered provider's section for the region
    subtree in the period, each figure a link to its filtered list."""

    queryset = Region.objects.all()
    lookup_kwarg = "code"
    template_name = "funds/figures.html"

    def get_extra_context(self, object, **kwargs):
        return figures_context(
            self.request,
            Subject.for_region(object.code),
            reverse("regions:region", kwargs={"code": object.code}),
        )


class ProjectView(ObjectView):
    queryset = Project.objects.select_related("village", "unit").annotate(
        received=received_expression()
    )
    template_name = "funds/project.html"

    def get_extra_context(self, object, **kwargs):
        return {
            **figures_context(
                self.request,
                Subject.for_project(object),
                reverse("funds:project", kwargs={"pk": object.pk}),
            ),
            "over_budget": object.received > object.budget,
            "allocations": Allocation.objects.filter(project=object)
            .select_related("source", "pool")
            .order_by("-date", "-pk")[:PAGE_ROWS],
            "beneficiaries": object.beneficiaries.order_by("household_no")[:PAGE_ROWS],
            "beneficiary_count": object.beneficiaries.count(),
            "outputs": object.outputs.all(),
            "page_rows": PAGE_ROWS,
            "attachments": Attachment.objects.of(object),
            "can_add_output": self.request.user.has_perm("funds.add_projectoutput"),
        }


class ProjectEditView(ServiceEditView):
    queryset = Project.objects.all()
    form_class = forms.ProjectForm

    def save_form(self, form):
        return project_service.save_project(form.instance)

    def get_success_url(self, obj):
        return reverse("funds:project", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        return reverse("funds:project_list")


class ProjectOutputAddView(ServiceEditView):
    queryset = Project.objects.all()
    permission_model = ProjectOutput
    creates_child = True
    form_class = forms.ProjectOutputForm

    def get_instance(self, obj):
        return ProjectOutput(project=obj)

    def save_form(self, form):
        o = form.instance
        return project_service.add_output(self.object, o.name, o.quantity, o.measure)

    def get_success_url(self, obj):
        return reverse("funds:project", kwargs={"pk": obj.project_id})

    def get_cancel_url(self):
        return reverse("funds:project", kwargs={"pk": self.object.pk})


class ProjectBeneficiariesView(ServiceEditView):
    queryset = Project.objects.all()
    form_class = forms.BeneficiariesForm

    def is_create(self):
        return False

    def get_form_kwargs(self, obj):
        return {"user": self.request.user, "project": obj}

    def get_title(self):
        return _("受益户：%(project)s") % {"project": self.object}

    def save_form(self, form):
        project_service.set_beneficiaries(self.object, form.cleaned_data["households"])
        return self.object

    def get_success_url(self, obj):
        return reverse("funds:project", kwargs={"pk": obj.pk})

    def get_cancel_url(self):
        return reverse("funds:project", kwargs={"pk": self.object.pk})


# --- import ---------------------------------------------------------------------------------


class ImportForm(forms_module.Form):
    kind = forms_module.ChoiceField(
        label=gettext_lazy("数据类型"),
        choices=[
            ("sources", gettext_lazy("资金来源")),
            ("donations", gettext_lazy("社会捐赠")),
            ("pools", gettext_lazy("资金池")),
            ("pool_inflows", gettext_lazy("资金池注入")),
            ("projects", gettext_lazy("扶贫项目")),
            ("project_outputs", gettext_lazy("项目产出")),
            ("project_beneficiaries", gettext_lazy("项目受益户")),
            ("allocations", gettext_lazy("资金拨付")),
        ],
    )
    file = forms_module.FileField(label=gettext_lazy("表格文件（.xlsx 或 .csv）"))
    partial = forms_module.BooleanField(
        label=gettext_lazy("部分写入：跳过有错误的行，写入其余各行"), required=False
    )


IMPORT_MODELS = {
    "sources": FundSource,
    "donations": Donation,
    "pools": FundPool,
    "pool_inflows": PoolEntry,
    "projects": Project,
    "project_outputs": ProjectOutput,
    "project_beneficiaries": Project,
    "allocations": Allocation,
}


class ImportView(BaseView):
    """Upload a spreadsheet of one kind of funds record; it is imported in the background within
    the user's scope (`services.importer.start_upload`) and the page goes to the import's batch
    page: progress, then the counts, the first errors and the full error report. Nothing is
    written when a row is refused, unless 部分写入 is ticked. The form lists the user's recent
    funds imports."""

    queryset = FundSource.objects.all()
    permission_action = "add"
    template_name = "funds/import.html"

    def get(self, request, *args, **kwargs):
        self.check_permission("add")
        return self.render(ImportForm())

    def post(self, request, *args, **kwargs):
        from pathlib import Path

        from django.shortcuts import redirect

        from .services.importer import _BY_KIND, start_upload

        self.check_permission("add")
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        kind = form.cleaned_data["kind"]
        model = IMPORT_MODELS[kind]
        if not request.user.has_perm(permission_name(model, "add")):
            raise PermissionDenied
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            form.add_error("file", _("只接受 .xlsx 或 .csv 文件。"))
            return self.render(form)
        batch = start_upload(request.user, _BY_KIND[kind], upload, form.cleaned_data["partial"])
        return redirect("imports-batch", pk=batch.pk)

    def render(self, form):
        from django.shortcuts import render

        from bangfu.core.models import ImportBatch

        batches = ImportBatch.objects.filter(user=self.request.user, kind__startswith="funds:")[:10]
        return render(
            self.request,
            self.template_name,
            {**self.base_context(), "form": form, "batches": batches},
        )


# --- the household page's section -----------------------------------------------------------


class HouseholdFundsView(ObjectView):
    """What a household received, loaded into the household page by htmx (so the household
    page's own query count does not grow with this section)."""

    queryset = Household.objects.all()
    permission_model = Allocation
    template_name = "funds/household_funds_section.html"
    RECENT = 10

    def get_extra_context(self, object, **kwargs):
        allocations = Allocation.objects.for_user(self.request.user).filter(household=object)
        totals = allocations.aggregate(
            n=Count("pk"), total=Coalesce(Sum("amount"), ZERO, output_field=MONEY)
        )
        return {
            "count": totals["n"],
            "total": totals["total"],
            "recent": allocations.select_related("source", "pool").order_by("-date", "-pk")[
                : self.RECENT
            ],
        }
