"""The sheet layouts of the funds records (`sheets.Layout`): fund sources, donations, pools, pool
inflows, allocations, projects and their outputs — the columns of both the import and the
export (docs/funds.md, "Sheet layouts"). Rows are written through the funds services, so an
import obeys the rules and locks of the pages (an allocation beyond what is left is refused)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.assistance.models import Unit
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from ..choices import (
    AllocationKind,
    DonorKind,
    EntryDirection,
    ProjectKind,
    ProjectStatus,
    SourceKind,
)
from ..filters import (
    AllocationFilterSet,
    DonationFilterSet,
    FundPoolFilterSet,
    FundSourceFilterSet,
    ProjectFilterSet,
)
from ..models import Allocation, Donation, FundPool, FundSource, PoolEntry, Project, ProjectOutput
from . import allocations, funds, projects
from .sheets import Col, Layout, Refused, by_key, by_pk, scoped


def regions(user, keys):
    return by_key(scoped(Region, user), "code", keys)


def units(user, keys):
    return by_key(scoped(Unit, user), "name", keys)


def households(user, keys):
    return by_key(scoped(Household, user), "household_no", keys)


def _named(model, attr="name"):
    def resolve(user, keys):
        return by_key(scoped(model, user), attr, keys)

    return resolve


def _numbered(model):
    def resolve(user, keys):
        return by_pk(scoped(model, user), keys)

    return resolve


def region_col(field="region", headers=("区划代码",), required=True):
    return Col(
        field,
        headers,
        "ref",
        required,
        model_field=field,
        export=lambda o, f=field: getattr(o, f"{f}_id"),
    )


def unit_col(headers=("协调单位", "经办单位", "单位")):
    return Col("unit", headers, "ref", model_field="unit", export=lambda o: _name(o.unit))


def _name(obj):
    return obj.name if obj is not None else ""


def _pk(obj):
    return obj.pk if obj is not None else ""


NOTE = Col("note", ("备注",))


def _source_prepare(data, values, user, refs=None):
    if data.get("kind") == SourceKind.DONATION:
        raise Refused("kind", _("社会捐赠请用捐赠导入（需填写捐赠方）"))
    if not data.get("year") and data.get("date"):
        data["year"] = data["date"].year


SOURCES = Layout(
    kind="sources",
    title="资金来源",
    model=FundSource,
    columns=(
        Col("kind", ("资金来源类型",), "choice", True, choices=SourceKind),
        Col("name", ("资金名称",), "text", True),
        Col("year", ("年度",), "int"),
        Col("amount", ("金额",), "money", True),
        unit_col(),
        region_col(),
        Col("date", ("到位日期", "日期"), "date", True),
        Col("document_no", ("文号",)),
        NOTE,
    ),
    resolvers={"unit": units, "region": regions},
    natural_key=("name", "region", "date"),
    writer=lambda obj, created: funds.save_source(obj),
    queryset=lambda user: (
        scoped(FundSource, user)
        .exclude(kind=SourceKind.DONATION)
        .select_related("unit")
        .order_by("pk")
    ),
    filterset=FundSourceFilterSet,
    permission="funds.fundsource",
    error_column="amount",
    prepare=_source_prepare,
)

DONATIONS = Layout(
    kind="donations",
    title="社会捐赠",
    model=Donation,
    columns=(
        Col("donor_name", ("捐赠方",), "text", True),
        Col("donor_kind", ("捐赠方类型",), "choice", True, choices=DonorKind),
        Col("amount", ("金额",), "money", True),
        Col("date", ("捐赠日期", "日期"), "date", True),
        Col("purpose", ("用途",), "text", True),
        unit_col(),
        region_col(),
        NOTE,
    ),
    resolvers={"unit": units, "region": regions},
    natural_key=("donor_name", "date", "region"),
    writer=lambda obj, created: funds.save_donation(obj),
    queryset=lambda user: scoped(Donation, user).select_related("unit").order_by("pk"),
    filterset=DonationFilterSet,
    permission="funds.donation",
    error_column="amount",
)

POOLS = Layout(
    kind="pools",
    title="资金池",
    model=FundPool,
    columns=(
        Col("pool_id", ("资金池编号",), "int", export=lambda o: o.pk, write=False),
        Col("name", ("资金池名称",), "text", True),
        Col("purpose", ("用途",)),
        region_col(),
        unit_col(("管理单位", "单位")),
        # computed from its inflows and outflows: exported, never imported
        Col("balance", ("余额",), "money", write=False),
    ),
    resolvers={"unit": units, "region": regions},
    natural_key=("name", "region"),
    writer=lambda obj, created: funds.save_pool(obj),
    queryset=lambda user: scoped(FundPool, user).select_related("unit").order_by("pk"),
    filterset=FundPoolFilterSet,
    permission="funds.fundpool",
)


def _source_cols():
    return (
        Col(
            "source_id",
            ("资金来源编号",),
            "ref",
            model_field="source",
            export=lambda o: o.source_id or "",
        ),
        Col("source", ("资金来源",), "ref", model_field="source", export=lambda o: _name(o.source)),
    )


def _pool_cols():
    return (
        Col(
            "pool_id", ("资金池编号",), "ref", model_field="pool", export=lambda o: o.pool_id or ""
        ),
        Col("pool", ("资金池",), "ref", model_field="pool", export=lambda o: _name(o.pool)),
    )


SOURCE_RESOLVERS = {
    "source_id": _numbered(FundSource),
    "source": _named(FundSource),
    "pool_id": _numbered(FundPool),
    "pool": _named(FundPool),
}


def _inflow(obj, created):
    if obj.pool_id is None or obj.source_id is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"pool": _("请填写资金池和资金来源")})
    return allocations.put_into_pool(obj.pool, obj.source, obj.amount, obj.date, obj.note)


POOL_INFLOWS = Layout(
    kind="pool_inflows",
    title="资金池注入",
    model=PoolEntry,
    columns=(
        *_pool_cols(),
        *_source_cols(),
        Col("amount", ("金额",), "money", True),
        Col("date", ("注入日期", "日期"), "date", True),
        NOTE,
    ),
    resolvers=SOURCE_RESOLVERS,
    natural_key=("date", "pool", "source", "amount"),
    defaults={"direction": EntryDirection.IN},
    writer=_inflow,
    append_only=True,
    queryset=lambda user: (
        scoped(PoolEntry, user)
        .filter(direction=EntryDirection.IN)
        .select_related("pool", "source")
        .order_by("pk")
    ),
    permission="funds.poolentry",
    error_column="amount",
)


def _project_cols(required=False):
    return (
        Col(
            "project_id",
            ("项目编号",),
            "ref",
            model_field="project",
            export=lambda o: o.project_id or "",
        ),
        Col(
            "project",
            ("项目名称", "项目"),
            "ref",
            required,
            model_field="project",
            export=lambda o: _name(o.project),
        ),
    )


ALLOCATIONS = Layout(
    kind="allocations",
    title="资金拨付",
    model=Allocation,
    columns=(
        *_source_cols(),
        *_pool_cols(),
        Col("kind", ("拨付类型",), "choice", True, choices=AllocationKind),
        *_project_cols(),
        Col(
            "household",
            ("户编号",),
            "ref",
            model_field="household",
            export=lambda o: o.household.household_no if o.household_id else "",
        ),
        Col("amount", ("金额",), "money", True),
        Col("date", ("拨付日期", "日期"), "date", True),
        Col("purpose", ("用途",), "text", True),
        unit_col(),
        NOTE,
    ),
    resolvers={
        **SOURCE_RESOLVERS,
        "project_id": _numbered(Project),
        "project": _named(Project),
        "household": households,
        "unit": units,
    },
    natural_key=("date", "source", "pool", "project", "household", "amount", "purpose"),
    writer=lambda obj, created: allocations.save_new_allocation(obj),
    bulk_writer=allocations.save_new_allocations,
    append_only=True,
    queryset=lambda user: (
        scoped(Allocation, user)
        .select_related("source", "pool", "project", "household", "unit")
        .order_by("pk")
    ),
    filterset=AllocationFilterSet,
    permission="funds.allocation",
    error_column="amount",
)

PROJECTS = Layout(
    kind="projects",
    title="扶贫项目",
    model=Project,
    columns=(
        Col("project_id", ("项目编号",), "int", export=lambda o: o.pk, write=False),
        Col("kind", ("项目类型",), "choice", True, choices=ProjectKind),
        Col("name", ("项目名称",), "text", True),
        region_col("village", ("村代码", "区划代码")),
        unit_col(("责任单位", "单位")),
        Col("budget", ("预算",), "money", True),
        Col("status", ("项目状态", "状态"), "choice", choices=ProjectStatus),
        Col("start_date", ("开工日期",), "date"),
        Col("completion_date", ("完工日期",), "date"),
        NOTE,
    ),
    resolvers={"village": regions, "unit": units},
    natural_key=("name", "village"),
    defaults={"status": ProjectStatus.PLANNED},
    writer=lambda obj, created: projects.save_project(obj),
    queryset=lambda user: scoped(Project, user).select_related("unit").order_by("pk"),
    filterset=ProjectFilterSet,
    permission="funds.project",
    error_column="budget",
)


def _save_output(obj, created):
    obj.full_clean()
    obj.save()
    return obj


PROJECT_OUTPUTS = Layout(
    kind="project_outputs",
    title="项目产出",
    model=ProjectOutput,
    columns=(
        *_project_cols(required=False),
        Col("name", ("产出名称",), "text", True),
        Col("quantity", ("数量",), "decimal", True),
        Col("measure", ("计量单位", "单位"), "text", True),
    ),
    resolvers={"project_id": _numbered(Project), "project": _named(Project)},
    natural_key=("project", "name", "measure"),
    writer=_save_output,
    queryset=lambda user: scoped(ProjectOutput, user).select_related("project").order_by("pk"),
    permission="funds.projectoutput",
    error_column="quantity",
)

Beneficiary = Project.beneficiaries.through


def _beneficiaries(user):
    return (
        Beneficiary.objects.filter(
            project__in=scoped(Project, user), household__in=scoped(Household, user)
        )
        .select_related("project", "household")
        .order_by("pk")
    )


def _beneficiary_prepare(data, values, user, refs=None):
    if data.get("project") is None:
        raise Refused("project", _("须填写项目名称或项目编号"))


PROJECT_BENEFICIARIES = Layout(
    kind="project_beneficiaries",
    title="项目受益户",
    model=Beneficiary,
    columns=(
        *_project_cols(required=False),
        Col(
            "household",
            ("户编号",),
            "ref",
            True,
            model_field="household",
            export=lambda o: o.household.household_no,
        ),
    ),
    resolvers={
        "project_id": _numbered(Project),
        "project": _named(Project),
        "household": households,
    },
    natural_key=("project", "household"),
    append_only=True,
    writer=lambda obj, created: projects.add_beneficiary(obj),
    bulk_writer=projects.add_beneficiaries,
    prepare=_beneficiary_prepare,
    queryset=_beneficiaries,
    permission="funds.project",
    error_column="household",
)

LAYOUTS = (
    SOURCES,
    DONATIONS,
    POOLS,
    POOL_INFLOWS,
    PROJECTS,
    PROJECT_OUTPUTS,
    PROJECT_BENEFICIARIES,
    ALLOCATIONS,
)
