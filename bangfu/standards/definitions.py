"""The five standards and the default thresholds exactly as /work/shared/domain/standards.md
defines them (item codes and order as listed there). Loaded by services/load.py."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_noop

POVERTY_LINE = {
    2014: 2800,
    2015: 2855,
    2016: 2952,
    2017: 2952,
    2018: 2995,
    2019: 3218,
    2020: 4000,
}
MONITORING = {2020: 6000, 2021: 6000, 2022: 6300, 2023: 6900}  # 2020: 1.5 × poverty line
AGE_YEARS = range(2014, 2031)


def default_thresholds() -> list[tuple[str, int, str, Decimal]]:
    """(name, year, province, value); province "" is national."""
    rows = [("poverty_line", y, "", Decimal(v)) for y, v in POVERTY_LINE.items()]
    rows += [("monitoring_threshold", y, "", Decimal(v)) for y, v in MONITORING.items()]
    for y in AGE_YEARS:
        rows += [
            ("school_age_min", y, "", Decimal(6)),
            ("school_age_max", y, "", Decimal(15)),
            ("coverage_share", y, "", Decimal(95)),
            ("incidence_max", y, "", Decimal(2)),
            ("incidence_max_west", y, "", Decimal(3)),
            ("incidence_max", y, "45", Decimal(3)),
        ]
    return rows


def _eq(field, value):
    return {"field": field, "op": "eq", "value": value}


INCOME = {"field": "survey.net_income_per_person", "op": "gt", "threshold": "poverty_line"}
FOOD = _eq("survey.food_clothing_secure", True)
EDUCATION = {
    "no_member": {
        "all": [
            {"field": "member.age", "op": "gte", "threshold": "school_age_min"},
            {"field": "member.age", "op": "lte", "threshold": "school_age_max"},
            {"field": "member.schooling", "op": "in", "value": ["dropped_out", "not_in_school"]},
        ]
    }
}
MEDICAL = {"every_member": _eq("member.medical_insurance", True)}
HOUSING = {
    "any": [
        {"field": "survey.housing_safety", "op": "in", "value": ["A", "B"]},
        _eq("survey.relocated", True),
    ]
}
WATER = _eq("survey.safe_water", True)
INCOME_SOURCE = {
    "any": [
        {"field": "survey.farmland_per_person", "op": "gte", "value": "0.5"},
        {"any_member": {"field": "member.work_months", "op": "gte", "value": 6}},
        {"field": "survey.earned_income", "op": "gt", "value": 0},
        {"field": "household.category", "op": "in", "value": ["dibao", "tekun"]},
    ]
}


def _b(code):
    return {"builtin": code}


# code → (name, subject, province, [(item code, item name, expression, active_from, active_to)])
STANDARDS = {
    "cn-household": (
        gettext_noop("国家贫困户退出标准（收入线与两不愁三保障）"),
        "household",
        "",
        [
            ("income", gettext_noop("人均纯收入超过扶贫标准"), INCOME, None, None),
            ("food_clothing", gettext_noop("不愁吃、不愁穿"), FOOD, None, None),
            ("education", gettext_noop("义务教育有保障"), EDUCATION, None, None),
            ("medical", gettext_noop("基本医疗有保障"), MEDICAL, None, None),
            ("housing", gettext_noop("住房安全有保障"), HOUSING, None, None),
            ("water", gettext_noop("饮水安全有保障"), WATER, 2019, None),
        ],
    ),
    "gx-household": (
        gettext_noop("广西贫困户脱贫“八有一超”"),
        "household",
        "45",
        [
            ("income_source", gettext_noop("有稳定收入来源"), INCOME_SOURCE, None, None),
            ("housing", gettext_noop("有住房保障"), HOUSING, None, None),
            ("medical", gettext_noop("有基本医疗保障"), MEDICAL, None, None),
            ("education", gettext_noop("有义务教育保障"), EDUCATION, None, None),
            ("road", gettext_noop("有路通自然村"), _eq("survey.road_hardened", True), None, None),
            ("water", gettext_noop("有饮水安全"), WATER, None, None),
            ("electricity", gettext_noop("有电用"), _eq("survey.electricity", True), None, None),
            ("tv", gettext_noop("有电视看"), _eq("survey.tv_access", True), None, None),
            ("income", gettext_noop("人均纯收入超过扶贫标准"), INCOME, None, None),
        ],
    ),
    "cn-village": (
        gettext_noop("国家贫困村退出标准"),
        "village",
        "",
        [
            (
                "incidence",
                gettext_noop("贫困发生率低于 2％（西部 3％）"),
                _b("incidence"),
                None,
                None,
            )
        ],
    ),
    "gx-village": (
        gettext_noop("广西贫困村脱贫“十一有一低于”"),
        "village",
        "45",
        [
            ("featured_industry", gettext_noop("有特色产业"), _b("featured_industry"), None, None),
            ("housing", gettext_noop("有住房保障"), _b("housing"), None, None),
            ("medical", gettext_noop("有基本医疗保障"), _b("medical"), None, None),
            ("education", gettext_noop("有义务教育保障"), _b("education"), None, None),
            ("road", gettext_noop("有路通村屯"), _b("road"), None, None),
            ("water", gettext_noop("有饮水安全"), _b("water"), None, None),
            ("electricity", gettext_noop("有电用"), _b("electricity"), None, None),
            ("public_service", gettext_noop("有公共服务设施"), _b("public_service"), None, None),
            ("tv", gettext_noop("有电视网络覆盖"), _b("tv"), None, None),
            (
                "collective_income",
                gettext_noop("有村集体经济收入"),
                _b("collective_income"),
                None,
                None,
            ),
            ("committee", gettext_noop("有好的村两委班子"), _b("committee"), None, None),
            ("incidence", gettext_noop("贫困发生率低于 3％"), _b("incidence"), None, None),
        ],
    ),
    "gx-county": (
        gettext_noop("广西贫困县脱贫摘帽“九有一低于”"),
        "county",
        "45",
        [
            ("featured_industry", gettext_noop("有特色产业"), _b("featured_industry"), None, None),
            ("housing", gettext_noop("有住房保障"), _b("housing"), None, None),
            ("medical", gettext_noop("有基本医疗保障"), _b("medical"), None, None),
            ("education", gettext_noop("有义务教育保障"), _b("education"), None, None),
            ("road", gettext_noop("有路通村屯"), _b("road"), None, None),
            ("water", gettext_noop("有饮水安全"), _b("water"), None, None),
            ("electricity", gettext_noop("有电用"), _b("electricity"), None, None),
            ("public_service", gettext_noop("有公共服务设施"), _b("public_service"), None, None),
            ("social_assistance", gettext_noop("有社会救助"), _b("social_assistance"), None, None),
            ("incidence", gettext_noop("贫困发生率低于 3％"), _b("incidence"), None, None),
        ],
    ),
}
