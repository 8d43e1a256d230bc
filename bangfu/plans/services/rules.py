"""The rules of plans and measures, as plain functions the models' `clean()` call and the
services run through `full_clean()`. Every error names its field
(`ValidationError({field: message})`, Chinese msgids); all broken rules are reported at once."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.regions.choices import Level

from ..choices import MeasureStatus


def _level(region_id: str | None):
    from bangfu.regions.codes import level_of

    try:
        return level_of(region_id) if region_id else None
    except (KeyError, ValueError):
        return None


def fill_region(plan) -> None:
    """`region` follows what the plan is for: the village's code or the household's region."""
    if plan.household_id:
        plan.region_id = plan.household.region_id
    elif plan.village_id:
        plan.region_id = plan.village_id


def check_plan(plan) -> None:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if plan.village_id and plan.household_id:
        add("household", _("一个计划只能针对一个村或一户：请只选择村或帮扶户其中之一"))
    elif not plan.village_id and not plan.household_id:
        add("household", _("请选择计划针对的村（一村一策）或帮扶户（一户一策）"))
    elif plan.village_id and _level(plan.village_id) != Level.VILLAGE:
        add("village", _("请选择村级行政区划"))
    fill_region(plan)
    if plan.start_date and plan.end_date and plan.end_date <= plan.start_date:
        add("end_date", _("结束日期必须晚于开始日期"))
    target = plan.target_income_per_capita
    if target is not None and target < Decimal("0"):
        add("target_income_per_capita", _("目标人均纯收入不能为负数"))
    if errors:
        raise ValidationError(errors)


def check_measure(measure, today=None) -> None:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    today = today or timezone.localdate()
    if measure.cost is not None and measure.cost < Decimal("0"):
        add("cost", _("投入资金不能为负数"))
    done = measure.done_date
    if measure.status == MeasureStatus.COMPLETED and done is None:
        add("done_date", _("措施状态为已完成时必须填写完成日期"))
    if done is not None:
        if measure.status != MeasureStatus.COMPLETED:
            add("done_date", _("只有已完成的措施才能填写完成日期"))
        if done > today:
            add(
                "done_date",
                _("完成日期%(date)s晚于今天，不能填写将来的日期") % {"date": done.isoformat()},
            )
        plan = measure.plan if measure.plan_id else None
        if plan is not None and plan.start_date and done < plan.start_date:
            add(
                "done_date",
                _("完成日期不能早于计划开始日期（%(date)s）")
                % {"date": plan.start_date.isoformat()},
            )
    if errors:
        raise ValidationError(errors)
