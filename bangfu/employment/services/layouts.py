"""The sheet layouts of employment (`funds.services.sheets`): labour-export agreements and jobs —
the columns of both the import and the export (docs/economy.md, "Sheet layouts"). A member is
named by their 证件号码, masked in exports for users without `accounts.view_personal_data`
(such an export cannot be imported back: the numbers are hidden)."""

from __future__ import annotations

from bangfu.funds.services.layouts import region_col, regions, unit_col, units
from bangfu.funds.services.sheets import Col, Layout, by_pk, import_sheet, scoped
from bangfu.registry.models import Member

from ..choices import JobKind
from ..filters import AgreementFilterSet, JobFilterSet
from ..models import Job, LabourAgreement
from . import jobs


def _members(user, keys):
    qs = scoped(Member, user).select_related("household")
    return {m.id_number: m for m in qs.filter(id_number__in=keys)}


def _agreements(user, keys):
    found: dict = {}
    for a in scoped(LabourAgreement, user).filter(company__in=keys).order_by("-start_date", "pk"):
        found.setdefault(a.company, a)  # the latest agreement with the company
    return found


AGREEMENTS = Layout(
    kind="labour_agreements",
    title="劳务输出协议",
    model=LabourAgreement,
    columns=(
        Col("agreement_id", ("协议编号",), "int", export=lambda o: o.pk, write=False),
        Col("company", ("用工企业",), "text", True),
        region_col("region", ("输出地区代码", "区划代码")),
        unit_col(("促成单位", "单位")),
        Col("start_date", ("开始日期",), "date", True),
        Col("end_date", ("结束日期",), "date"),
        Col("places", ("岗位数",), "int", True),
        Col("note", ("备注",)),
    ),
    resolvers={"region": regions, "unit": units},
    natural_key=("company", "region", "start_date"),
    writer=lambda obj, created: jobs.save(obj),
    queryset=lambda user: scoped(LabourAgreement, user).select_related("unit").order_by("pk"),
    filterset=AgreementFilterSet,
    permission="employment.labouragreement",
    error_column="places",
)

JOBS = Layout(
    kind="jobs",
    title="就业",
    model=Job,
    columns=(
        Col(
            "id_number",
            ("证件号码", "身份证号码", "身份证号"),
            "ref",
            True,
            model_field="member",
            export=lambda o: o.member.id_number,
            personal=True,
        ),
        Col("kind", ("就业方式", "就业类型"), "choice", True, choices=JobKind),
        Col("employer", ("用工单位", "就业单位"), "text", True),
        Col("year", ("年度",), "int", True),
        Col("months", ("务工月数", "务工时间(月)"), "int", True),
        Col("income", ("务工收入", "收入"), "money", True),
        Col("start_date", ("开始日期",), "date", True),
        Col("end_date", ("结束日期",), "date"),
        Col(
            "agreement_id",
            ("协议编号",),
            "ref",
            model_field="agreement",
            export=lambda o: o.agreement_id or "",
        ),
        Col(
            "agreement",
            ("劳务输出协议", "协议企业"),
            "ref",
            model_field="agreement",
            export=lambda o: o.agreement.company if o.agreement_id else "",
        ),
    ),
    resolvers={
        "id_number": _members,
        "agreement_id": lambda user, keys: by_pk(scoped(LabourAgreement, user), keys),
        "agreement": _agreements,
    },
    natural_key=("member", "kind", "employer", "year"),
    writer=lambda obj, created: jobs.save(obj),
    bulk_writer=jobs.save_new_jobs,
    queryset=lambda user: scoped(Job, user).select_related("member", "agreement").order_by("pk"),
    filterset=JobFilterSet,
    permission="employment.job",
    error_column="income",
)

LAYOUTS = (AGREEMENTS, JOBS)


def import_jobs(path, user=None, partial: bool = False):
    return import_sheet(path, JOBS, user, partial)
