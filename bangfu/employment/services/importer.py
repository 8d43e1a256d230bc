"""Import of jobs from the counties' spreadsheets (`credit/services/sheets.py`): one row per
job — 证件号码 (the member), 就业方式, 用工单位, 年度, 务工月数, 务工收入（元 or 万元）, 开始日期,
结束日期, 劳务输出协议 (the company of an agreement, optional). A row matching an existing job
(same member, kind, employer, year) updates it."""

from __future__ import annotations

from bangfu.credit.services.sheets import Col, Layout, import_sheet
from bangfu.registry.models import Member

from ..choices import JobKind
from ..models import Job, LabourAgreement


def _members(user, keys):
    qs = Member.objects.for_user(user) if user is not None else Member.objects.all()
    return {m.id_number: m for m in qs.filter(id_number__in=keys).select_related("household")}


def _agreements(user, keys):
    qs = LabourAgreement.objects.for_user(user) if user is not None else LabourAgreement.objects
    found: dict = {}
    for a in qs.filter(company__in=keys).order_by("-start_date"):
        found.setdefault(a.company, a)  # the latest agreement with the company
    return found


JOBS = Layout(
    model=Job,
    columns=(
        Col("id_number", ("证件号码", "身份证号码", "身份证号"), "ref", True, model_field="member"),
        Col("kind", ("就业方式", "就业类型"), "choice", True, choices=JobKind),
        Col("employer", ("用工单位", "就业单位"), "text", True),
        Col("year", ("年度",), "int", True),
        Col("months", ("务工月数", "务工时间(月)"), "int", True),
        Col("income", ("务工收入", "收入"), "money", True),
        Col("start_date", ("开始日期",), "date", True),
        Col("end_date", ("结束日期",), "date"),
        Col("agreement", ("劳务输出协议", "协议企业"), "ref", model_field="agreement"),
    ),
    resolvers={"id_number": _members, "agreement": _agreements},
    natural_key=("member", "kind", "employer", "year"),
)


def import_jobs(path, user=None):
    return import_sheet(path, JOBS, user)
