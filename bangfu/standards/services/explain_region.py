"""Plain-language explanations of a village or county verdict's failed items, with the numbers
the evaluation stored in the verdict's inputs (translated at display time)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import RegionVerdict


def _n(value) -> str:
    if value is None:
        return "—"
    d = Decimal(str(value))
    return f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,.2f}"


def _share(i, part: str, whole: str, pct: str, what) -> str:
    return _("%(what)s %(part)s / 共 %(whole)s（%(pct)s%%），低于 %(share)s%%") % {
        "what": what,
        "part": _n(i.get(part)),
        "whole": _n(i.get(whole)),
        "pct": i.get(pct) or "—",
        "share": _n(i.get("_share")),
    }


def _village_item(code: str, i: dict, t: dict) -> str:
    i = {**i, "_share": t.get("coverage_share", "95")}
    parts: list[str] = []
    if code == "incidence":
        if not i.get("population"):
            return _("户籍人口为 0，无法计算贫困发生率")
        return _(
            "户籍人口 %(population)s 人，未脱贫 %(poor)s 人，贫困发生率 %(rate)s%%，未低于 %(limit)s%%"
        ) % {
            "population": _n(i.get("population")),
            "poor": _n(i.get("poor")),
            "rate": i.get("incidence") or "—",
            "limit": _n(i.get("incidence_limit")),
        }
    if code == "featured_industry":
        if not i.get("featured_industry"):
            parts.append(_("村无特色产业"))
        if i.get("labour_without_industry"):
            parts.append(
                _(
                    "有劳动力的 %(n)s 户（共 %(all)s 户）年末未参与帮扶产业（合作社、产业措施、产业项目或奖补）"
                )
                % {"n": i["labour_without_industry"], "all": i.get("labour_households", "?")}
            )
    elif code == "housing":
        parts.append(
            _("%(n)s 户（共 %(all)s 户）住房不安全")
            % {"n": i.get("housing_failed"), "all": i.get("households")}
        )
    elif code == "education":
        parts.append(
            _("%(n)s 户（共 %(all)s 户）有义务教育适龄成员失学或辍学")
            % {"n": i.get("education_failed"), "all": i.get("households")}
        )
    elif code == "medical":
        share = Decimal(str(i["_share"]))
        if i.get("members") and Decimal(i.get("insured", 0)) * 100 < share * i["members"]:
            parts.append(_share(i, "insured", "members", "insured_pct", _("参加基本医疗保险人数")))
        if not i.get("clinic_with_doctor"):
            parts.append(_("无卫生室或村医"))
    elif code in ("water", "electricity", "tv"):
        what = {
            "water": _("饮水安全户数"),
            "electricity": _("通生活用电户数"),
            "tv": _("通广播电视户数"),
        }[code]
        share = Decimal(str(i["_share"]))
        if i.get("households") and Decimal(i.get(code, 0)) * 100 < share * i["households"]:
            parts.append(_share(i, code, "households", f"{code}_pct", what))
        if code == "tv" and not i.get("broadband"):
            parts.append(_("未通宽带"))
    elif code == "road":
        parts.append(_("未通村硬化路"))
    elif code == "public_service":
        parts.append(_("无公共服务场所"))
    elif code == "collective_income":
        parts.append(
            _("村集体经济收入 %(income)s 元，未超过 0") % {"income": _n(i.get("collective_income"))}
        )
    elif code == "committee":
        parts.append(_("村两委班子未评为好"))
    elif code == "social_assistance":
        parts.append(
            _("%(n)s 户低保、特困供养贫困户（共 %(all)s 户）转移性收入为 0")
            % {"n": i.get("assisted_without_transfer"), "all": i.get("assisted")}
        )
    return "；".join(parts) or _("未达到条目 %(code)s") % {"code": code}


def explain_item(code: str, verdict: RegionVerdict) -> str:
    i, t = verdict.inputs, verdict.thresholds
    failing = i.get("villages_failing")
    if failing is not None and code in failing:  # a county item repeating a village item
        names = i.get("village_names", {})
        villages = failing[code]
        return _("%(n)s 个村未达到：%(names)s") % {
            "n": len(villages),
            "names": "、".join(names.get(c, c) for c in villages),
        }
    return _village_item(code, i, t)


def explain(verdict: RegionVerdict) -> list[tuple[str, str]]:
    """(item code, explanation) for each failed item, in the standard's order."""
    return [(code, explain_item(code, verdict)) for code in verdict.failed_codes]
