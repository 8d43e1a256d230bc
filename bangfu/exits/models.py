"""Exit cases (退出程序): a household, a village or a county passing the steps of standards.md
"Procedures" one at a time.

- `ExitCase`: the subject (a household, or a village / county region), the year and the standard
  whose verdict gates the public notice, the notice period in days, and where the case stands
  (`status`, `current_step`, kept by the service so lists filter on one column).
- `ExitStep`: one step done — which, on what date, recorded by whom, a note; evidence files are
  attachments (core.attachments) of the step.
- `Objection` (异议): raised during the notice by someone, on a date, about something; while it is
  unresolved the case stops. Resolved with an outcome and a date: dismissed → the case goes on;
  upheld → the case is closed (已终止) and the household stays as it was (a new case starts again
  from 民主评议 once the matter is put right).
- `RegionExit`: the dated "exited" state of a village or county (the Region model is not changed),
  written by the last step of its case.

Every write goes through `services/procedure.py`; every model is audited.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.audit import AuditedModel
from bangfu.core.scoping import ScopedManager

from .choices import STEPS_BY_KIND, CaseKind, CaseStatus, Outcome, Step

RATE = {"max_digits": 5, "decimal_places": 2}


def default_notice_days() -> int:
    """The minimum (and default) length of the public notice, in days: 7 (standards.md) unless
    an administrator sets `BANGFU_EXIT_NOTICE_DAYS`."""
    return int(getattr(settings, "BANGFU_EXIT_NOTICE_DAYS", 7))


class ExitCase(AuditedModel):
    kind = models.CharField(_("退出类型"), max_length=12, choices=CaseKind.choices)
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("贫困户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exit_cases",
    )
    # The household's region (village or group) for a household case; the village or county
    # that exits otherwise. Scope is one prefix match on it, as everywhere.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="exit_cases",
    )
    year = models.PositiveSmallIntegerField(_("退出年度"))
    standard_code = models.CharField(_("退出标准"), max_length=40)
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=default_notice_days)
    status = models.CharField(
        _("办理状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    current_step = models.CharField(
        _("当前步骤"), max_length=24, choices=Step.choices, blank=True, db_index=True
    )
    current_step_date = models.DateField(_("当前步骤日期"), null=True, blank=True)
    # 国家评估 (county cases): the evaluators' figures, in per cent.
    wrong_exit_rate = models.DecimalField(_("错退率（%）"), null=True, blank=True, **RATE)
    missed_rate = models.DecimalField(_("漏评率（%）"), null=True, blank=True, **RATE)
    satisfaction = models.DecimalField(_("群众认可度（%）"), null=True, blank=True, **RATE)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope_region_path = "region"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("退出案件")
        verbose_name_plural = _("退出案件")
        ordering = ["-year", "region_id", "pk"]
        indexes = [
            models.Index(fields=["region", "year"]),
            models.Index(fields=["household", "status"]),
        ]
        permissions = [("change_notice_days", _("可修改公示天数"))]

    def __str__(self) -> str:
        subject = self.household.household_no if self.household_id else self.region.name
        return f"{self.get_kind_display()} {subject} {self.year}"

    @property
    def steps_of_kind(self) -> tuple[str, ...]:
        return STEPS_BY_KIND[self.kind]

    @property
    def next_step(self) -> str | None:
        """The one step that may be recorded next (None when the procedure is over)."""
        if self.status in (CaseStatus.EXITED, CaseStatus.CLOSED):
            return None
        steps = self.steps_of_kind
        if not self.current_step:
            return steps[0]
        i = steps.index(self.current_step)
        return steps[i + 1] if i + 1 < len(steps) else None

    def get_next_step_display(self) -> str:
        nxt = self.next_step
        return str(Step(nxt).label) if nxt else ""

    def audit_subject(self):
        return self  # the case page shows the case's history (steps, objections included)


class ExitStep(AuditedModel):
    case = models.ForeignKey(
        ExitCase, verbose_name=_("退出案件"), on_delete=models.PROTECT, related_name="steps"
    )
    step = models.CharField(_("步骤"), max_length=24, choices=Step.choices)
    position = models.PositiveSmallIntegerField(_("序号"))
    date = models.DateField(_("日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("情况说明"), blank=True)
    # On a notice step: whom to tell of an objection (the village committee's contact), printed
    # on the notice.
    contact = models.CharField(_("异议受理联系方式"), max_length=200, blank=True)
    created = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_region_path = "case__region"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("退出步骤")
        verbose_name_plural = _("退出步骤")
        ordering = ["case_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "step"], name="exits_step_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.date:%Y-%m-%d}"

    def audit_subject(self):
        return self.case


class Objection(AuditedModel):
    case = models.ForeignKey(
        ExitCase, verbose_name=_("退出案件"), on_delete=models.PROTECT, related_name="objections"
    )
    raised_by = models.CharField(_("异议人"), max_length=100)
    raised_on = models.DateField(_("提出日期"))
    content = models.TextField(_("异议内容"))
    outcome = models.CharField(_("处理结果"), max_length=12, choices=Outcome.choices, blank=True)
    resolved_on = models.DateField(_("处理日期"), null=True, blank=True)
    resolution = models.TextField(_("处理情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_region_path = "case__region"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["case_id", "raised_on", "pk"]

    def __str__(self) -> str:
        return f"{self.raised_by} {self.raised_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return not self.outcome

    def audit_subject(self):
        return self.case


class RegionExit(AuditedModel):
    """A village or county marked as exited (脱贫出列 / 摘帽) on a date, by its case."""

    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="exit_record",
    )
    date = models.DateField(_("退出日期"))
    case = models.OneToOneField(
        ExitCase, verbose_name=_("退出案件"), on_delete=models.PROTECT, related_name="region_exit"
    )

    scope_region_path = "region"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("区划退出记录")
        verbose_name_plural = _("区划退出记录")
        ordering = ["region_id"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.date:%Y-%m-%d}"

    def audit_subject(self):
        return self.case


ZERO = Decimal("0")
