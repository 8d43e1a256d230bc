"""Recording visits and their follow-ups: the one place the rules are checked, used by the pages,
the quick entry and the API alike. Every refusal is a ValidationError naming the field and the
reason; everything a call writes is in one transaction (with the attachment files:
`core.attachments.services.files_atomic`), so a refused entry leaves nothing behind.

Rules:
- the visit date is not in the future (local date);
- a visit is to a household or to a village (a region at village level); with both, the
  household must be in that village. `region` is set from the household, else the village;
- with a user: the cadre is one the user may see; a cadre user may record visits only to the
  households paired with them today (or to those households' villages); other users to
  households and villages in their scope;
- a follow-up is due on or after the visit date; it is done on a date not in the future and not
  before the visit.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.assistance.models import Cadre
from bangfu.assistance.scoping import active_pairings, is_cadre_user
from bangfu.core.attachments.services import attach, files_atomic
from bangfu.regions.choices import Level
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from ..choices import FollowUpStatus
from ..models import FollowUp, Visit


def reachable_households(user):
    """The households `user` may record a visit to (a cadre user: paired with them today)."""
    if is_cadre_user(user):
        return Household.objects.filter(pk__in=active_pairings(user).values("household_id"))
    return Household.objects.for_user(user)


def reachable_villages(user):
    return Region.objects.for_user(user).filter(level=Level.VILLAGE)


def check_visit(visit: Visit, user=None) -> None:
    """Validate `visit` and set its `region`; raise a ValidationError by field."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if visit.date is None:
        errors.setdefault("date", []).append(_("请填写走访日期。"))
    elif visit.date > today:
        errors.setdefault("date", []).append(
            _("走访日期 %(date)s 晚于今天（%(today)s），不能登记未来的走访。")
            % {"date": visit.date.isoformat(), "today": today.isoformat()}
        )
    village = visit.region if visit.region_id else None
    if visit.household_id:
        household = visit.household
        if village is not None and not household.region_id.startswith(village.pk):
            errors.setdefault("household", []).append(
                _("贫困户 %(no)s 不在所选的村（%(village)s）。")
                % {"no": household.household_no, "village": village.name}
            )
        visit.region_id = household.region_id
    elif village is None:
        errors.setdefault("household", []).append(_("请选择走访的贫困户或村。"))
    elif village.level != Level.VILLAGE:
        errors.setdefault("region", []).append(
            _("走访地点须为村（%(name)s 不是村）。") % {"name": village.name}
        )
    if user is not None and not errors:
        if (
            not visit.cadre_id
            or not Cadre.objects.for_user(user).filter(pk=visit.cadre_id).exists()
        ):
            errors.setdefault("cadre", []).append(_("所选干部不在您的管理范围内。"))
        if visit.household_id:
            if not reachable_households(user).filter(pk=visit.household_id).exists():
                message = (
                    _("贫困户 %(no)s 不是您的结对帮扶户，不能登记走访。")
                    if is_cadre_user(user)
                    else _("贫困户 %(no)s 不在您的管理范围内。")
                )
                errors.setdefault("household", []).append(
                    message % {"no": visit.household.household_no}
                )
        elif not reachable_villages(user).filter(pk=visit.region_id).exists():
            errors.setdefault("region", []).append(
                _("村 %(name)s 不在您的管理范围内。") % {"name": visit.region.name}
            )
    if errors:
        raise ValidationError(errors)


def save_visit(visit: Visit, user=None) -> Visit:
    """Check and save (create or change) a visit."""
    with files_atomic():
        check_visit(visit, user)
        visit.save()
    return visit


def record_visit(
    *,
    cadre: Cadre,
    date: datetime.date,
    purpose: str,
    household: Household | None = None,
    village: Region | None = None,
    findings: str = "",
    people_met: str = "",
    note: str = "",
    user=None,
) -> Visit:
    visit = Visit(
        cadre=cadre,
        household=household,
        region=village,
        date=date,
        purpose=purpose,
        findings=findings,
        people_met=people_met,
        note=note,
    )
    return save_visit(visit, user)


def check_follow_up(follow_up: FollowUp) -> None:
    errors: dict[str, list[str]] = {}
    visit = follow_up.visit
    if not (follow_up.action or "").strip():
        errors.setdefault("action", []).append(_("请填写待办事项。"))
    if follow_up.due_date is None:
        errors.setdefault("due_date", []).append(_("请填写完成期限。"))
    elif visit.date and follow_up.due_date < visit.date:
        errors.setdefault("due_date", []).append(
            _("完成期限 %(due)s 早于走访日期 %(date)s。")
            % {"due": follow_up.due_date.isoformat(), "date": visit.date.isoformat()}
        )
    if follow_up.done_date is not None:
        today = timezone.localdate()
        if follow_up.done_date > today:
            errors.setdefault("done_date", []).append(
                _("办结日期 %(date)s 晚于今天（%(today)s）。")
                % {"date": follow_up.done_date.isoformat(), "today": today.isoformat()}
            )
        elif visit.date and follow_up.done_date < visit.date:
            errors.setdefault("done_date", []).append(
                _("办结日期 %(date)s 早于走访日期 %(visit)s。")
                % {"date": follow_up.done_date.isoformat(), "visit": visit.date.isoformat()}
            )
    follow_up.status = FollowUpStatus.DONE if follow_up.done_date else FollowUpStatus.OPEN
    if errors:
        raise ValidationError(errors)


def save_follow_up(follow_up: FollowUp) -> FollowUp:
    if follow_up.owner_id is None and follow_up.visit_id:
        follow_up.owner_id = follow_up.visit.cadre_id
    with files_atomic():
        check_follow_up(follow_up)
        follow_up.save()
    return follow_up


def add_follow_up(
    visit: Visit, action: str, due_date: datetime.date, owner: Cadre | None = None
) -> FollowUp:
    return save_follow_up(FollowUp(visit=visit, action=action, due_date=due_date, owner=owner))


def complete_follow_up(follow_up: FollowUp, done_date: datetime.date, result: str = "") -> FollowUp:
    follow_up.done_date = done_date
    if result:
        follow_up.result = result
    return save_follow_up(follow_up)


def quick_entry(
    user,
    *,
    cadre: Cadre,
    date: datetime.date,
    purpose: str,
    household: Household | None = None,
    village: Region | None = None,
    findings: str = "",
    follow_up_action: str = "",
    follow_up_due_date: datetime.date | None = None,
    photos=(),
) -> Visit:
    """The phone page's save: the visit, an optional follow-up and photos, all or nothing."""
    with files_atomic():
        visit = record_visit(
            cadre=cadre,
            date=date,
            purpose=purpose,
            household=household,
            village=village,
            findings=findings,
            user=user,
        )
        if follow_up_action or follow_up_due_date:
            try:
                add_follow_up(visit, follow_up_action, follow_up_due_date)
            except ValidationError as exc:
                raise ValidationError(
                    {f"follow_up_{k}": v for k, v in exc.message_dict.items()}
                ) from None
        for photo in photos:
            try:
                attach(visit, photo, user)
            except ValidationError as exc:
                raise ValidationError({"photo": exc.messages}) from None
    return visit
