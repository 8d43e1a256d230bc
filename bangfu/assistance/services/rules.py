"""The rules of designated assistance, as plain functions each model's `clean()` calls and the
creating services run through `full_clean()`.

Periods are inclusive: a record ending on the day another starts overlaps it; a record may end
on the day it starts. `end_date` None means still running. Errors name the field they are about
(`ValidationError({field: message})`) with Chinese msgids.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.regions.choices import Level
from bangfu.registry import idnumber

VILLAGE_CODE_LENGTH = 12


# ---- dates -------------------------------------------------------------------------------------


def active_q(date: datetime.date, prefix: str = "") -> Q:
    """Records (reached by `prefix`, e.g. "pairings__") running on `date`."""
    return Q(**{f"{prefix}start_date__lte": date}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": date})
    )


def overlap_q(start: datetime.date, end: datetime.date | None) -> Q:
    """Records whose inclusive period shares at least one day with [start, end]."""
    q = Q(end_date__isnull=True) | Q(end_date__gte=start)
    if end is not None:
        q &= Q(start_date__lte=end)
    return q


def check_period(obj) -> None:
    if obj.start_date and obj.end_date and obj.end_date < obj.start_date:
        raise ValidationError({"end_date": _("结束日期不能早于开始日期")})


def ensure_not_future(
    value: datetime.date, field: str, today: datetime.date | None = None
) -> datetime.date:
    """Refuse a date after today (for records of things done, e.g. visits)."""
    today = today or timezone.localdate()
    if value > today:
        raise ValidationError(
            {field: _("日期%(date)s晚于今天，不能填写将来的日期") % {"date": value.isoformat()}}
        )
    return value


def _overlapping(queryset: QuerySet, obj) -> QuerySet:
    qs = queryset.filter(overlap_q(obj.start_date, obj.end_date))
    return qs.exclude(pk=obj.pk) if obj.pk else qs


def _region_level(region_id: str | None) -> int | None:
    from bangfu.regions.codes import level_of

    try:
        return level_of(region_id) if region_id else None
    except (KeyError, ValueError):
        return None


def _check_village(obj, field: str = "village") -> None:
    region_id = getattr(obj, f"{field}_id")
    if region_id and _region_level(region_id) != Level.VILLAGE:
        raise ValidationError({field: _("请选择村级行政区划")})


# ---- units and assignments ---------------------------------------------------------------------


def check_unit_parent(unit) -> None:
    if not unit.parent_id or not unit.pk:
        return
    from ..models import Unit

    parent_path = Unit.objects.filter(pk=unit.parent_id).values_list("path", flat=True).first()
    if unit.parent_id == unit.pk or (
        parent_path and unit.path and parent_path.startswith(unit.path)
    ):
        raise ValidationError({"parent": _("上级帮扶单位不能是本单位或本单位的后盾单位")})


def units_related_to(unit) -> Q:
    """Units whose assignments a cadre of `unit` may work in: the unit, its ancestors (the unit
    it backs) and its backing units — as a Q on Unit."""
    return Q(path__startswith=unit.path) | Q(pk__in=unit.ancestor_ids())


def check_assignment(assignment) -> None:
    from ..models import Assignment

    check_period(assignment)
    _check_village(assignment)
    if assignment.backing_unit_id and assignment.unit_id:
        backing, unit = assignment.backing_unit, assignment.unit
        if backing.pk == unit.pk or not backing.path.startswith(unit.path):
            raise ValidationError({"backing_unit": _("后盾单位必须是该帮扶单位的下属后盾单位")})
    if assignment.unit_id and assignment.village_id and assignment.start_date:
        clash = _overlapping(
            Assignment.objects.filter(unit_id=assignment.unit_id, village_id=assignment.village_id),
            assignment,
        )
        if clash.exists():
            raise ValidationError(
                {"start_date": _("该单位在这段时间已定点帮扶该村，请先结束原定点帮扶")}
            )


# ---- cadres and postings -----------------------------------------------------------------------


def check_cadre(cadre) -> None:
    if cadre.id_number:
        try:
            cadre.id_number = idnumber.validate(cadre.id_number)
        except idnumber.InvalidIdNumber as exc:
            raise ValidationError({"id_number": str(exc)}) from None
        if not cadre.sex:
            cadre.sex = idnumber.sex(cadre.id_number)


def check_posting(posting) -> None:
    from ..choices import PostingRole
    from ..models import Posting

    check_period(posting)
    _check_village(posting)
    if not (posting.cadre_id and posting.start_date and posting.role):
        return
    same_role = _overlapping(
        Posting.objects.filter(cadre_id=posting.cadre_id, role=posting.role), posting
    )
    if same_role.exists():
        raise ValidationError(
            {"start_date": _("该干部在这段时间已有相同职务的驻村任职，请先结束原任职")}
        )
    if posting.village_id:
        check_posting_village(posting)
    if posting.role == PostingRole.FIRST_SECRETARY and posting.village_id:
        other = _overlapping(
            Posting.objects.filter(village_id=posting.village_id, role=PostingRole.FIRST_SECRETARY),
            posting,
        ).first()
        if other is not None:
            raise ValidationError(
                {
                    "role": _(
                        "该村在这段时间已有第一书记（%(name)s），一个村同时只能有一名第一书记"
                    )
                    % {"name": other.cadre.name}
                }
            )


def check_posting_village(posting) -> None:
    """A cadre is stationed only in a village assigned to their unit or a unit in its tree (the
    unit it backs, or its backing units) — on the posting's start date and, when it has one, its
    end date (each date covered by some such assignment)."""
    from ..models import Assignment, Unit

    unit = posting.cadre.unit
    related = Unit.objects.filter(units_related_to(unit))
    assigned = Assignment.objects.filter(village_id=posting.village_id).filter(
        Q(unit__in=related) | Q(backing_unit__in=related)
    )
    for date in (posting.start_date, posting.end_date):
        if date and not assigned.filter(active_q(date)).exists():
            raise ValidationError(
                {
                    "village": _(
                        "该村在%(date)s不是%(unit)s（或其上级、后盾单位）的定点帮扶村，"
                        "不能派驻该单位的干部"
                    )
                    % {"date": date.isoformat(), "unit": unit.name}
                }
            )


# ---- pairings ----------------------------------------------------------------------------------


def household_village(household) -> str:
    """The village code of a household registered at village or group level."""
    return household.region_id[:VILLAGE_CODE_LENGTH]


def check_pairing(pairing) -> None:
    from ..models import Assignment, Pairing, Unit

    check_period(pairing)
    if not (pairing.household_id and pairing.start_date):
        return
    clash = _overlapping(Pairing.objects.filter(household_id=pairing.household_id), pairing).first()
    if clash is not None:
        raise ValidationError(
            {
                "start_date": _(
                    "该户在这段时间已由%(name)s结对帮扶，一户同时只能有一名帮扶责任人"
                    "（换人请先结束原结对）"
                )
                % {"name": clash.cadre.name}
            }
        )
    if not pairing.cadre_id:
        return
    unit = pairing.cadre.unit
    assigned = Assignment.objects.filter(
        active_q(pairing.start_date),
        village_id=household_village(pairing.household),
    ).filter(
        Q(unit__in=Unit.objects.filter(units_related_to(unit)))
        | Q(backing_unit__in=Unit.objects.filter(units_related_to(unit)))
    )
    if not assigned.exists():
        raise ValidationError(
            {
                "household": _(
                    "该户所在村在%(date)s不是%(unit)s（或其上级、后盾单位）的定点帮扶村，不能结对"
                )
                % {"date": pairing.start_date.isoformat(), "unit": unit.name}
            }
        )


# ---- zones and responsibilities ----------------------------------------------------------------


def check_zone(zone) -> None:
    if zone.region_id and _region_level(zone.region_id) != Level.COUNTY:
        raise ValidationError({"region": _("战区的所属区划必须是县级")})
    if zone.parent_id:
        parent = zone.parent
        if parent.region_id != zone.region_id:
            raise ValidationError({"parent": _("上级战区必须属于同一个县")})
        node = parent
        while node is not None:
            if zone.pk and node.pk == zone.pk:
                raise ValidationError({"parent": _("上级战区不能是本战区或其下级作战单元")})
            node = node.parent


def _zone_has_village(zone, village_code: str) -> bool:
    return zone.pk is not None and zone.villages.filter(pk=village_code).exists()


def check_responsibility(resp) -> None:
    from ..choices import ResponsibilityLevel as L
    from ..models import Responsibility

    check_period(resp)
    if not (resp.zone_id and resp.level):
        return
    zone = resp.zone
    if resp.level == L.ZONE:
        if resp.household_id:
            raise ValidationError({"household": _("战区层级的责任不填写包联户")})
        resp.region_id = zone.region_id
        target = Q(zone_id=zone.pk)
    elif resp.level in (L.VILLAGE, L.GROUP):
        expected = Level.VILLAGE if resp.level == L.VILLAGE else Level.GROUP
        if not resp.region_id or _region_level(resp.region_id) != expected:
            message = (
                _("包村责任请选择村") if expected == Level.VILLAGE else _("包组责任请选择村民小组")
            )
            raise ValidationError({"region": message})
        if resp.household_id:
            raise ValidationError({"household": _("包村、包组责任不填写包联户")})
        if not _zone_has_village(zone, resp.region_id[:VILLAGE_CODE_LENGTH]):
            raise ValidationError({"region": _("该村不在所选战区（作战单元）的范围内")})
        target = Q(region_id=resp.region_id)
    else:
        if not resp.household_id:
            raise ValidationError({"household": _("包户责任请选择包联户")})
        resp.region_id = resp.household.region_id
        if not _zone_has_village(zone, household_village(resp.household)):
            raise ValidationError({"household": _("该户所在村不在所选战区（作战单元）的范围内")})
        target = Q(household_id=resp.household_id)
    if resp.start_date:
        clash = _overlapping(Responsibility.objects.filter(target, level=resp.level), resp)
        if clash.exists():
            raise ValidationError(
                {"start_date": _("这段时间已有该层级的责任人，请先结束原包联责任")}
            )
