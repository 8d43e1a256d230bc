"""The sheet layouts of recurring commitments (`funds.services.sheets`): commitments and their
payments — the columns of both the import and the export (docs/economy.md, "Sheet layouts"). A
payment names its commitment by 承诺编号 (the first column of the commitments sheet)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bangfu.core.imports import normalize as norm
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


def _number(raw) -> int | None:
    try:
        return norm.integer(raw)
    except norm.NormalizeError:
        return None


# The commitments a payments file names, read once per import by the resolvers of its 户编号
# and 承诺编号 columns (one scoped query per column, as every reference of a sheet) and handed
# to `_payment_commitment` with the row (`refs`), so a row needs no query of its own. Both
# columns are write=False: the row's commitment is chosen by `_payment_commitment`.


def _payment_commitments_by_household(user, keys) -> dict:
    """{(户编号, 用途, 首期日期): [commitments]} of the file's households."""
    found: dict = {}
    queryset = scoped(Commitment, user).filter(household__household_no__in=list(keys))
    for c in queryset.select_related("household"):  # Meta ordering: as one lookup orders them
        found.setdefault((c.household.household_no, c.purpose, c.start_date), []).append(c)
    return found


def _payment_commitments_by_number(user, keys) -> dict:
    """{承诺编号 as written: the commitment or None}."""
    ids = {n for n in (_number(k) for k in keys) if n is not None}
    queryset = scoped(Commitment, user).filter(pk__in=ids).select_related("household")
    by_id = {c.pk: c for c in queryset}
    return {k: by_id.get(_number(k)) for k in keys}


def _payment_commitment(data, values, user, refs):
    """The commitment of a payment: by 户编号 + 用途 + 首期日期 when the row gives them (a file
    exported from another system, whose 承诺编号 mean nothing here), else by 承诺编号."""
    household_no, purpose, start = (
        values.get("household_no"),
        values.get("purpose"),
        values.get("start_date"),
    )
    raw_number = values.get("commitment_id")
    try:
        number = norm.integer(raw_number) if raw_number not in (None, "") else None
    except norm.NormalizeError as exc:
        raise Refused("commitment_id", str(exc)) from None
    if household_no and purpose and start:
        found = refs.get("household_no", {}).get((str(household_no), purpose, start), [])[:2]
        if len(found) == 1:
            data["commitment"] = found[0]
            return
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
    found = None
    if number is not None:
        found = refs.get("commitment_id", {}).get(str(raw_number))
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
        # references read by `_payment_commitment` (kind "ref": their resolvers read the
        # file's commitments in one query each); a 承诺编号 must still be a whole number
        Col("commitment_id", ("承诺编号",), "ref", export=lambda o: o.commitment_id, write=False),
        Col(
            "household_no",
            ("户编号",),
            "ref",
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
    resolvers={
        "commitment_id": _payment_commitments_by_number,
        "household_no": _payment_commitments_by_household,
    },
    natural_key=("period_start", "commitment"),
    writer=lambda obj, created: commitments.save(obj),
    bulk_writer=commitments.save_new_payments,
    queryset=lambda user: (
        scoped(CommitmentPayment, user).select_related("commitment__household").order_by("pk")
    ),
    prepare=_payment_commitment,
    filterset=PaymentFilterSet,
    permission="commitments.commitmentpayment",
    error_column="amount",
)

LAYOUTS = (COMMITMENTS, PAYMENTS)
