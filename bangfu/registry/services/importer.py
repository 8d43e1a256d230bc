"""Import of the registry exchange file (建档立卡信息表, one row per person).

The layout and every rule are in docs/domain exchange-format.md. The import works in three
phases so that memory does not grow with the file and no phase touches one ORM object per row:

1. **Read and check rows** (autocommit, progress visible to a polling page): the file is
   streamed, every row is normalised and checked in plain Python, and the normalised row is
   written in batches into a per-import TEMP staging table (COPY on PostgreSQL, executemany on
   SQLite).
2. **Check households** over the staging table: duplicate ID numbers in the file and against the
   registry are found with GROUP BY / JOIN in SQL; size, the one head and the repeated household
   fields are checked while streaming the staging table ordered by household number.
3. **Merge** (one transaction): households are read back from the staging table in chunks and
   written with bulk_create / bulk_update, with the audit entries of each chunk built from the
   differences and written with `audit.bulk_record()`.

Nothing is written unless every row is valid, except with `partial=True`, which writes the
households whose rows are all valid.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import json
import marshal
import operator
import re
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bangfu.core import audit
from bangfu.core.choices import AuditAction, ChangeSource, ImportStatus
from bangfu.core.imports import bulk
from bangfu.core.imports import normalize as norm
from bangfu.core.imports.errors import RowError, write_report
from bangfu.core.imports.reader import FileUnreadable, Table, open_table
from bangfu.core.imports.runner import Progress
from bangfu.core.models import ImportBatch
from bangfu.core.scoping import user_region_code
from bangfu.regions.codes import InvalidRegionCode, normalize_code
from bangfu.regions.models import Region

from .. import copies, idnumber, models
from ..choices import (
    ALIASES,
    Category,
    Cause,
    Education,
    Health,
    HousingSafety,
    LabourAbility,
    Relation,
    Schooling,
    Sex,
    Status,
    WorkStatus,
)
from ..models import Household, Member, MemberSurvey, StatusChange, Survey

KIND = "registry"
MIN_YEAR = 2014
CENT = Decimal("0.01")
CHUNK_HOUSEHOLDS = 1000
_SPACES = re.compile(r"\s+")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_EXCEL_NUMBER = re.compile(r"\d+(\.\d*)?([eE][+-]?\d+)?")
# The staged form of a row's household and member dicts (plain str/int/bool/None values):
# marshal, ≈ 10× cheaper than JSON both ways. It never leaves this process: it is written to
# and read back from the import's own TEMP table (a BLOB on SQLite, bytea on PostgreSQL).
_stage_dumps = marshal.dumps
_stage_loads = marshal.loads


@dataclass(frozen=True)
class Col:
    """A column of the exchange layout: field (the English alias), Chinese header, rule."""

    field: str
    header: str
    kind: str
    required: bool = False
    household: bool = True
    choices: type | None = None


COLUMNS: tuple[Col, ...] = (
    Col("region_code", "行政区划代码", "region", True),
    Col("county", "县", "name"),
    Col("township", "乡镇", "name"),
    Col("village", "村", "name"),
    Col("group", "村民小组", "text"),
    Col("household_no", "户编号", "text", True),
    Col("category", "贫困户属性", "choice", True, choices=Category),
    Col("status", "户类型", "choice", True, choices=Status),
    Col("registered_year", "纳入年度", "year", True),
    Col("exit_year", "脱贫年度", "year"),
    Col("main_cause", "主要致贫原因", "choice", True, choices=Cause),
    Col("other_causes", "其他致贫原因", "causes"),
    Col("phone", "联系电话", "phone"),
    Col("farmland_mu", "耕地面积(亩)", "money", True),
    Col("housing_safety", "住房安全等级", "choice", True, choices=HousingSafety),
    Col("relocated", "是否易地扶贫搬迁", "bool", True),
    Col("safe_water", "饮水安全", "bool", True),
    Col("electricity", "通生活用电", "bool", True),
    Col("tv_access", "通广播电视", "bool", True),
    Col("road_hardened", "自然村通硬化路", "bool", True),
    Col("food_clothing_secure", "吃穿不愁", "bool", True),
    Col("survey_year", "调查年度", "year", True),
    Col("wage_income", "工资性收入", "money", True),
    Col("business_income", "生产经营性收入", "money", True),
    Col("property_income", "财产性收入", "money", True),
    Col("transfer_income", "转移性收入", "money", True),
    Col("business_expense", "生产经营性支出", "money", True),
    Col("household_size", "家庭人口数", "size", True),
    Col("net_income_per_capita", "人均纯收入", "signed_money"),
    Col("name", "姓名", "text", True, household=False),
    Col("id_number", "证件号码", "id", True, household=False),
    Col("relation", "与户主关系", "choice", True, household=False, choices=Relation),
    Col("sex", "性别", "choice", household=False, choices=Sex),
    Col("birth_date", "出生日期", "date", household=False),
    Col("ethnicity", "民族", "text", household=False),
    Col("education", "文化程度", "choice", household=False, choices=Education),
    Col("schooling", "在校生状况", "choice", True, household=False, choices=Schooling),
    Col("health", "健康状况", "choice", household=False, choices=Health),
    Col("labour_ability", "劳动技能", "choice", True, household=False, choices=LabourAbility),
    Col("work_status", "务工状况", "choice", household=False, choices=WorkStatus),
    Col("work_months", "务工时间(月)", "months", household=False),
    Col("medical_insurance", "参加基本医疗保险", "bool", True, household=False),
    Col("critical_illness_insurance", "参加大病保险", "bool", household=False),
    Col("pension_insurance", "参加基本养老保险", "bool", household=False),
)
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}

# Extra header spellings seen in files from the national system.
HEADER_ALIASES = {
    "身份证号码": "id_number",
    "身份证号": "id_number",
    "公民身份证号码": "id_number",
    "证件号码(身份证)": "id_number",
    "行政区划": "region_code",
    "区划代码": "region_code",
    "县(区)": "county",
    "县区": "county",
    "乡(镇)": "township",
    "乡镇(街道)": "township",
    "行政村": "village",
    "村(社区)": "village",
    "组": "group",
    "自然村": "group",
    "耕地面积": "farmland_mu",
    "务工时间": "work_months",
    "家庭人口": "household_size",
    "人口数": "household_size",
}

# The record field lists live on the models (one home); the importer writes households by
# attname, and `household_no` is its key rather than a compared field.
HOUSEHOLD_FIELDS = tuple(
    "region_id" if f == "region" else f for f in models.HOUSEHOLD_FIELDS if f != "household_no"
)
SURVEY_FIELDS = models.SURVEY_FACT_FIELDS
MEMBER_FIELDS = ("name", "relation", "sex", "birth_date", "ethnicity")
MEMBER_SURVEY_FIELDS = models.MEMBER_FACT_FIELDS
MONEY_FIELDS = frozenset(
    {
        "farmland_mu",
        "wage_income",
        "business_income",
        "property_income",
        "transfer_income",
        "business_expense",
        "net_income_per_capita",
    }
)


def known_headers() -> dict[str, str]:
    """header_key → field for every Chinese header, English alias and extra spelling."""
    known = {}
    for col in COLUMNS:
        known[norm.header_key(col.header)] = col.field
        known[norm.header_key(col.field)] = col.field
    for alias, name in HEADER_ALIASES.items():
        known[norm.header_key(alias)] = name
    return known


@dataclass
class ImportResult:
    """The outcome of one import: what was written, what was rejected and why.

    status is an `ImportStatus`: done (every row written), rejected (errors, nothing written),
    partial (errors, the valid households written) or failed (the file could not be read).
    """

    status: str = ImportStatus.PENDING
    batch_id: int | None = None
    rows_total: int = 0
    rows_rejected: int = 0
    households_created: int = 0
    households_updated: int = 0
    households_unchanged: int = 0
    members_created: int = 0
    members_updated: int = 0
    members_unchanged: int = 0
    households_rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Headers of columns the importer does not know: kept out of the registry and reported.
    unknown_columns: list[str] = field(default_factory=list)
    # Warnings in the shape of the error report's rows (they go into the report, not `errors`).
    notes: list[RowError] = field(default_factory=list)
    message: str = ""
    error_file: str = ""
    # Seconds per phase (read, check, merge), for the benchmark and the logs.
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def households_written(self) -> int:
        return self.households_created + self.households_updated

    @property
    def exit_code(self) -> int:
        """0 every row written, 1 rows rejected, 2 file unreadable (the CLI contract)."""
        if self.status == ImportStatus.FAILED:
            return 2
        return 1 if self.errors else 0

    def summary(self) -> str:
        return _(
            "户：新增 %(hc)d，更新 %(hu)d，未变 %(hn)d；成员：新增 %(mc)d，更新 %(mu)d，未变 %(mn)d；"
            "共 %(rows)d 行，拒绝 %(rej)d 行"
        ) % {
            "hc": self.households_created,
            "hu": self.households_updated,
            "hn": self.households_unchanged,
            "mc": self.members_created,
            "mu": self.members_updated,
            "mn": self.members_unchanged,
            "rows": self.rows_total,
            "rej": self.rows_rejected,
        }


# --------------------------------------------------------------------------- row checks


class _RegionCache:
    """Region facts by short code, looked up once per distinct code (a county has few)."""

    def __init__(self) -> None:
        self._cache: dict[str, dict | None] = {}

    def get(self, code: str) -> dict | None:
        if code not in self._cache:
            prefixes = [code[:n] for n in (6, 9, 12, 15) if len(code) >= n]
            found = {
                r["code"]: r
                for r in Region.objects.filter(code__in=prefixes).values("code", "name", "level")
            }
            if code not in found:
                self._cache[code] = None
            else:
                self._cache[code] = {
                    "level": found[code]["level"],
                    "county": found.get(code[:6], {}).get("name"),
                    "township": found.get(code[:9], {}).get("name"),
                    "village": found.get(code[:12], {}).get("name"),
                }
        return self._cache[code]


class RowChecker:
    """Normalises and checks one row in plain Python; returns household and member dicts."""

    def __init__(self, table: Table, scope: str | None):
        self.table = table
        self.scope = scope
        self.regions = _RegionCache()
        self.lookups = {
            c.field: norm.choice_lookup(c.choices, ALIASES.get(c.choices))
            for c in COLUMNS
            if c.choices is not None
        }
        self.causes = self.lookups["main_cause"]
        present = table.fields
        self._last_key: tuple | None = None
        # True when the last row checked repeated the household columns of the row before it.
        self.repeated = False
        self._last_hh: dict = {}
        self._last_text = ""
        plan = [
            (
                c,
                present[c.field],
                table.header_for(c.field),
                {} if c.kind in self.CACHED_KINDS else None,
            )
            for c in COLUMNS
            if c.field in present
        ]
        self.hh_plan = [p for p in plan if p[0].household]
        self.mem_plan = [p for p in plan if not p[0].household]
        self.hh_indexes = [p[1] for p in self.hh_plan]
        self.hh_max_index = max(self.hh_indexes)
        self.hh_key = operator.itemgetter(*self.hh_indexes)
        # A member's columns other than name, ID number and birth date take few distinct
        # combinations in a file (choices, yes/no, months, ethnicity): each valid combination
        # is checked once and its values reused for every row repeating it.
        self.own_plan = [p for p in self.mem_plan if p[0].field in self.PER_PERSON]
        combo_plan = [p for p in self.mem_plan if p[0].field not in self.PER_PERSON]
        self.combo_indexes = [p[1] for p in combo_plan]
        self.combo_max_index = max(self.combo_indexes, default=-1)
        self.combo_key = (
            operator.itemgetter(*self.combo_indexes) if len(self.combo_indexes) > 1 else None
        )
        self.combos: dict[tuple, dict] = {}
        self.this_year = datetime.date.today().year

    PER_PERSON = frozenset({"name", "id_number", "birth_date"})

    CACHED_KINDS = frozenset(
        {
            "choice",
            "bool",
            "year",
            "money",
            "signed_money",
            "size",
            "months",
            "date",
            "causes",
            "region",
            "name",
        }
    )
    CACHE_LIMIT = 50_000

    def check(self, number: int, cells: list) -> tuple[dict, str, dict, list[RowError]]:
        """(household dict, its JSON text, member dict, errors) for one row.

        The household columns repeat on every row of a household, so when they are identical
        to the previous row's (and were valid) the previous result is reused; single values
        that repeat across the file (choices, yes/no, years, amounts) are parsed once each.
        """
        errors: list[RowError] = []
        width = len(cells)
        if width > self.hh_max_index:
            key = self.hh_key(cells)
        else:
            key = tuple(cells[i] if i < width else None for i in self.hh_indexes)
        self.repeated = key == self._last_key
        if self.repeated:
            hh, hh_text = self._last_hh, self._last_text
        else:
            hh = self.fill(number, cells, width, self.hh_plan, errors)
            self.household_checks(number, hh, errors)
            hh_text = _stage_dumps(hh)
            if errors:
                self._last_key = None
            else:
                self._last_key, self._last_hh, self._last_text = key, hh, hh_text
        combo_key = self.combo_key
        if combo_key is not None and width > self.combo_max_index:
            combo = combo_key(cells)
            known = self.combos.get(combo)
            if known is not None:
                mem = self.fill(number, cells, width, self.own_plan, errors, known.copy())
            else:
                seen = len(errors)
                mem = self.fill(number, cells, width, self.mem_plan, errors)
                if len(errors) == seen and len(self.combos) < self.CACHE_LIMIT:
                    per_person = self.PER_PERSON
                    self.combos[combo] = {k: v for k, v in mem.items() if k not in per_person}
        else:
            mem = self.fill(number, cells, width, self.mem_plan, errors)
        self.member_checks(number, mem, errors)
        return hh, hh_text, mem, errors

    def fill(
        self, number: int, cells: list, width: int, plan, errors: list[RowError], out=None
    ) -> dict:
        if out is None:
            out = {}
        halfwidth = norm.HALFWIDTH
        for col, index, header, cache in plan:
            raw = cells[index] if index < width else None
            if cache is not None:
                # Most cells repeat a value already parsed: answer from the cache first (an
                # empty cell is never cached, so it still reaches the check below).
                hit = cache.get(raw)
                if hit is not None:
                    if hit[0]:
                        out[col.field] = hit[1]
                    else:
                        errors.append(RowError(number, header, norm.text(raw), hit[1]))
                    continue
            if raw is None or raw == "" or (isinstance(raw, str) and not raw.strip()):
                if col.required:
                    errors.append(RowError(number, header, "", _("必填，不能为空")))
                continue
            kind = col.kind
            if kind == "text" and raw.__class__ is str:  # names: unique, not worth caching
                value = raw.translate(halfwidth).strip()
                if "  " in value or "\t" in value or "\n" in value:
                    value = _SPACES.sub(" ", value)
                out[col.field] = value
                continue
            if kind == "id":
                try:
                    out["id_number"] = check_id(raw)
                except ValueError as exc:
                    errors.append(RowError(number, header, norm.text(raw), str(exc)))
                continue
            if cache is not None:  # not in the cache (checked above)
                try:
                    hit = (True, self.parse(col, raw))
                except ValueError as exc:
                    hit = (False, str(exc))
                if len(cache) < self.CACHE_LIMIT:
                    cache[raw] = hit
                if hit[0]:
                    out[col.field] = hit[1]
                else:
                    errors.append(RowError(number, header, norm.text(raw), hit[1]))
                continue
            try:
                out[col.field] = self.parse(col, raw)
            except ValueError as exc:
                errors.append(RowError(number, header, norm.text(raw), str(exc)))
        return out

    def parse(self, col: Col, raw):
        kind = col.kind
        if kind == "text" or kind == "name":
            value = norm.text(raw)
            return (
                _SPACES.sub(" ", value)
                if "  " in value or "\t" in value or "\n" in value
                else value
            )
        if kind == "choice":
            code = self.lookups[col.field].get(norm.header_key(raw))
            if code is None:
                raise ValueError(
                    _("不是可选的值（可填：%(options)s）") % {"options": _options(col.choices)}
                )
            return code
        if kind == "bool":
            return norm.yes_no(raw)
        if kind == "year":
            year = norm.integer(raw)
            if year < MIN_YEAR:
                raise ValueError(_("年度应为 %(min)d 年或以后") % {"min": MIN_YEAR})
            if year > self.this_year + 1:
                raise ValueError(_("年度不能晚于 %(max)d 年") % {"max": self.this_year + 1})
            return year
        if kind in ("money", "signed_money"):
            if (
                raw.__class__ is str
                and raw.isascii()
                and raw.isdigit()
                and (raw[0] != "0" or len(raw) == 1)
            ):
                return raw + ".00"  # a clean whole amount: what the Decimal path gives
            value = norm.decimal(raw)
            if kind == "money" and value < 0:
                raise ValueError(_("不能为负数"))
            return str(value.quantize(CENT))
        if kind == "size":
            size = norm.integer(raw)
            if size < 1:
                raise ValueError(_("家庭人口数至少为 1"))
            if size > 99:
                raise ValueError(_("家庭人口数过大"))
            return size
        if kind == "months":
            months = norm.integer(raw)
            if not 0 <= months <= 12:
                raise ValueError(_("务工时间应在 0 到 12 个月之间"))
            return months
        if kind == "date":
            return norm.date(raw).isoformat()
        if kind == "id":
            return check_id(raw)
        if kind == "region":
            return self.region(raw)
        if kind == "causes":
            codes = []
            for part in re.split(r"[;；、,，/]", norm.text(raw)):
                part = part.strip()
                if not part:
                    continue
                code = self.causes.get(norm.header_key(part))
                if code is None:
                    raise ValueError(
                        _("“%(value)s”不是致贫原因（可填：%(options)s）")
                        % {"value": part, "options": _options(Cause)}
                    )
                if code not in codes:
                    codes.append(code)
            return ";".join(codes)
        if kind == "phone":
            if raw.__class__ is str and len(raw) == 11 and raw[0] == "1" and raw.isascii():
                if raw.isdigit():
                    return raw  # a clean mobile number
            value = norm.text(raw).replace(" ", "")
            if not re.fullmatch(r"1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8}|\+?86-?1\d{10}", value):
                raise ValueError(_("联系电话应为 11 位手机号码或固定电话号码"))
            return value
        raise AssertionError(kind)

    def region(self, raw) -> str:
        value = norm.text(raw)
        try:
            code = normalize_code(value)
        except InvalidRegionCode:
            raise ValueError(_("行政区划代码应为 12 位数字（村民小组 15 位）")) from None
        info = self.regions.get(code)
        if info is None:
            raise ValueError(_("行政区划代码不存在"))
        if info["level"] < 5:
            raise ValueError(_("行政区划代码应为村或村民小组，而不是乡镇、县或更高一级"))
        if self.scope is None or not code.startswith(self.scope):
            raise ValueError(_("该村不在您的管辖范围内，不能导入"))
        return code

    def household_checks(self, number: int, hh: dict, errors: list[RowError]) -> None:
        header = self.table.header_for
        status, exit_year = hh.get("status"), hh.get("exit_year")
        if status == Status.EXITED and exit_year is None and "status" in hh:
            errors.append(
                RowError(number, header("exit_year"), "", _("户类型为已脱贫时必须填写脱贫年度"))
            )
        if (
            exit_year is not None
            and hh.get("registered_year")
            and exit_year < hh["registered_year"]
        ):
            errors.append(
                RowError(number, header("exit_year"), str(exit_year), _("脱贫年度不能早于纳入年度"))
            )
        code = hh.get("region_code")
        if code:
            info = self.regions.get(code)
            for level in ("county", "township", "village"):
                given = hh.get(level)
                if given and info and info[level] and given.replace(" ", "") != info[level]:
                    errors.append(
                        RowError(
                            number,
                            header(level),
                            given,
                            _("与行政区划代码 %(code)s 不符（应为“%(name)s”）")
                            % {"code": code, "name": info[level]},
                        )
                    )
        self.net_income_check(number, hh, errors)

    def member_checks(self, number: int, mem: dict, errors: list[RowError]) -> None:
        header = self.table.header_for
        id_number = mem.get("id_number")
        if id_number:
            # check_id() has validated the number: 17 digits, an existing birth date.
            mem_sex = "male" if int(id_number[16]) % 2 else "female"
            born = f"{id_number[6:10]}-{id_number[10:12]}-{id_number[12:14]}"
            if mem.get("sex") and mem["sex"] != mem_sex:
                errors.append(
                    RowError(
                        number,
                        header("sex"),
                        _label(Sex, mem["sex"]),
                        _("性别与证件号码不符（证件号码第 17 位决定性别）"),
                    )
                )
            if mem.get("birth_date") and mem["birth_date"] != born:
                errors.append(
                    RowError(
                        number,
                        header("birth_date"),
                        mem["birth_date"],
                        _("出生日期与证件号码不符（证件号码中为 %(date)s）") % {"date": born},
                    )
                )
            mem["sex"], mem["birth_date"] = mem_sex, born

    def net_income_check(self, number: int, hh: dict, errors: list[RowError]) -> None:
        header = self.table.header_for
        given = hh.get("net_income_per_capita")
        incomes = (
            "wage_income",
            "business_income",
            "property_income",
            "transfer_income",
            "business_expense",
            "household_size",
        )
        if given is not None and all(k in hh for k in incomes):
            computed = Survey.compute_net_income_per_capita(*(hh[k] for k in incomes))
            if abs(Decimal(given) - computed) > 1:
                errors.append(
                    RowError(
                        number,
                        header("net_income_per_capita"),
                        given,
                        _(
                            "人均纯收入 %(given)s 与按收入、支出和人口计算的 %(computed)s 相差超过 1 元"
                        )
                        % {"given": given, "computed": computed},
                    )
                )


def check_id(raw) -> str:
    """The canonical ID number or ValueError with the reason (incl. the Excel-number case)."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raise ValueError(
            _("证件号码已被 Excel 存成数字，末尾数字已丢失；请把该列设为文本后重新导出")
        )
    value = raw if raw.__class__ is str and len(raw) == 18 and raw.isascii() else norm.text(raw)
    if not (len(value) == 18 and value[:17].isdigit()):
        if idnumber.looks_like_excel_number(value) or (
            ("." in value or "E" in value.upper()) and _EXCEL_NUMBER.fullmatch(value)
        ):
            raise ValueError(
                _("证件号码已被 Excel 存成数字，末尾数字已丢失；请把该列设为文本后重新导出")
            )
        value = idnumber.normalize(value)
        if len(value) != 18:
            raise ValueError(_("证件号码应为 18 位，实际 %(n)d 位") % {"n": len(value)})
    elif value[17] == "x":
        value = value[:17] + "X"
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise ValueError(_("证件号码前 17 位应为数字，末位应为数字或 X"))
    born_text = value[6:14]
    if born_text not in _PAST_BIRTH_DATES:
        try:
            born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        except ValueError:
            raise ValueError(
                _("证件号码中的出生日期 %(date)s 不存在") % {"date": born_text}
            ) from None
        today = _today()
        if born > today or born.year < 1880:
            raise ValueError(_("证件号码中的出生日期 %(date)s 不存在") % {"date": born_text})
        if born.year < today.year and len(_PAST_BIRTH_DATES) < 100_000:
            # Valid for good: an existing date before this year (people share birth dates).
            _PAST_BIRTH_DATES.add(born_text)
    first17 = value[:17]
    if first17.isascii():
        # The digits' character codes times the weights, less the weighted codes of "0".
        total = sum(map(int.__mul__, first17.encode(), _WEIGHTS)) - _ZERO_CODES
    else:  # other Unicode decimal digits
        total = sum(map(int.__mul__, map(int, first17), _WEIGHTS))
    expected = _CHECK[total % 11]
    if value[17] != expected:
        if value.endswith("000"):
            raise ValueError(
                _(
                    "证件号码校验码错误（应为 %(check)s）；末尾是 000，可能已被 Excel 存成数字并丢失了末尾数字"
                )
                % {"check": expected}
            )
        raise ValueError(_("证件号码校验码错误（应为 %(check)s）") % {"check": expected})
    return value


_ZERO_CODES = ord("0") * sum(_WEIGHTS)
# Birth dates (YYYYMMDD) already found to exist and to lie before the current year.
_PAST_BIRTH_DATES: set[str] = set()
_today_cache: list = [0.0, None]


def _today() -> datetime.date:
    """datetime.date.today(), looked up at most once a second (it is asked once per row)."""
    now = time.monotonic()
    if now - _today_cache[0] > 1.0 or _today_cache[1] is None:
        _today_cache[:] = [now, datetime.date.today()]
    return _today_cache[1]


def _options(choices) -> str:
    return "、".join(str(label) for _code, label in choices.choices)


def _label(choices, code) -> str:
    return str(dict(choices.choices).get(code, code))


# --------------------------------------------------------------------------- staging table


class Stage:
    """A per-import TEMP table holding the normalised rows (dropped at the end)."""

    COLUMNS = ("row_no", "household_no", "id_number", "relation", "hh", "mem")

    def __init__(self) -> None:
        self.name = f"import_stage_{uuid.uuid4().hex[:12]}"
        self.vendor = connection.vendor

    def create(self) -> None:
        blob = "bytea" if self.vendor == "postgresql" else "blob"
        with connection.cursor() as cur:
            cur.execute(
                f"CREATE TEMPORARY TABLE {self.name} (row_no integer NOT NULL, household_no text, "
                f"id_number text, relation text, hh {blob}, mem {blob} NOT NULL)"
            )

    def insert(self, rows: list[tuple]) -> None:
        if not rows:
            return
        with connection.cursor() as cur:
            if self.vendor == "postgresql":
                with cur.cursor.copy(
                    f"COPY {self.name} ({', '.join(self.COLUMNS)}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.COLUMNS))
                cur.executemany(f"INSERT INTO {self.name} VALUES ({marks})", rows)

    def index(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"CREATE INDEX {self.name}_hh ON {self.name} (household_no, row_no)")
            cur.execute(f"CREATE INDEX {self.name}_id ON {self.name} (id_number)")
            if self.vendor == "postgresql":
                cur.execute(f"ANALYZE {self.name}")

    def drop(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {self.name}")

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with connection.cursor() as cur:
            cur.execute(sql.replace("{stage}", self.name), params)
            return cur.fetchall()

    def households(self, chunk: int = CHUNK_HOUSEHOLDS) -> Iterator[dict[str, list[tuple]]]:
        """Chunks of households (household_no → [(row_no, id_number, relation, hh, mem)]) in
        household-number order, read by keyset pagination so each chunk is one indexed query."""
        last = ""
        while True:
            bound = self.query(
                "SELECT household_no FROM (SELECT DISTINCT household_no FROM {stage} "
                "WHERE household_no > %s ORDER BY household_no LIMIT %s) t "
                "ORDER BY household_no DESC LIMIT 1",
                (last, chunk),
            )
            if not bound:
                return
            upper = bound[0][0]
            rows = self.query(
                "SELECT household_no, row_no, id_number, relation, hh, mem FROM {stage} "
                "WHERE household_no > %s AND household_no <= %s ORDER BY household_no, row_no",
                (last, upper),
            )
            grouped: dict[str, list[tuple]] = defaultdict(list)
            previous = None
            for no, row_no, id_number, relation, hh, mem in rows:
                if hh is None:
                    # Staged as "the same household columns as the file's previous row", which
                    # has the same household number and so is the row just before in `rows`
                    # (a household's first row always carries them: see _Import.read).
                    assert previous is not None and previous[0] == no, "stage out of order"
                    hh = previous[1]
                grouped[no].append((row_no, id_number, relation, hh, mem))
                previous = (no, hh)
            yield grouped
            last = upper


# --------------------------------------------------------------------------- the import


def import_registry(
    path: str | Path,
    *,
    user=None,
    partial: bool = False,
    lang: str = "zh-hans",
    batch: ImportBatch | None = None,
    filename: str | None = None,
) -> ImportResult:
    """Import a registry exchange file (.csv or .xlsx) and return what happened.

    `user` limits the rows to the user's region subtree (None: a system import with no limit)
    and is recorded in the audit log; `partial` writes the valid households even when others
    are rejected; `lang` is the language of the error reasons ("zh-hans" or "en"); `batch` is
    the `ImportBatch` a page polls (one is created when not given). The error report (.xlsx)
    is written under BANGFU_IMPORT_DIR and named in `batch.error_file` when rows are rejected.
    """
    path = Path(path)
    if batch is None:
        batch = ImportBatch.objects.create(
            kind=KIND,
            filename=filename or path.name,
            user=user if user is not None and user.is_authenticated else None,
            partial=partial,
            scope=(user_region_code(user) or "") if user is not None else "",
        )
    with translation.override(lang):
        try:
            return _Import(
                path, user, partial, lang, batch, filename or batch.filename or path.name
            ).run()
        except Exception as exc:
            # The batch must not stay "running" for a page that polls it.
            with contextlib.suppress(Exception):  # the original error matters more
                Progress(batch).finish(ImportStatus.FAILED, message=str(exc)[:2000])
            raise


class _Import:
    def __init__(
        self, path: Path, user, partial: bool, lang: str, batch: ImportBatch, filename: str
    ):
        self.path = path
        self.user = user
        self.partial = partial
        self.lang = lang
        self.batch = batch
        self.filename = filename
        self.scope = user_region_code(user) if user is not None else ""
        self.progress = Progress(batch)
        self.result = ImportResult(batch_id=batch.pk)
        self.bad: set[str] = set()
        self.errors: list[RowError] = []

    # The whole run; every outcome ends in finish().
    def run(self) -> ImportResult:
        self.progress.update(status=ImportStatus.RUNNING)
        try:
            table = open_table(self.path, known_headers())
        except FileUnreadable as exc:
            return self.finish(ImportStatus.FAILED, str(exc))
        for col in table.unknown_columns:
            self.result.unknown_columns.append(col.header)
            self.result.notes.append(
                RowError(table.header_row, col.header, "", _("未识别的列，其内容未导入"))
            )
            self.result.warnings.append(
                _("未识别的列“%(header)s”（第 %(n)d 列）未导入")
                % {"header": col.header, "n": col.index + 1}
            )
        missing = [c for c in COLUMNS if c.required and c.field not in table.fields]
        if missing:
            for col in missing:
                self.errors.append(
                    RowError(
                        table.header_row,
                        col.header,
                        "",
                        _("缺少必填列“%(header)s”") % {"header": col.header},
                    )
                )
            return self.finish(ImportStatus.REJECTED, _("缺少必填列，未导入任何数据"))
        stage = Stage()
        stage.create()
        restore_cache = _sqlite_cache(64 * 1024)
        try:
            started = time.perf_counter()
            try:
                rows_total = self.read(table, stage)
            except (csv.Error, UnicodeDecodeError, FileUnreadable) as exc:
                return self.finish(
                    ImportStatus.FAILED, _("无法读取文件：%(error)s") % {"error": exc}
                )
            self.result.timings["read"] = time.perf_counter() - started
            self.result.rows_total = rows_total
            if rows_total == 0:
                return self.finish(ImportStatus.FAILED, _("文件中没有数据行"))
            started = time.perf_counter()
            stage.index()
            self.check_duplicates(stage, table)
            self.check_households(stage, table)
            self.result.timings["check"] = time.perf_counter() - started
            if self.errors and not self.partial:
                return self.finish(ImportStatus.REJECTED, _("有错误，未写入任何数据"))
            self.progress.update(message=_("正在写入数据库"))
            with (
                transaction.atomic(),
                audit.audit_context(
                    user=self.user, source=ChangeSource.IMPORT, import_batch=self.batch
                ),
            ):
                started = time.perf_counter()
                self.merge(stage)
            self.result.timings["merge"] = time.perf_counter() - started
        finally:
            stage.drop()
            restore_cache()
        if self.errors:
            return self.finish(ImportStatus.PARTIAL, _("部分写入：有错误的户未写入"))
        return self.finish(ImportStatus.DONE, _("导入完成"))

    def read(self, table: Table, stage: Stage) -> int:
        checker = RowChecker(table, self.scope)
        self.progress.start(table.rows_estimate)
        batch_size = getattr(settings, "BANGFU_IMPORT_BATCH", 5000)
        pending: list[tuple] = []
        count = 0
        dumps = _stage_dumps
        for number, cells in table.rows():
            count += 1
            hh, hh_text, mem, errors = checker.check(number, cells)
            household_no = hh.get("household_no")
            if errors:
                self.errors.extend(errors)
                self.bad.add(household_no or f"\x00{number}")
            pending.append(
                (
                    number,
                    household_no,
                    mem.get("id_number"),
                    mem.get("relation"),
                    # The household's columns once per run of rows repeating them: NULL means
                    # "as the file's previous row" (Stage.households() restores them).
                    None if checker.repeated else hh_text,
                    dumps(mem),
                )
            )
            if len(pending) >= batch_size:
                stage.insert(pending)
                pending = []
                self.progress.rows(count)
        stage.insert(pending)
        self.progress.update(rows_total=count, rows_done=count)
        return count

    def check_duplicates(self, stage: Stage, table: Table) -> None:
        header = table.header_for("id_number")
        rows = stage.query(
            "SELECT id_number, row_no, household_no FROM {stage} WHERE id_number IN "
            "(SELECT id_number FROM {stage} WHERE id_number IS NOT NULL "
            "GROUP BY id_number HAVING COUNT(*) > 1) ORDER BY id_number, row_no"
        )
        groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for id_number, row_no, household_no in rows:
            groups[id_number].append((row_no, household_no))
        for id_number, members in groups.items():
            for row_no, household_no in members:
                others = "、".join(str(r) for r, _h in members if r != row_no)
                self.errors.append(
                    RowError(
                        row_no,
                        header,
                        id_number,
                        _("证件号码在文件中重复：与第 %(rows)s 行相同") % {"rows": others},
                    )
                )
                self.bad.add(household_no or f"\x00{row_no}")
        clashes = stage.query(
            "SELECT s.row_no, s.id_number, s.household_no, h.household_no FROM {stage} s "
            f"JOIN {Member._meta.db_table} m ON m.id_number = s.id_number "
            f"JOIN {Household._meta.db_table} h ON h.id = m.household_id "
            "WHERE s.household_no IS NOT NULL AND h.household_no <> s.household_no ORDER BY s.row_no"
        )
        for row_no, id_number, household_no, other_no in clashes:
            self.errors.append(
                RowError(
                    row_no,
                    header,
                    id_number,
                    _("证件号码已登记在户 %(other)s，不能再登记在户 %(no)s")
                    % {"other": other_no, "no": household_no},
                )
            )
            self.bad.add(household_no)

    def check_households(self, stage: Stage, table: Table) -> None:
        header = table.header_for
        loads = _stage_loads
        rejected = 0
        for chunk in stage.households():
            for household_no, rows in chunk.items():
                first_row, _id, _rel, first_hh_text, _mem = rows[0]
                first_hh = loads(first_hh_text)
                heads = [r[0] for r in rows if r[2] == Relation.HEAD]
                errors: list[RowError] = []
                for row_no, _id, _rel, hh_text, _mem in rows[1:]:
                    if hh_text == first_hh_text:
                        continue
                    hh = loads(hh_text)
                    for key in first_hh.keys() | hh.keys():
                        a, b = first_hh.get(key), hh.get(key)
                        col = COLUMN_BY_FIELD[key]
                        # A required value missing on one row is already reported on that row.
                        if a != b and not (col.required and (a is None or b is None)):
                            errors.append(
                                RowError(
                                    row_no,
                                    header(key),
                                    _display(col, b),
                                    _(
                                        "同一户的“%(header)s”各行不一致：第 %(first)d 行为“%(a)s”，本行为“%(b)s”"
                                    )
                                    % {
                                        "header": header(key),
                                        "first": first_row,
                                        "a": _display(col, a),
                                        "b": _display(col, b),
                                    },
                                )
                            )
                size = first_hh.get("household_size")
                if size is not None and size != len(rows):
                    errors.append(
                        RowError(
                            first_row,
                            header("household_size"),
                            str(size),
                            _("家庭人口数为 %(size)d，但文件中该户（%(no)s）有 %(rows)d 行成员")
                            % {"size": size, "no": household_no, "rows": len(rows)},
                        )
                    )
                if len(heads) != 1 and all(r[2] for r in rows):
                    errors.append(
                        RowError(
                            heads[1] if len(heads) > 1 else first_row,
                            header("relation"),
                            _label(Relation, Relation.HEAD) if heads else "",
                            _("每户必须有且只有一名户主，该户（%(no)s）有 %(n)d 名")
                            % {"no": household_no, "n": len(heads)},
                        )
                    )
                if errors:
                    self.errors.extend(errors)
                    self.bad.add(household_no)
                if household_no in self.bad:
                    rejected += len(rows)
                    self.result.households_rejected += 1
        # Rows without a household number cannot be grouped; each is rejected on its own.
        rejected += stage.query("SELECT COUNT(*) FROM {stage} WHERE household_no IS NULL")[0][0]
        self.result.rows_rejected = rejected

    # ----------------------------------------------------------------------- merge

    def merge(self, stage: Stage) -> None:
        writer = bulk.AuditWriter()
        merger = _Merger(self.result, self.filename, writer)
        # On PostgreSQL the chunks' writes run in a second thread while the next chunk is read
        # and built: chunks are disjoint (a household number, an ID number, a survey belongs to
        # one chunk), so no read of a later chunk depends on an earlier chunk's queued writes.
        with _immediate_constraints(), bulk.background_writes():
            for chunk in stage.households():
                good = {no: rows for no, rows in chunk.items() if no not in self.bad}
                if good:
                    merger.run(good)
        # The copies on the households' records (registry.copies) follow a change of region or
        # category and a member moving in: set-based, in the import's transaction.
        copies.on_households_changed(merger.copies_changed)

    def finish(self, status: str, message: str) -> ImportResult:
        result = self.result
        result.status = status
        result.message = message
        self.errors.sort(key=lambda e: e.row or 0)
        result.errors = self.errors
        if not self.errors and status != ImportStatus.FAILED:
            result.rows_rejected = 0
        if status == ImportStatus.REJECTED:
            result.rows_rejected = result.rows_total
        report = sorted(self.errors + result.notes, key=lambda e: e.row or 0)
        if report:
            out = Path(settings.BANGFU_IMPORT_DIR) / f"batch-{self.batch.pk}-errors.xlsx"
            write_report(report, out, self.lang)
            result.error_file = str(out)
        warnings = "\n".join(result.warnings)
        self.progress.finish(
            status,
            message="\n".join(
                filter(
                    None,
                    [message, result.summary() if status != ImportStatus.FAILED else "", warnings],
                )
            ),
            rows_rejected=result.rows_rejected,
            households_written=result.households_written,
            error_file=result.error_file,
        )
        return result


@contextlib.contextmanager
def _immediate_constraints() -> Iterator[None]:
    """On PostgreSQL, check the foreign keys of the merge's rows as they are written instead of
    all at COMMIT: the checks then run in the background writer, alongside the next chunk's
    Python work, rather than alone at the end (the same checks, the same all-or-nothing: a
    violation still fails the import and rolls everything back). Django's foreign keys are
    DEFERRABLE INITIALLY DEFERRED, which is restored for whatever follows in the transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        yield
    finally:
        with contextlib.suppress(Exception), connection.cursor() as cur:
            # Fails only in a transaction already aborted, which is rolled back anyway.
            cur.execute("SET CONSTRAINTS ALL DEFERRED")


def _sqlite_cache(kib: int) -> Callable[[], None]:
    """Give SQLite a larger page cache for the import (indexes of a county's registry outgrow
    the default 2 MB and every insert then pages); returns a function restoring the old size."""
    if connection.vendor != "sqlite":
        return lambda: None
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        previous = cur.fetchone()[0]
        cur.execute(f"PRAGMA cache_size = -{int(kib)}")

    def restore() -> None:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA cache_size = {int(previous)}")

    return restore


def _display(col: Col, value) -> str:
    if value is None:
        return ""
    if col.choices is not None:
        return _label(col.choices, value)
    if col.kind == "bool":
        return _("是") if value else _("否")
    if col.kind == "causes":
        return "、".join(_label(Cause, c) for c in value.split(";") if c)
    return str(value)


H_AUDIT = Household.get_audit_fields()
S_AUDIT = Survey.get_audit_fields()
M_AUDIT = Member.get_audit_fields()
MS_AUDIT = MemberSurvey.get_audit_fields()
SC_AUDIT = StatusChange.get_audit_fields()
H_INSERT = ("id", *H_AUDIT, "version", "created", "updated")
H_UPDATE = (*HOUSEHOLD_FIELDS, "version", "updated")
S_INSERT = ("id", *S_AUDIT)
M_INSERT = ("id", *M_AUDIT)
MS_INSERT = ("id", *MS_AUDIT)
SC_INSERT = ("id", *SC_AUDIT)
H_LABEL = "registry.household"
# The fields of a member and of its facts as nested in the household's audit entry (the
# references to the household, the survey and the member are implied by the nesting).
M_NESTED = tuple(f for f in M_AUDIT if f != "household_id")
MS_NESTED = tuple(f for f in MS_AUDIT if f not in ("survey_id", "member_id"))


def _jsonable(values: dict, fields) -> dict:
    to_json = audit.to_json
    return {f: to_json(values[f]) for f in fields}


def _decimal_json(value: Decimal) -> str:
    """`audit.to_json` for a Decimal on its string form: "100.00" → "100", "3.50" stays."""
    text = str(value)
    if "." in text and "E" not in text:
        whole, frac = text.split(".", 1)
        if frac.strip("0") == "":
            return whole
        return text
    return audit.to_json(value)


def _survey_json(values: dict) -> dict:
    out = {}
    for f in S_AUDIT:
        value = values[f]
        out[f] = _decimal_json(value) if value.__class__ is Decimal else value
    return out


def _matching(model, name: str, values: list, **filters):
    """`model.objects.filter(<name>__in=values, **filters)` with the list passed as ONE
    parameter (`= ANY(%s)` on PostgreSQL, `json_each(%s)` on SQLite): Django's `__in` prepares
    and binds every one of a chunk's thousands of values separately, which costs more than the
    query itself."""
    qs = model.objects.filter(**filters)
    if not values:
        return qs.none()
    column = (
        f"{connection.ops.quote_name(model._meta.db_table)}."
        f"{connection.ops.quote_name(model._meta.get_field(name).column)}"
    )
    if connection.vendor == "postgresql":
        return qs.extra(where=[f"{column} = ANY(%s)"], params=[list(values)])
    if connection.vendor == "sqlite":
        return qs.extra(
            where=[f"{column} IN (SELECT value FROM json_each(%s))"], params=[json.dumps(values)]
        )
    return qs.filter(**{f"{name}__in": values})


class _Change:
    """What an import does to one household, gathered for its one audit entry.

    A created household gets one CREATE entry whose `after` holds the household's fields with
    its survey, first status change and members (each with that year's facts) nested in it;
    an existing household that changed gets one UPDATE entry holding only what changed: its
    own changed fields, `survey` and each member's changed fields (with `id`, and the member's
    `name` so the page can say whose), a new `status_change`, and member facts removed
    (`"facts": null` after). The entry's object and subject are the household.
    """

    __slots__ = ("before", "after", "members_before", "members_after")

    def __init__(self, before: dict | None, after: dict) -> None:
        self.before = before
        self.after = after
        self.members_before: dict[int, dict] = {}
        self.members_after: dict[int, dict] = {}

    def member(self, mid: int, name: str) -> tuple[dict, dict]:
        """The (before, after) dicts of member `mid` in this change, made on first use: the
        after carries the member's current name whatever changed, the before only `id` and
        the old values."""
        after = self.members_after.get(mid)
        if after is None:
            after = self.members_after[mid] = {"id": mid, "name": name}
        before = self.members_before.get(mid)
        if before is None:
            before = self.members_before[mid] = {"id": mid}
        return before, after

    def entry(self) -> tuple[dict | None, dict]:
        before, after = self.before, self.after
        if self.members_after:
            after["members"] = list(self.members_after.values())
        if before is not None:
            # Only members with old values (a new member or new facts have no before).
            changed_before = [m for m in self.members_before.values() if len(m) > 1]
            if changed_before:
                before["members"] = changed_before
        return before, after


class _Merger:
    """Writes one chunk of valid households as plain rows with their audit entries.

    Existing rows are read with one `.values()` query per table for the whole chunk; new rows
    get ids allocated up front and are inserted with COPY/executemany; changed rows are updated
    with one executemany per table. Each household created or changed gets ONE audit entry
    (see `_Change`) with every record written for it nested inside: a county's first import
    writes one audit row per household instead of one per household, survey, status change,
    member and member fact (≈ 8× fewer rows).
    """

    def __init__(self, result: ImportResult, filename: str, writer: bulk.AuditWriter):
        self.result = result
        self.writer = writer
        self.now = bulk.db_value(timezone.now())
        self.today = timezone.localdate()
        self.today_iso = self.today.isoformat()
        # Stored data, the same in every language (like "建档立卡" on a new household).
        self.reason = f"导入：{filename}"[:200]
        # Households whose region or category changed or that received a member from another
        # household: their records' copies are brought in step after the merge.
        self.copies_changed: set[int] = set()

    def run(self, chunk: dict[str, list[tuple]]) -> None:
        loads = _stage_loads
        parsed = {
            no: (loads(rows[0][3]), [loads(r[4]) for r in rows]) for no, rows in chunk.items()
        }
        changed: set[str] = set()
        self.changes: dict[str, _Change] = {}
        created = self.write_households(parsed, changed)
        surveys = self.write_surveys(parsed, created, changed)
        self.write_members(parsed, surveys, changed)
        add = self.writer.add
        hids = self.household_ids
        for no in parsed:
            if no in created:
                self.result.households_created += 1
            elif no in changed:
                self.result.households_updated += 1
            else:
                self.result.households_unchanged += 1
            change = self.changes.get(no)
            if change is not None and (no in created or no in changed):
                before, after = change.entry()
                hid = hids[no]
                action = AuditAction.CREATE if before is None else AuditAction.UPDATE
                add(action, H_LABEL, hid, no, H_LABEL, hid, before, after)
        self.writer.flush()

    def change(self, no: str) -> _Change:
        change = self.changes.get(no)
        if change is None:
            change = self.changes[no] = _Change({}, {})
        return change

    def write_households(self, parsed, changed: set[str]) -> set[str]:
        """Insert or update the households; sets self.household_ids; returns the new ones."""
        existing = {
            r["household_no"]: r
            for r in _matching(Household, "household_no", list(parsed)).values(
                "id", "version", *H_AUDIT
            )
        }
        new_nos = [no for no in parsed if no not in existing]
        new_ids = bulk.allocate_ids(Household, len(new_nos))
        ids = iter(new_ids)
        self.household_ids: dict[str, int] = {}
        inserts, updates, status_rows = [], [], []
        changes = self.changes
        for no, (hh, _members) in parsed.items():
            values = {
                "household_no": no,
                "region_id": hh["region_code"],
                "group_name": hh.get("group", ""),
                "category": hh["category"],
                "status": hh["status"],
                "registered_year": hh["registered_year"],
                "exit_year": hh.get("exit_year"),
                "main_cause": hh["main_cause"],
                "other_causes": hh.get("other_causes", ""),
                "phone": hh.get("phone", ""),
            }
            old = existing.get(no)
            if old is None:
                pk = next(ids)
                inserts.append((pk, *(values[f] for f in H_AUDIT), 1, self.now, self.now))
                status_rows.append((no, pk, values["status"], ""))
                changes[no] = _Change(None, values)
            else:
                pk = old["id"]
                before = {f: old[f] for f in H_AUDIT}
                if before != values:
                    updates.append(
                        (*(values[f] for f in HOUSEHOLD_FIELDS), old["version"] + 1, self.now, pk)
                    )
                    diff = [f for f in H_AUDIT if before[f] != values[f]]
                    changes[no] = _Change(
                        {f: before[f] for f in diff}, {f: values[f] for f in diff}
                    )
                    changed.add(no)
                    if (
                        before["region_id"] != values["region_id"]
                        or before["category"] != values["category"]
                    ):
                        self.copies_changed.add(pk)
                    if before["status"] != values["status"]:
                        status_rows.append((no, pk, values["status"], before["status"]))
            self.household_ids[no] = pk
        bulk.insert(Household._meta.db_table, bulk.columns(Household, H_INSERT), inserts)
        bulk.update(Household._meta.db_table, bulk.columns(Household, H_UPDATE), updates)
        if status_rows:
            sc_ids = bulk.allocate_ids(StatusChange, len(status_rows))
            today_db = bulk.db_value(self.today)
            rows = []
            for sc_id, (no, hid, status, previous) in zip(sc_ids, status_rows, strict=True):
                rows.append((sc_id, hid, today_db, status, previous, self.reason))
                changes[no].after["status_change"] = {
                    "id": sc_id,
                    "date": self.today_iso,
                    "status": status,
                    "previous_status": previous,
                    "reason": self.reason,
                }
            bulk.insert(StatusChange._meta.db_table, bulk.columns(StatusChange, SC_INSERT), rows)
        return set(new_nos)

    def write_surveys(self, parsed, created: set[str], changed: set[str]) -> dict[str, int]:
        """Insert or update each household's survey of the year; returns household_no → id."""
        hids = self.household_ids
        old_ids = [hids[no] for no in parsed if no not in created]
        existing = {}
        if old_ids:
            years = {hh["survey_year"] for hh, _m in parsed.values()}
            for r in _matching(Survey, "household_id", old_ids, year__in=years).values(
                "id", *S_AUDIT
            ):
                existing[(r["household_id"], r["year"])] = r
        new = [
            no for no, (hh, _m) in parsed.items() if (hids[no], hh["survey_year"]) not in existing
        ]
        new_ids = bulk.allocate_ids(Survey, len(new))
        ids = iter(new_ids)
        out: dict[str, int] = {}
        inserts, updates = [], []
        upd_fields = SURVEY_FIELDS
        for no, (hh, _members) in parsed.items():
            hid = hids[no]
            values = {"household_id": hid, "year": hh["survey_year"]}
            for name in SURVEY_FIELDS:
                values[name] = (
                    Decimal(hh[name]) if name in MONEY_FIELDS and name in hh else hh.get(name)
                )
            values["net_income_per_capita"] = Survey.compute_net_income_per_capita(
                values["wage_income"],
                values["business_income"],
                values["property_income"],
                values["transfer_income"],
                values["business_expense"],
                values["household_size"],
            )
            after = _survey_json(values)
            old = existing.get((hid, hh["survey_year"]))
            if old is None:
                pk = next(ids)
                inserts.append((pk, *(values[f] for f in S_AUDIT)))
                changed.add(no)
                del after["household_id"]
                self.change(no).after["survey"] = {"id": pk, **after}
            else:
                pk = old["id"]
                before = _jsonable(old, S_AUDIT)
                if before != after:
                    updates.append((*(values[f] for f in upd_fields), pk))
                    diff = [f for f in S_AUDIT if before[f] != after[f]]
                    change = self.change(no)
                    key = {"id": pk, "year": hh["survey_year"]}
                    change.before["survey"] = key | {f: before[f] for f in diff}
                    change.after["survey"] = key | {f: after[f] for f in diff}
                    changed.add(no)
            out[no] = pk
        bulk.insert(Survey._meta.db_table, bulk.columns(Survey, S_INSERT), inserts)
        bulk.update(Survey._meta.db_table, bulk.columns(Survey, upd_fields), updates)
        return out

    def write_members(self, parsed, surveys: dict[str, int], changed: set[str]) -> None:
        hids = self.household_ids
        id_numbers = [m["id_number"] for _hh, members in parsed.values() for m in members]
        existing = {
            r["id_number"]: r
            for r in _matching(Member, "id_number", id_numbers).values("id", *M_AUDIT)
        }
        existing_ms: dict[tuple[int, int], dict] = {}
        survey_ids = list(surveys.values())
        for r in _matching(MemberSurvey, "survey_id", survey_ids).values("id", *MS_AUDIT):
            existing_ms[(r["survey_id"], r["member_id"])] = r
        new_members = sum(1 for m in id_numbers if m not in existing)
        new_member_ids = bulk.allocate_ids(Member, new_members)
        member_ids = iter(new_member_ids)
        m_inserts, m_updates, ms_inserts, ms_updates = [], [], [], []
        # (the member-fact values, the dict of the audit entry that gets the new row's id)
        ms_new: list[tuple[dict, dict]] = []
        listed: set[tuple[int, int]] = set()
        counts = self.result
        changes = self.changes
        m_row, m_nested = operator.itemgetter(*M_AUDIT), operator.itemgetter(*M_NESTED)
        ms_row, ms_nested = operator.itemgetter(*MS_AUDIT), operator.itemgetter(*MS_NESTED)
        for no, (_hh, members) in parsed.items():
            hid, sid = hids[no], surveys[no]
            change = changes.get(no)
            for mem in members:
                values = {
                    "household_id": hid,
                    "name": mem["name"],
                    "id_number": mem["id_number"],
                    "relation": mem["relation"],
                    "sex": mem["sex"],
                    "birth_date": mem["birth_date"],
                    "ethnicity": mem.get("ethnicity", ""),
                }
                ms_values = {
                    "survey_id": sid,
                    "member_id": None,
                    "education": mem.get("education", ""),
                    "schooling": mem["schooling"],
                    "health": mem.get("health", ""),
                    "labour_ability": mem["labour_ability"],
                    "work_status": mem.get("work_status", ""),
                    "work_months": mem.get("work_months"),
                    "medical_insurance": mem["medical_insurance"],
                    "critical_illness_insurance": mem.get("critical_illness_insurance"),
                    "pension_insurance": mem.get("pension_insurance"),
                }
                old = existing.get(mem["id_number"])
                if old is None:
                    # A new person: every record of theirs is new (no facts to compare).
                    mid = next(member_ids)
                    m_inserts.append((mid, *m_row(values)))
                    ms_values["member_id"] = mid
                    facts = dict(zip(MS_NESTED, ms_nested(ms_values), strict=True))
                    ms_new.append((ms_values, facts))
                    listed.add((sid, mid))
                    if change is None:
                        change = self.change(no)
                    entry = {"id": mid, **dict(zip(M_NESTED, m_nested(values), strict=True))}
                    entry["facts"] = facts
                    change.members_after[mid] = entry
                    changed.add(no)
                    counts.members_created += 1
                    continue
                mid = old["id"]
                ms_values["member_id"] = mid
                updated = False
                before = _jsonable(old, M_AUDIT)
                if before != values:
                    updated = True
                    if old["household_id"] != hid:  # moved in: its jobs follow this household
                        self.copies_changed.add(hid)
                    m_updates.append(
                        (
                            *(values[f] for f in MEMBER_FIELDS if f != "birth_date"),
                            datetime.date.fromisoformat(values["birth_date"]),
                            hid,
                            mid,
                        )
                    )
                    if change is None:
                        change = self.change(no)
                    m_before, m_after = change.member(mid, values["name"])
                    for f in M_AUDIT:
                        if before[f] != values[f]:
                            m_before[f], m_after[f] = before[f], values[f]
                    changed.add(no)
                key = (sid, mid)
                listed.add(key)
                old_ms = existing_ms.get(key)
                if old_ms is None:
                    facts = {f: ms_values[f] for f in MS_NESTED}
                    ms_new.append((ms_values, facts))
                    if change is None:
                        change = self.change(no)
                    change.member(mid, values["name"])[1]["facts"] = facts
                    changed.add(no)
                    updated = True
                else:
                    ms_before = {f: old_ms[f] for f in MS_AUDIT}
                    if ms_before != ms_values:
                        ms_updates.append(
                            (*(ms_values[f] for f in MEMBER_SURVEY_FIELDS), old_ms["id"])
                        )
                        if change is None:
                            change = self.change(no)
                        m_before, m_after = change.member(mid, values["name"])
                        diff = [f for f in MS_NESTED if ms_before[f] != ms_values[f]]
                        m_before["facts"] = {"id": old_ms["id"]} | {f: ms_before[f] for f in diff}
                        m_after["facts"] = {"id": old_ms["id"]} | {f: ms_values[f] for f in diff}
                        changed.add(no)
                        updated = True
                if updated:
                    counts.members_updated += 1
                else:
                    counts.members_unchanged += 1
        ms_ids = bulk.allocate_ids(MemberSurvey, len(ms_new))
        for pk, (ms_values, facts) in zip(ms_ids, ms_new, strict=True):
            ms_inserts.append((pk, *ms_row(ms_values)))
            facts["id"] = pk
        bulk.insert(Member._meta.db_table, bulk.columns(Member, M_INSERT), m_inserts)
        bulk.update(
            Member._meta.db_table,
            bulk.columns(
                Member,
                [*[f for f in MEMBER_FIELDS if f != "birth_date"], "birth_date", "household_id"],
            ),
            m_updates,
        )
        bulk.insert(MemberSurvey._meta.db_table, bulk.columns(MemberSurvey, MS_INSERT), ms_inserts)
        bulk.update(
            MemberSurvey._meta.db_table,
            bulk.columns(MemberSurvey, MEMBER_SURVEY_FIELDS),
            ms_updates,
        )
        # A member no longer listed for the year loses that year's facts (the person stays).
        gone = [r for key, r in existing_ms.items() if key not in listed]
        if gone:
            survey_household = {sid: hids[no] for no, sid in surveys.items()}
            household_no = {hid: no for no, hid in hids.items()}
            names = dict(
                Member.objects.filter(pk__in=[r["member_id"] for r in gone]).values_list(
                    "pk", "name"
                )
            )
            for r in gone:
                no = household_no[survey_household[r["survey_id"]]]
                changed.add(no)
                name = names.get(r["member_id"], "")
                m_before, m_after = self.change(no).member(r["member_id"], name)
                m_before["facts"] = {"id": r["id"]} | {f: r[f] for f in MS_NESTED}
                m_after["facts"] = None
            MemberSurvey.objects.filter(pk__in=[r["id"] for r in gone]).delete()
