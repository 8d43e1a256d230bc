"""The rules an activity must satisfy; `Activity.clean()` runs them and the services call
`full_clean()`, so the page, the API and the generator are judged alike. Each error names its
field in Chinese."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from bangfu.assistance.services.rules import (
    _region_level,
    active_q,
    ensure_not_future,
    units_related_to,
)
from bangfu.regions.choices import Level

from ..choices import KIND_COUNTS


def check_activity(activity) -> None:
    if activity.date:
        ensure_not_future(activity.date, "date")
    _check_place(activity)
    _check_counts(activity)
    if activity.cadre_id and activity.unit_id:
        cadre_unit = activity.cadre.unit
        if not cadre_unit.path.startswith(activity.unit.path):
            raise ValidationError(
                {
                    "cadre": _("负责干部%(name)s不属于%(unit)s或其后盾单位")
                    % {"name": activity.cadre.name, "unit": activity.unit.name}
                }
            )


def _check_place(activity) -> None:
    """The village (when given) sets `region`; without one, `region` is a county or township
    (a county-wide activity). A village activity's unit must be assigned to it on the date."""
    from bangfu.assistance.models import Assignment, Unit

    if activity.village_id:
        if _region_level(activity.village_id) != Level.VILLAGE:
            raise ValidationError({"village": _("请选择村级行政区划")})
        activity.region_id = activity.village_id
    elif activity.region_id:
        level = _region_level(activity.region_id)
        if level == Level.VILLAGE:
            activity.village_id = activity.region_id
        elif level not in (Level.COUNTY, Level.TOWNSHIP):
            raise ValidationError({"region": _("不填村时，所属区划请选择县或乡镇")})
    else:
        raise ValidationError({"village": _("请选择村，或为全县（乡镇）范围的活动选择所属区划")})
    if activity.village_id and activity.unit_id and activity.date:
        related = Unit.objects.filter(units_related_to(activity.unit))
        assigned = Assignment.objects.filter(
            active_q(activity.date), village_id=activity.village_id
        ).filter(Q(unit__in=related) | Q(backing_unit__in=related))
        if not assigned.exists():
            raise ValidationError(
                {
                    "village": _("该村在%(date)s不是%(unit)s（或其上级、后盾单位）的定点帮扶村")
                    % {"date": activity.date.isoformat(), "unit": activity.unit.name}
                }
            )


def _check_counts(activity) -> None:
    spec = KIND_COUNTS.get(activity.kind)
    if spec is None:
        return
    if not spec.participants and activity.participants:
        raise ValidationError(
            {
                "participants": _("%(kind)s不记录参加人次，请填 0")
                % {"kind": activity.get_kind_display()}
            }
        )
    if spec.count_label is None and activity.count:
        raise ValidationError(
            {"count": _("%(kind)s不记录数量，请填 0") % {"kind": activity.get_kind_display()}}
        )
