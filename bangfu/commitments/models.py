"""Recurring commitments (帮扶承诺): a unit or a donor promises N yuan per period (monthly,
quarterly, yearly) to a household or one of its members, from a start date until an end date or
an event such as graduation; when the event is recorded its date becomes the end date.

The schedule is computed, not stored: period k is due on start + k × period (`services.schedule`),
so a commitment's due dates follow from four columns and the "overdue" check counts, in SQL, the
periods due by a date against the periods paid in full (`services.schedule.with_overdue`). A
payment names the period it covers by that period's due date, one payment per period.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.assistance.scoping import AssistanceManager
from bangfu.core.audit import AuditedModel
from bangfu.registry import copies

from .choices import EndEvent, Period

MONEY = {"max_digits": 14, "decimal_places": 2}


class Commitment(AuditedModel):
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("受助户"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    member = models.ForeignKey(
        "registry.Member",
        verbose_name=_("受助成员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        help_text=_("资助到人时填写，如学生"),
    )
    unit = models.ForeignKey(
        "assistance.Unit",
        verbose_name=_("承诺单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    donor = models.CharField(_("承诺人（非帮扶单位）"), max_length=200, blank=True)
    purpose = models.CharField(_("用途"), max_length=200)
    amount = models.DecimalField(_("每期金额（元）"), **MONEY)
    period = models.CharField(_("发放周期"), max_length=12, choices=Period.choices)
    start_date = models.DateField(_("首期日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    end_event = models.CharField(
        _("直到事件"), max_length=16, choices=EndEvent.choices, default="", blank=True
    )
    event_date = models.DateField(_("事件发生日期"), null=True, blank=True)
    # A copy of the household's region (bangfu/registry/copies.py keeps it in step): scope, the
    # region filter and the region figures read it without joining households.
    region = copies.region_copy_field()

    scope_region_path = "region"
    scope_household_path = "household"
    scope_unit_path = "unit__path"
    objects = AssistanceManager()

    class Meta:
        verbose_name = _("帮扶承诺")
        verbose_name_plural = _("帮扶承诺")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "start_date"]),
            models.Index(fields=["start_date", "id"]),  # the list's order, newest first
        ]

    def __str__(self) -> str:
        who = self.member.name if self.member_id else str(self.household)
        return f"{self.giver} → {who} · {self.amount}/{self.get_period_display()}"

    @property
    def giver(self) -> str:
        return self.unit.name if self.unit_id else self.donor

    def audit_subject(self):
        return self.household

    @classmethod
    def get_audit_fields(cls):
        return copies.audit_fields(cls)

    def save(self, *args, **kwargs):
        super().save(*args, **copies.save_kwargs(self, kwargs))

    def clean(self):
        from .services.rules import check_commitment

        check_commitment(self)


class CommitmentPayment(AuditedModel):
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("帮扶承诺"), on_delete=models.CASCADE, related_name="payments"
    )
    period_start = models.DateField(_("所属期（应发日期）"))
    date = models.DateField(_("发放日期"))
    amount = models.DecimalField(_("发放金额（元）"), **MONEY)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_region_path = "commitment__region"
    scope_household_path = "commitment__household"
    scope_unit_path = "commitment__unit__path"
    objects = AssistanceManager()

    class Meta:
        verbose_name = _("承诺发放记录")
        verbose_name_plural = _("承诺发放记录")
        ordering = ["commitment_id", "period_start"]
        # The overdue check counts a commitment's payments in full up to a date: with the
        # amount in the index that is an index-only scan per commitment.
        indexes = [
            models.Index(
                fields=["commitment", "period_start", "amount"], name="commitment_paid_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "period_start"], name="commitment_period_paid_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_start} · {self.amount}"

    def audit_subject(self):
        return self.commitment.household

    def clean(self):
        from .services.rules import check_payment

        check_payment(self)
