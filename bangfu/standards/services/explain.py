"""Plain-language explanations of a verdict's failed items, from the inputs and thresholds the
verdict stored (so an explanation quotes the numbers the evaluation used, in the reader's
language: gettext at display time)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import Verdict


def _money(value) -> str:
    if value is None:
        return "—"
    d = Decimal(str(value))
    return f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,.2f}"


def explain_item(code: str, verdict: Verdict, ages: list[int] | None = None) -> str:
    i, t, year = verdict.inputs, verdict.thresholds, verdict.year
    if code == "income":
        return _("人均纯收入 %(income)s 元，未超过 %(year)s 年扶贫标准 %(line)s 元") % {
            "income": _money(i.get("net_income_per_person")),
            "year": year,
            "line": _money(t.get("poverty_line")),
        }
    if code == "food_clothing":
        return _("调查记录为吃穿有愁")
    if code == "education":
        if ages:
            return _(
                "成员 %(n)s 人（%(ages)s 岁）失学或辍学，在 %(min)s–%(max)s 周岁义务教育年龄内"
                "（%(year)s 年 9 月 1 日）"
            ) % {
                "n": i.get("n_out_of_school") or len(ages),
                "ages": "、".join(str(a) for a in ages),
                "min": _money(t.get("school_age_min")),
                "max": _money(t.get("school_age_max")),
                "year": year,
            }
        return _(
            "有 %(n)s 名 %(min)s–%(max)s 周岁（%(year)s 年 9 月 1 日）的义务教育适龄成员失学或辍学"
        ) % {
            "n": i.get("n_out_of_school", "?"),
            "min": _money(t.get("school_age_min")),
            "max": _money(t.get("school_age_max")),
            "year": year,
        }
    if code == "medical":
        return _("有 %(n)s 名成员未参加基本医疗保险") % {"n": i.get("n_uninsured", "?")}
    if code == "housing":
        return _("住房安全等级为 %(grade)s 级（危房），且未易地扶贫搬迁") % {
            "grade": i.get("housing_safety", "?")
        }
    if code == "water":
        return _("饮水不安全")
    if code == "road":
        return _("所在自然村未通硬化路")
    if code == "electricity":
        return _("未通生活用电")
    if code == "tv":
        return _("未通广播电视")
    if code == "income_source":
        return _(
            "无稳定收入来源：人均耕地不足 0.5 亩（耕地 %(land)s 亩、%(size)s 人），"
            "无成员务工满 6 个月，工资性、经营性和财产性收入为 0，且不是低保或特困供养户"
        ) % {"land": i.get("farmland_mu", "?"), "size": i.get("household_size", "?")}
    return _("未达到条目 %(code)s") % {"code": code}


def explain(verdict: Verdict, ages: list[int] | None = None) -> list[tuple[str, str]]:
    """(item code, explanation) for each failed item, in the standard's order. `ages` are
    those of the out-of-school children (looked up for a stored verdict when not given)."""
    codes = verdict.failed_codes
    if ages is None and "education" in codes and verdict.pk:
        from .gaps import out_of_school_ages

        ages = out_of_school_ages([verdict]).get(verdict.household_id, [])
    return [(code, explain_item(code, verdict, ages)) for code in codes]
