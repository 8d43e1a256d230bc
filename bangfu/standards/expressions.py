"""The declarative form of a standard item's rule, its validation and its compilation to SQL.

An item's `expression` is a JSON predicate tree — never Python evaluated from text:

- ``{"all": [node, ...]}``, ``{"any": [node, ...]}``, ``{"not": node}``;
- a comparison ``{"field": NAME, "op": OP, "value": V}`` or ``{..., "threshold": NAME}``
  (the value of a `Threshold` of the survey year), OP one of eq, ne, in, gt, gte, lt, lte;
- member quantifiers ``{"no_member": node}``, ``{"every_member": node}``,
  ``{"any_member": node}`` whose node compares `member.*` fields.

Fields are a whitelist (`SURVEY_FIELDS`, `MEMBER_FIELDS`); an unknown field, operator, value
type or choice is a `ValidationError` naming it, so a bad rule is rejected when it is saved.

Per-person quantities (`survey.net_income_per_person`, `survey.farmland_per_person`) are
compared without dividing: ``total op value × household_size``, exact in SQL on every backend.
`member.age` is the age in full years on 1 September of the survey year; for a fixed year a
comparison on it is a comparison of `birth_date` with a date, so it stays an index-friendly
constant comparison.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q, Value
from django.utils.translation import gettext as _

from bangfu.registry import choices as rc

OPS = ("eq", "ne", "in", "gt", "gte", "lt", "lte")
LOOKUP = {"eq": "exact", "in": "in", "gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte"}


@dataclass(frozen=True)
class FieldSpec:
    kind: str  # "bool", "choice", "number", "ratio", "age"
    path: str = ""  # ORM path from Survey (or MemberSurvey for member fields)
    choices: tuple[str, ...] = ()


def _net_income():
    return (
        F("wage_income")
        + F("business_income")
        + F("property_income")
        + F("transfer_income")
        - F("business_expense")
    )


def _earned_income():
    return F("wage_income") + F("business_income") + F("property_income")


SURVEY_FIELDS: dict[str, FieldSpec] = {
    "survey.net_income_per_person": FieldSpec("ratio", "net_income"),
    "survey.farmland_per_person": FieldSpec("ratio", "farmland_mu"),
    "survey.earned_income": FieldSpec("number", "earned_income"),
    "survey.transfer_income": FieldSpec("number", "transfer_income"),
    "survey.housing_safety": FieldSpec("choice", "housing_safety", tuple(rc.HousingSafety.values)),
    "survey.relocated": FieldSpec("bool", "relocated"),
    "survey.safe_water": FieldSpec("bool", "safe_water"),
    "survey.electricity": FieldSpec("bool", "electricity"),
    "survey.tv_access": FieldSpec("bool", "tv_access"),
    "survey.road_hardened": FieldSpec("bool", "road_hardened"),
    "survey.food_clothing_secure": FieldSpec("bool", "food_clothing_secure"),
    "household.category": FieldSpec("choice", "household__category", tuple(rc.Category.values)),
}
MEMBER_FIELDS: dict[str, FieldSpec] = {
    "member.age": FieldSpec("age", "member__birth_date"),
    "member.schooling": FieldSpec("choice", "schooling", tuple(rc.Schooling.values)),
    "member.labour_ability": FieldSpec("choice", "labour_ability", tuple(rc.LabourAbility.values)),
    "member.medical_insurance": FieldSpec("bool", "medical_insurance"),
    "member.work_months": FieldSpec("number", "work_months"),
}
QUANTIFIERS = ("no_member", "every_member", "any_member")

# Annotations the compiled rules refer to (added to the Survey queryset by the evaluator).
SURVEY_ANNOTATIONS = {"net_income": _net_income, "earned_income": _earned_income}


def _number(value, where: str) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError(_("%(where)s：值必须是数字") % {"where": where})
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(where)s：值必须是数字") % {"where": where}) from None


# Village and county items aggregate over households and village facts; until their compiler
# exists they are named rules ({"builtin": code}) from this whitelist, not evaluated yet.
BUILTINS = (
    "featured_industry",
    "housing",
    "medical",
    "education",
    "road",
    "water",
    "electricity",
    "public_service",
    "tv",
    "collective_income",
    "committee",
    "incidence",
    "social_assistance",
)


def validate(node, thresholds: frozenset[str] | set[str] | None = None, member=False) -> None:
    """Raise ValidationError (Chinese, naming the field or key) unless `node` is a valid rule.
    `thresholds`, when given, are the threshold names a rule may refer to."""
    if not isinstance(node, dict) or len(node) == 0:
        raise ValidationError(_("规则必须是一个非空的 JSON 对象"))
    if "builtin" in node:
        if len(node) != 1 or member or node["builtin"] not in BUILTINS:
            raise ValidationError(_("未知的内置规则：%(name)s") % {"name": node["builtin"]})
        return
    if "all" in node or "any" in node:
        key = "all" if "all" in node else "any"
        parts = node[key]
        if len(node) != 1 or not isinstance(parts, list) or not parts:
            raise ValidationError(_("“%(key)s”必须是非空列表") % {"key": key})
        for part in parts:
            validate(part, thresholds, member)
        return
    if "not" in node:
        if len(node) != 1:
            raise ValidationError(_("“not”不能与其他键并列"))
        validate(node["not"], thresholds, member)
        return
    for q in QUANTIFIERS:
        if q in node:
            if member:
                raise ValidationError(_("“%(key)s”不能嵌套") % {"key": q})
            if len(node) != 1:
                raise ValidationError(_("“%(key)s”不能与其他键并列") % {"key": q})
            validate(node[q], thresholds, member=True)
            return
    name = node.get("field")
    fields = MEMBER_FIELDS if member else SURVEY_FIELDS
    if name not in fields:
        raise ValidationError(_("未知字段：%(field)s") % {"field": name})
    spec = fields[name]
    op = node.get("op")
    if op not in OPS:
        raise ValidationError(_("字段 %(field)s：未知运算符 %(op)s") % {"field": name, "op": op})
    extra = set(node) - {"field", "op", "value", "threshold"}
    if extra:
        raise ValidationError(
            _("字段 %(field)s：未知的键 %(keys)s")
            % {"field": name, "keys": ", ".join(sorted(extra))}
        )
    has_value, has_threshold = "value" in node, "threshold" in node
    if has_value == has_threshold:
        raise ValidationError(
            _("字段 %(field)s：必须给出 value 或 threshold 之一") % {"field": name}
        )
    if has_threshold:
        if spec.kind not in ("number", "ratio", "age") or op in ("in", "eq", "ne"):
            raise ValidationError(_("字段 %(field)s：只有数值比较可以引用阈值") % {"field": name})
        if thresholds is not None and node["threshold"] not in thresholds:
            raise ValidationError(
                _("字段 %(field)s：未知阈值 %(name)s") % {"field": name, "name": node["threshold"]}
            )
        return
    value = node["value"]
    if spec.kind == "bool":
        if op not in ("eq", "ne") or not isinstance(value, bool):
            raise ValidationError(_("字段 %(field)s：只能用 eq/ne 比较是或否") % {"field": name})
    elif spec.kind == "choice":
        values = value if op == "in" else [value]
        if op not in ("eq", "ne", "in") or not isinstance(values, list) or not values:
            raise ValidationError(_("字段 %(field)s：只能用 eq/ne/in 比较") % {"field": name})
        for v in values:
            if v not in spec.choices:
                raise ValidationError(
                    _("字段 %(field)s：不是有效的选项 %(value)s") % {"field": name, "value": v}
                )
    else:
        if op in ("in",):
            raise ValidationError(_("字段 %(field)s：数值不能用 in 比较") % {"field": name})
        _number(value, name)


def thresholds_used(node) -> list[str]:
    """The threshold names a rule refers to, in order of first use."""
    found: list[str] = []

    def walk(n):
        if "threshold" in n and n["threshold"] not in found:
            found.append(n["threshold"])
        for key in ("all", "any"):
            for part in n.get(key, ()):
                walk(part)
        for key in ("not", *QUANTIFIERS):
            if key in n:
                walk(n[key])

    walk(node)
    return found


def _age_q(path: str, op: str, age: Decimal, year: int) -> Q:
    """Age in full years on 1 September of `year` compared with `age` (an integer)."""
    n = int(age)
    sept = datetime.date(year, 9, 1)

    def born_by(k: int) -> datetime.date:  # age ≥ k ⇔ birth_date ≤ 1 Sept of (year − k)
        return sept.replace(year=year - k)

    if op == "gte":
        return Q(**{f"{path}__lte": born_by(n)})
    if op == "gt":
        return Q(**{f"{path}__lte": born_by(n + 1)})
    if op == "lte":
        return Q(**{f"{path}__gt": born_by(n + 1)})
    if op == "lt":
        return Q(**{f"{path}__gt": born_by(n)})
    within = Q(**{f"{path}__lte": born_by(n), f"{path}__gt": born_by(n + 1)})
    return within if op == "eq" else ~within


def compile_q(node, year: int, thresholds: dict[str, Decimal], member=False) -> Q:
    """The rule as a Q over Survey (annotated with SURVEY_ANNOTATIONS), or over MemberSurvey
    inside a quantifier. `thresholds` maps names to the values of the survey year."""
    from bangfu.registry.models import MemberSurvey

    if "all" in node:
        q = Q()
        for part in node["all"]:
            q &= compile_q(part, year, thresholds, member)
        return q
    if "any" in node:
        q = Q(pk__in=[])
        for part in node["any"]:
            q |= compile_q(part, year, thresholds, member)
        return q
    if "not" in node:
        return ~compile_q(node["not"], year, thresholds, member)
    for quant in QUANTIFIERS:
        if quant in node:
            inner = compile_q(node[quant], year, thresholds, member=True)
            members = MemberSurvey.objects.filter(survey=OuterRef("pk"))
            if quant == "any_member":
                return Q(Exists(members.filter(inner)))
            if quant == "no_member":
                return ~Q(Exists(members.filter(inner)))
            return ~Q(Exists(members.exclude(inner)))
    name, op = node["field"], node["op"]
    spec = (MEMBER_FIELDS if member else SURVEY_FIELDS)[name]
    value = thresholds[node["threshold"]] if "threshold" in node else node["value"]
    if spec.kind == "age":
        return _age_q(spec.path, op, Decimal(str(value)), year)
    if spec.kind == "ratio":
        # total / size op v  ⇔  total op v × size  (size > 0)
        rhs = Value(Decimal(str(value))) * F("household_size")
        if op in ("eq", "ne"):
            q = Q(**{f"{spec.path}": rhs})
            return q if op == "eq" else ~q
        return Q(**{f"{spec.path}__{LOOKUP[op]}": rhs})
    if spec.kind == "number":
        value = Decimal(str(value))
        path = spec.path
        if member:  # a member without the fact (e.g. no work months) counts as 0
            return _nullable_number_q(path, op, value)
    else:
        path = spec.path
    if op == "ne":
        return ~Q(**{path: value})
    return Q(**{f"{path}__{LOOKUP[op]}": value})


def _nullable_number_q(path: str, op: str, value: Decimal) -> Q:
    zero_ok = {
        "eq": value == 0,
        "ne": value != 0,
        "gt": 0 > value,
        "gte": 0 >= value,
        "lt": 0 < value,
        "lte": 0 <= value,
    }[op]
    q = ~Q(**{path: value}) if op == "ne" else Q(**{f"{path}__{LOOKUP[op]}": value})
    q = q & Q(**{f"{path}__isnull": False})
    return q | Q(**{f"{path}__isnull": True}) if zero_ok else q


# --- Compilation to SQL text (the set-based evaluator's INSERT … SELECT) -------------------------
#
# compile_sql() turns a rule into a boolean SQL expression over the aliases `s` (registry_survey),
# `h` (registry_household) and, for member quantifiers, a per-survey aggregate `a` whose columns
# `a.q0`, `a.q1`, … count the members (registry_membersurvey `ms` joined to registry_member `m`)
# that satisfy — or, for every_member, violate — the quantifier's inner rule. The aggregates are
# collected in `SqlContext.aggregates` so the evaluator computes them all in one GROUP BY pass.

SQL_COLUMNS = {
    "farmland_mu": "s.farmland_mu",
    "housing_safety": "s.housing_safety",
    "relocated": "s.relocated",
    "safe_water": "s.safe_water",
    "electricity": "s.electricity",
    "tv_access": "s.tv_access",
    "road_hardened": "s.road_hardened",
    "food_clothing_secure": "s.food_clothing_secure",
    "transfer_income": "s.transfer_income",
    "household__category": "h.category",
    "net_income": (
        "(s.wage_income + s.business_income + s.property_income + s.transfer_income"
        " - s.business_expense)"
    ),
    "earned_income": "(s.wage_income + s.business_income + s.property_income)",
    # looked up only for the members that pass the cheaper parts of a rule (see compile_sql)
    "member__birth_date": "(SELECT mm.birth_date FROM registry_member mm WHERE mm.id = ms.member_id)",
    "schooling": "ms.schooling",
    "labour_ability": "ms.labour_ability",
    "medical_insurance": "ms.medical_insurance",
    "work_months": "COALESCE(ms.work_months, 0)",
}
SQL_OPS = {"eq": "=", "ne": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


@dataclass
class SqlContext:
    year: int
    thresholds: dict
    vendor: str = "sqlite"
    aggregates: list = None  # [(sql, params)] — one SUM(CASE …) per quantifier
    inline: bool = False  # aggregates in place (a GROUP BY s.id query) instead of `a.qN`

    def __post_init__(self):
        if self.aggregates is None:
            self.aggregates = []

    def number(self, value) -> tuple[str, list]:
        return "CAST(%s AS NUMERIC)", [str(Decimal(str(value)))]

    def date(self, d: datetime.date):
        return d.isoformat() if self.vendor == "sqlite" else d


def compile_sql(node, ctx: SqlContext, member: bool = False) -> tuple[str, list]:
    """The rule as (boolean SQL, params); see the block comment above for the aliases."""
    if "all" in node or "any" in node:
        key = "all" if "all" in node else "any"
        if key == "all" and member:
            # the parts on member facts first; the birth date (a lookup of the member row) only
            # for the members that pass them: CASE WHEN cheap THEN dear ELSE FALSE END
            cheap = [p for p in node["all"] if not _uses_age(p)]
            dear = [p for p in node["all"] if _uses_age(p)]
            if cheap and dear:
                c_sql, c_params = compile_sql({"all": cheap}, ctx, member)
                d_sql, d_params = compile_sql({"all": dear}, ctx, member)
                return f"(CASE WHEN {c_sql} THEN {d_sql} ELSE FALSE END)", c_params + d_params
        parts = [compile_sql(p, ctx, member) for p in node[key]]
        joiner = " AND " if key == "all" else " OR "
        return "(" + joiner.join(p[0] for p in parts) + ")", [x for p in parts for x in p[1]]
    if "not" in node:
        sql, params = compile_sql(node["not"], ctx, member)
        return f"(NOT {sql})", params
    for quant in QUANTIFIERS:
        if quant in node:
            inner, params = compile_sql(node[quant], ctx, member=True)
            if quant == "every_member":
                agg = f"SUM(CASE WHEN {inner} THEN 0 ELSE 1 END)"
            else:
                agg = f"SUM(CASE WHEN {inner} THEN 1 ELSE 0 END)"
            n = len(ctx.aggregates)
            ctx.aggregates.append((agg, params))
            test = "> 0" if quant == "any_member" else "= 0"
            if ctx.inline:
                return f"(COALESCE({agg}, 0) {test})", params
            return f"(COALESCE(a.q{n}, 0) {test})", []
    name, op = node["field"], node["op"]
    spec = (MEMBER_FIELDS if member else SURVEY_FIELDS)[name]
    value = ctx.thresholds[node["threshold"]] if "threshold" in node else node["value"]
    col = SQL_COLUMNS[spec.path]
    if spec.kind == "age":
        return _age_sql(col, op, int(Decimal(str(value))), ctx)
    if spec.kind == "ratio":
        # total / size op v  ⇔  total op v × size (size > 0); in whole fen on SQLite, whose
        # decimals are floating point, so that "equal to the line" is exactly equal.
        v = str(Decimal(str(value)))
        if ctx.vendor == "sqlite":
            lhs = f"ROUND({col} * 100)"
            rhs = "(ROUND(CAST(%s AS NUMERIC) * 100) * s.household_size)"
        else:
            lhs, rhs = col, "(CAST(%s AS NUMERIC) * s.household_size)"
        return f"({lhs} {SQL_OPS[op]} {rhs})", [v]
    if spec.kind == "number":
        if ctx.vendor == "sqlite" and spec.path != "work_months":
            return (
                f"(ROUND({col} * 100) {SQL_OPS[op]} ROUND(CAST(%s AS NUMERIC) * 100))",
                [str(Decimal(str(value)))],
            )
        return f"({col} {SQL_OPS[op]} CAST(%s AS NUMERIC))", [str(Decimal(str(value)))]
    if op == "in":
        marks = ", ".join(["%s"] * len(value))
        return f"({col} IN ({marks}))", list(value)
    return f"({col} {SQL_OPS[op]} %s)", [value]


def _uses_age(node) -> bool:
    if node.get("field") == "member.age":
        return True
    return any(_uses_age(p) for key in ("all", "any") for p in node.get(key, ())) or (
        "not" in node and _uses_age(node["not"])
    )


def _age_sql(col: str, op: str, n: int, ctx: SqlContext) -> tuple[str, list]:
    """Age in full years on 1 September of the year compared with n, as birth-date bounds."""
    sept = datetime.date(ctx.year, 9, 1)

    def born_by(k: int):  # age ≥ k ⇔ birth_date ≤ 1 Sept of (year − k)
        return ctx.date(sept.replace(year=ctx.year - k))

    if op == "gte":
        return f"({col} <= %s)", [born_by(n)]
    if op == "gt":
        return f"({col} <= %s)", [born_by(n + 1)]
    if op == "lte":
        return f"({col} > %s)", [born_by(n + 1)]
    if op == "lt":
        return f"({col} > %s)", [born_by(n)]
    within = f"({col} <= %s AND {col} > %s)"
    if op == "eq":
        return within, [born_by(n), born_by(n + 1)]
    return f"(NOT {within})", [born_by(n), born_by(n + 1)]


# --- In-memory evaluation (the what-if form) -----------------------------------------------------
#
# The same rule tree evaluated over plain values, with the semantics of compile_sql: per-person
# quantities compared as total op value × size, age in full years on 1 September, a member's
# missing work months as 0. Property-tested against the SQL evaluation (tests/test_whatif.py).


def facts_from_survey(survey) -> tuple[dict, list[dict]]:
    """(survey facts keyed by FieldSpec.path, member facts) of a registry Survey."""
    facts = {
        "net_income": survey.wage_income
        + survey.business_income
        + survey.property_income
        + survey.transfer_income
        - survey.business_expense,
        "earned_income": survey.wage_income + survey.business_income + survey.property_income,
        "household_size": survey.household_size,
        "household__category": survey.household.category,
    }
    for name in (
        "wage_income",
        "business_income",
        "property_income",
        "transfer_income",
        "business_expense",
        "farmland_mu",
        "housing_safety",
        "relocated",
        "safe_water",
        "electricity",
        "tv_access",
        "road_hardened",
        "food_clothing_secure",
    ):
        facts[name] = getattr(survey, name)
    members = [
        {
            "member_id": ms.member_id,
            "member__birth_date": ms.member.birth_date,
            "schooling": ms.schooling,
            "labour_ability": ms.labour_ability,
            "medical_insurance": ms.medical_insurance,
            "work_months": ms.work_months,
        }
        for ms in survey.member_surveys.select_related("member").order_by("member_id")
    ]
    return facts, members


def _cmp(left, op: str, right) -> bool:
    if op == "eq":
        return left == right
    if op == "ne":
        return left != right
    if op == "in":
        return left in right
    return {
        "gt": left > right,
        "gte": left >= right,
        "lt": left < right,
        "lte": left <= right,
    }[op]


def evaluate_py(node, facts: dict, members: list[dict], year: int, thresholds: dict, member=None):
    """True when the rule passes for these facts (see the block comment above)."""
    if "all" in node:
        return all(evaluate_py(p, facts, members, year, thresholds, member) for p in node["all"])
    if "any" in node:
        return any(evaluate_py(p, facts, members, year, thresholds, member) for p in node["any"])
    if "not" in node:
        return not evaluate_py(node["not"], facts, members, year, thresholds, member)
    for quant in QUANTIFIERS:
        if quant in node:
            hits = [evaluate_py(node[quant], facts, members, year, thresholds, m) for m in members]
            if quant == "any_member":
                return any(hits)
            if quant == "no_member":
                return not any(hits)
            return all(hits)
    name, op = node["field"], node["op"]
    spec = (MEMBER_FIELDS if member is not None else SURVEY_FIELDS)[name]
    value = thresholds[node["threshold"]] if "threshold" in node else node["value"]
    source = member if member is not None else facts
    if spec.kind == "age":
        born = source[spec.path]
        sept = datetime.date(year, 9, 1)
        age = year - born.year - ((born.month, born.day) > (sept.month, sept.day))
        return _cmp(age, op, int(Decimal(str(value))))
    if spec.kind == "ratio":
        total = Decimal(str(source[spec.path]))
        return _cmp(total, op, Decimal(str(value)) * int(facts["household_size"]))
    if spec.kind == "number":
        actual = source.get(spec.path)
        return _cmp(Decimal(str(actual if actual is not None else 0)), op, Decimal(str(value)))
    return _cmp(source[spec.path], op, value)
