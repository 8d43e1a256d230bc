"""Project rules: status and dates, beneficiaries, outputs.

- 在建 needs a start date; 已完工 needs a completion date; 已验收 needs the project completed
  (a completion date) — accepting a project that was never completed is refused;
- a completion date before the start date is refused;
- a beneficiary household lives in the project's village, or at least its county (a road serves
  the neighbouring villages too); anyone else is refused, named by household number.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.core.choices import AuditAction
from bangfu.regions.choices import LEVEL_LENGTH, Level

from ..choices import ProjectStatus
from ..models import Project, ProjectOutput

COUNTY_LENGTH = LEVEL_LENGTH[Level.COUNTY]


def check_project(project: Project) -> None:
    errors: dict[str, list[str]] = {}
    start, done = project.start_date, project.completion_date
    if start and done and done < start:
        errors.setdefault("completion_date", []).append(
            _("完工日期 %(done)s 早于开工日期 %(start)s。")
            % {"done": done.isoformat(), "start": start.isoformat()}
        )
    if project.status == ProjectStatus.UNDERWAY and not start:
        errors.setdefault("start_date", []).append(_("在建项目须填写开工日期。"))
    if project.status == ProjectStatus.COMPLETED and not done:
        errors.setdefault("completion_date", []).append(_("已完工项目须填写完工日期。"))
    if project.status == ProjectStatus.ACCEPTED and not done:
        errors.setdefault("status", []).append(_("项目尚未完工（没有完工日期），不能验收。"))
    if project.status == ProjectStatus.PLANNED and done:
        errors.setdefault("status", []).append(_("已填写完工日期的项目不能是“计划”状态。"))
    if project.village_id and len(project.village_id) != LEVEL_LENGTH[Level.VILLAGE]:
        errors.setdefault("village", []).append(_("项目所在地须是一个村。"))
    if errors:
        raise ValidationError(errors)


def save_project(project: Project) -> Project:
    """Create or change a project. Once it has received money its village is fixed: its
    allocations are recorded in that village (the region totals count them there)."""
    project.full_clean()
    if project.pk:
        old = Project.objects.filter(pk=project.pk).values_list("village_id", flat=True).first()
        if old and old != project.village_id and project.allocations.exists():
            raise ValidationError(
                {"village": _("项目已有资金拨付，不能改到其他村（拨付记在原村）。")}
            )
    project.save()
    return project


def set_beneficiaries(project: Project, households) -> None:
    """Replace the beneficiaries; each must live in the project's county."""
    county = project.village_id[:COUNTY_LENGTH]
    outside = [h.household_no for h in households if not h.region_id.startswith(county)]
    if outside:
        raise ValidationError(
            {
                "beneficiaries": _("受益户 %(list)s 不在项目所在村或县，不能列为受益户。")
                % {"list": "、".join(outside)}
            }
        )
    with transaction.atomic():
        project.beneficiaries.set(households)


def add_beneficiary(link) -> None:
    """Record one beneficiary household of a project (a row of the 项目受益户 sheet: `link` is an
    unsaved `Project.beneficiaries.through`): the household must live in the project's county;
    the addition is audited on the project's page."""
    from bangfu.core import audit

    project, household = link.project, link.household
    if not household.region_id.startswith(project.village_id[:COUNTY_LENGTH]):
        raise _outside(project, household)
    link.save()
    audit.bulk_record([audit.entry(*_beneficiary_audit(link))])


def _outside(project: Project, household) -> ValidationError:
    return ValidationError(
        {
            "household": _("受益户 %(list)s 不在项目所在村或县，不能列为受益户。")
            % {"list": household.household_no}
        }
    )


def _beneficiary_audit(link) -> tuple:
    """The audit entry's fields for one added beneficiary (`add_beneficiary`'s entry)."""
    project, household = link.project, link.household
    return (
        AuditAction.CREATE,
        "funds.project_beneficiaries",
        link.pk,
        f"{project} · {household.household_no}",
        Project._meta.label_lower,
        project.pk,
        None,
        {"beneficiaries": household.household_no},
    )


def add_beneficiaries(links: list) -> dict[int, ValidationError]:
    """Record new beneficiary households set-based (the 项目受益户 import's `bulk_writer`):
    each refused as `add_beneficiary` refuses it — a household outside the project's county, or
    one already a beneficiary of the project (in the database: one grouped query for the batch;
    or earlier in the batch), with the message the row-by-row path gives for the latter — then
    one INSERT of the others and their audit entries on the projects' pages. Returns
    `{index: ValidationError}` of the refused ones."""
    from bangfu.core.imports.bulk import AuditWriter, insert_objects

    through = Project.beneficiaries.through
    pairs = {(link.project_id, link.household_id) for link in links}
    linked = set(
        through.objects.filter(
            project_id__in={p for p, _h in pairs}, household_id__in={h for _p, h in pairs}
        ).values_list("project_id", "household_id")
        if pairs
        else ()
    )
    errors: dict[int, ValidationError] = {}
    written = []
    for i, link in enumerate(links):
        project, household = link.project, link.household
        if not household.region_id.startswith(project.village_id[:COUNTY_LENGTH]):
            errors[i] = _outside(project, household)
            continue
        key = (link.project_id, link.household_id)
        if key in linked:  # the row-by-row path: the database's unique (project, household)
            errors[i] = ValidationError(_("与已有记录冲突（重复或不一致），未写入"))
            continue
        linked.add(key)
        written.append(link)
    if written:
        insert_objects(through, written)
        audit = AuditWriter()
        for link in written:
            audit.add(*_beneficiary_audit(link))
        audit.flush()
    return errors


def add_output(project: Project, name: str, quantity, measure: str) -> ProjectOutput:
    output = ProjectOutput(project=project, name=name, quantity=quantity, measure=measure)
    output.full_clean()
    output.save()
    return output
