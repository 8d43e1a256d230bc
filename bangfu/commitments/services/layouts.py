"""The sheet layouts of recurring commitments (`funds.services.sheets`): commitments and their
payments — the columns of both the import and the export (docs/economy.md, "Sheet layouts"). A
payment names its commitment by 承诺编号 (the first column of the commitments sheet)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bangfu.funds.services.layouts import households, unit_col, units
from bangfu.funds.services.sheets import Col, Layout, Refused, scoped
from bangfu.registry.models import Member

from ..choices import EndEvent, Period
from ..filters import CommitmentFilterSet, PaymentFilterSet
from ..models import Commitment, CommitmentPayment
from . import commitments


def _members(user, keys):
    return {m.id_number: m for m in scoped(Member, user).filter(id_number__in=keys)}


COMMITMENTS = Layout(
    kind="commitments",
    title="帮扶承诺",
    model=Commitment,
    columns=(
        Col("commitment_id", ("承诺编号",), "int", export=lambda o: o.pk, write=False),
        Col(
            "household",
            ("户编号",),
            "ref",
            True,
            model_field="household",
            export=lambda o: o.household.household_no,
        ),
        Col(
            "member",
            ("受助成员证件号码", "证件号码"),
            "ref",
            model_field="member",
            export=lambda o: o.member.id_number if o.member_id else "",
            personal=True,
        ),
        unit_col(("承诺单位", "单位")),
        Col("donor", ("承诺人",)),
        Col("purpose", ("用途",), "text", True),
        Col("amount", ("每期金额", "金额"), "money", True),
        Col("period", ("发放周期",), "choice", True, choices=Period),
        Col("start_date", ("首期日期",), "date", True),
        Col("end_date", ("结束日期",), "date"),
        Col("end_event", ("直到",), "choice", choices=EndEvent),
        Col("event_date", ("事件发生日期",), "date"),
    ),
    resolvers={"household": households, "member": _members, "unit": units},
    natural_key=("household", "member", "purpose", "start_date"),
    defaults={"donor": "", "end_event": ""},
    writer=lambda obj, created: commitments.save(obj),
    queryset=lambda user: (
        scoped(Commitment, user).select_related("household", "member", "unit").order_by("pk")
    ),
    filterset=CommitmentFilterSet,
    permission="commitments.commitment",
    error_column="amount",
)


def _payment_commitment(data, values, user):
    """The commitment of a payment: by 户编号 + 用途 + 首期日期 when the row gives them (a file
    exported from another system, whose 承诺编号 mean nothing here), else by 承诺编号."""
    household_no, purpose, start = (
        values.get("household_no"),
        values.get("purpose"),
        values.get("start_date"),
    )
    if household_no and purpose and start:
        found = list(
            scoped(Commitment, user).filter(
                household__household_no=household_no, purpose=purpose, start_date=start
            )[:2]
        )
        if len(found) == 1:
            data["commitment"] = found[0]
            return
        number = values.get("commitment_id")
        chosen = next((c for c in found if c.pk == number), None)
        if chosen is not None:
            data["commitment"] = chosen
            return
        if not found:
            raise Refused(
                "household_no",
                _("找不到该户用途为“%(purpose)s”、首期%(start)s的承诺")
                % {"purpose": purpose, "start": start.isoformat()},
            )
    number = values.get("commitment_id")
    found = scoped(Commitment, user).filter(pk=number).first() if number else None
    if found is None:
        raise Refused(
            "commitment_id",
            _("找不到“%(value)s”，或不在您的管辖范围内") % {"value": number}
            if number
            else _("请填写承诺编号，或户编号、用途和首期日期"),
        )
    data["commitment"] = found


PAYMENTS = Layout(
    kind="commitment_payments",
    title="承诺发放",
    model=CommitmentPayment,
    columns=(
        Col("commitment_id", ("承诺编号",), "int", export=lambda o: o.commitment_id, write=False),
        Col(
            "household_no",
            ("户编号",),
            export=lambda o: o.commitment.household.household_no,
            write=False,
        ),
        Col("purpose", ("用途",), export=lambda o: o.commitment.purpose, write=False),
        Col(
            "start_date",
            ("首期日期",),
            "date",
            export=lambda o: o.commitment.start_date,
            write=False,
        ),
        Col("period_start", ("所属期", "应发日期"), "date", True),
        Col("date", ("发放日期",), "date", True),
        Col("amount", ("发放金额", "金额"), "money", True),
        Col("note", ("备注",)),
    ),
    natural_key=("period_start", "commitment"),
    writer=lambda obj, created: commitments.save(obj),
    queryset=lambda user: (
        scoped(CommitmentPayment, user).select_related("commitment__household").order_by("pk")
    ),
    prepare=_payment_commitment,
    filterset=PaymentFilterSet,
    permission="commitments.commitmentpayment",
    error_column="amount",
)

LAYOUTS = (COMMITMENTS, PAYMENTS)
