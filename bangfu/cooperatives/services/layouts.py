"""The sheet layouts of cooperatives (`funds.services.sheets`): cooperatives, members, purchase
contracts, years (profit, jobs) and dividends — the columns of both the import and the export
(docs/economy.md, "Sheet layouts"). A cooperative is named by its 合作社编号 or its name; a member
by the household's 户编号, or by the name of a member who is not a registered household."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bangfu.funds.services.layouts import households, region_col, regions, unit_col, units
from bangfu.funds.services.sheets import (
    AMBIGUOUS,
    Col,
    Layout,
    Refused,
    by_key,
    by_pk,
    scoped,
)

from ..choices import Industry
from ..filters import CooperativeFilterSet, DividendFilterSet, MembershipFilterSet
from ..models import Cooperative, CooperativeYear, Dividend, Membership, PurchaseContract
from . import cooperatives
from .rules import membership_runs_in


def _coop_cols():
    return (
        Col(
            "cooperative_id",
            ("合作社编号",),
            "ref",
            model_field="cooperative",
            export=lambda o: o.cooperative_id,
        ),
        Col(
            "cooperative",
            ("合作社名称", "合作社"),
            "ref",
            model_field="cooperative",
            export=lambda o: o.cooperative.name,
        ),
    )


COOP_RESOLVERS = {
    "cooperative_id": lambda user, keys: by_pk(scoped(Cooperative, user), keys),
    "cooperative": lambda user, keys: by_key(scoped(Cooperative, user), "name", keys),
}


def _save(obj, created):
    return cooperatives.save(obj)


def _household_no(membership) -> str:
    return membership.household.household_no if membership.household_id else ""


def _needs_cooperative(data, values, user, refs=None):
    if data.get("cooperative") is None:
        raise Refused("cooperative", _("请填写合作社编号或合作社名称"))


COOPERATIVES = Layout(
    kind="cooperatives",
    title="合作社",
    model=Cooperative,
    columns=(
        Col("cooperative_id", ("合作社编号",), "int", export=lambda o: o.pk, write=False),
        Col("name", ("合作社名称",), "text", True),
        region_col("village", ("村代码", "区划代码")),
        Col("industry", ("产业",), "choice", True, choices=Industry),
        Col("founded", ("成立日期",), "date"),
        Col("registered_no", ("统一社会信用代码",)),
        unit_col(("帮扶单位", "单位")),
        Col("note", ("备注",)),
    ),
    resolvers={"village": regions, "unit": units},
    natural_key=("name", "village"),
    writer=_save,
    queryset=lambda user: scoped(Cooperative, user).select_related("unit").order_by("pk"),
    filterset=CooperativeFilterSet,
    permission="cooperatives.cooperative",
)

MEMBERSHIPS = Layout(
    kind="memberships",
    title="合作社社员",
    model=Membership,
    columns=(
        *_coop_cols(),
        Col("household", ("户编号",), "ref", model_field="household", export=_household_no),
        Col("name", ("社员姓名",)),
        Col("shares", ("入股金额", "股金"), "money"),
        Col("joined", ("入社日期",), "date", True),
        Col("left", ("退社日期",), "date"),
    ),
    resolvers={**COOP_RESOLVERS, "household": households},
    natural_key=("cooperative", "household", "name"),
    defaults={"name": "", "shares": 0},
    writer=_save,
    bulk_writer=cooperatives.save_new_memberships,
    queryset=lambda user: (
        scoped(Membership, user).select_related("cooperative", "household").order_by("pk")
    ),
    filterset=MembershipFilterSet,
    permission="cooperatives.membership",
    error_column="shares",
    prepare=_needs_cooperative,
)

CONTRACTS = Layout(
    kind="contracts",
    title="收购合同",
    model=PurchaseContract,
    columns=(
        *_coop_cols(),
        Col("buyer", ("收购方",), "text", True),
        Col("product", ("产品",), "text", True),
        Col("start_date", ("开始日期",), "date", True),
        Col("end_date", ("结束日期",), "date"),
        Col("quantity", ("数量",)),
        Col("price", ("价格",)),
    ),
    resolvers=COOP_RESOLVERS,
    natural_key=("cooperative", "buyer", "product", "start_date"),
    writer=_save,
    queryset=lambda user: (
        scoped(PurchaseContract, user).select_related("cooperative").order_by("pk")
    ),
    permission="cooperatives.purchasecontract",
    prepare=_needs_cooperative,
)

YEARS = Layout(
    kind="cooperative_years",
    title="合作社年度",
    model=CooperativeYear,
    columns=(
        *_coop_cols(),
        Col("year", ("年度",), "int", True),
        Col("profit", ("利润",), "money"),
        Col("jobs", ("带动就业人数",), "int"),
        Col("poor_jobs", ("其中建档立卡人数",), "int"),
    ),
    resolvers=COOP_RESOLVERS,
    natural_key=("cooperative", "year"),
    defaults={"profit": 0, "jobs": 0, "poor_jobs": 0},
    writer=_save,
    queryset=lambda user: (
        scoped(CooperativeYear, user).select_related("cooperative").order_by("pk")
    ),
    permission="cooperatives.cooperativeyear",
    error_column="profit",
    prepare=_needs_cooperative,
)


class _Members:
    """The memberships of the cooperatives a dividends file names (those one reference column
    resolved), read in one query at the first row that needs them — inside the import's
    transaction — and looked up in memory by household or by name: `_dividend_member` without
    a query per row. Each membership holds its cooperative and household, so the rules'
    messages and the audit entries read no more."""

    CHUNK = 5000  # cooperative ids per query (SQLite's limit on parameters)

    def __init__(self, coops) -> None:
        self.coops = {c.pk: c for c in coops}
        self.by_household: dict | None = None
        self.by_name: dict = {}

    def _load(self) -> None:
        self.by_household = {}
        ids = sorted(self.coops)
        for start in range(0, len(ids), self.CHUNK):
            chunk = ids[start : start + self.CHUNK]
            rows = Membership.objects.filter(cooperative_id__in=chunk).select_related("household")
            for m in rows.order_by("pk"):
                m.cooperative = self.coops[m.cooperative_id]
                if m.household_id:
                    self.by_household.setdefault((m.cooperative_id, m.household_id), []).append(m)
                self.by_name.setdefault((m.cooperative_id, m.name), []).append(m)

    def of(self, coop, household, name: str) -> list:
        """The cooperative's memberships of `household`, or else named `name`, by id."""
        if self.by_household is None:
            self._load()
        if household is not None:
            return self.by_household.get((coop.pk, household.pk), [])
        return self.by_name.get((coop.pk, name), [])


def _with_members(resolve):
    """A cooperative resolver that also gives the cooperatives it finds one shared `_Members`."""

    def resolver(user, keys):
        found = resolve(user, keys)
        coops = [c for c in found.values() if c is not AMBIGUOUS]
        members = _Members(coops)
        for coop in coops:
            coop._import_members = members
        return found

    return resolver


def _dividend_member(data, values, user, refs=None):
    """The membership running in the dividend's year of the household (户编号) or of the named
    member: refused when there is none (a dividend to a household that is not a member)."""
    _needs_cooperative(data, values, user)
    coop, year = data["cooperative"], data.get("year")
    household, name = data.pop("household", None), (values.get("name") or "").strip()
    if household is None and not name:
        raise Refused("household", _("请填写户编号，或非建档立卡社员的姓名"))
    known = getattr(coop, "_import_members", None)
    if known is not None:
        members = known.of(coop, household, name)
    else:
        members = Membership.objects.filter(cooperative=coop)
        members = members.filter(household=household) if household else members.filter(name=name)
        members = members.order_by("pk")
    membership = next((m for m in members if membership_runs_in(m, year)), None)
    if membership is None:
        raise Refused(
            "household" if household else "name",
            _("%(member)s在%(year)s年不是%(coop)s的社员，不能分红")
            % {"member": household or name, "year": year, "coop": coop},
        )
    data["membership"] = membership


DIVIDENDS = Layout(
    kind="dividends",
    title="分红",
    model=Dividend,
    columns=(
        *_coop_cols(),
        Col(
            "household",
            ("户编号",),
            "ref",
            model_field="household",
            export=lambda o: _household_no(o.membership),
        ),
        Col("name", ("社员姓名",), export=lambda o: o.membership.name, write=False),
        Col("year", ("分红年度", "年度"), "int", True),
        Col("amount", ("分红金额", "金额"), "money", True),
        Col("paid_on", ("发放日期",), "date"),
    ),
    resolvers={
        **{f: _with_members(resolve) for f, resolve in COOP_RESOLVERS.items()},
        "household": households,
    },
    # the cooperative first: the existing dividends a file may match are read for the file's
    # cooperatives only (by year first, they were read for every cooperative of those years)
    natural_key=("cooperative", "year", "membership"),
    writer=_save,
    bulk_writer=cooperatives.save_new_dividends,
    queryset=lambda user: (
        scoped(Dividend, user).select_related("cooperative", "membership__household").order_by("pk")
    ),
    filterset=DividendFilterSet,
    permission="cooperatives.dividend",
    error_column="amount",
    prepare=_dividend_member,
)

LAYOUTS = (COOPERATIVES, MEMBERSHIPS, CONTRACTS, YEARS, DIVIDENDS)
