"""Visits (走访 / 进村入户): a cadre visits a household or a village, records what was found, and
leaves follow-ups with due dates. Photos and documents are attachments (core.attachments).

`Visit.region` is always set — the household's region or the village — so region scope is one
prefix match; unit and cadre users are scoped through the cadre (assistance/scoping.py). The
rules (date not in the future, the household or village within the user's reach) live in
`services/visits.py`, which every form, the quick entry and the API go through.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.audit import AuditedModel
from bangfu.core.scoping import ScopedManager

from .choices import FollowUpStatus, Purpose


class Visit(AuditedModel):
    cadre = models.ForeignKey(
        "assistance.Cadre",
        verbose_name=_("走访干部"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("走访户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("走访地点"),
        on_delete=models.PROTECT,
        related_name="visits",
        help_text=_("走访户所在区划，或走访的村"),
    )
    date = models.DateField(_("走访日期"), db_index=True)
    purpose = models.CharField(_("走访事由"), max_length=16, choices=Purpose.choices)
    findings = models.TextField(_("走访情况"), blank=True)
    people_met = models.CharField(_("走访对象"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)

    scope_region_path = "region"
    scope_unit_path = "cadre__unit__path"
    scope_cadre_path = "cadre"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("走访")
        verbose_name_plural = _("走访")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["household", "date"]),
            models.Index(fields=["cadre", "date"]),
            models.Index(fields=["region", "date"]),
        ]

    def __str__(self) -> str:
        target = self.household.household_no if self.household_id else self.region.name
        return f"{self.date} · {target}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("visits:visit", kwargs={"pk": self.pk})

    def audit_subject(self):
        return self.household if self.household_id else self


class FollowUp(AuditedModel):
    """Something to do after a visit, by a due date; overdue = open and due before today."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("走访"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    action = models.CharField(_("待办事项"), max_length=500)
    due_date = models.DateField(_("完成期限"))
    done_date = models.DateField(_("办结日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    owner = models.ForeignKey(
        "assistance.Cadre",
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    result = models.CharField(_("办理结果"), max_length=500, blank=True)

    scope_region_path = "visit__region"
    scope_unit_path = "visit__cadre__unit__path"
    scope_cadre_path = "visit__cadre"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("走访待办")
        verbose_name_plural = _("走访待办")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.action[:40]} · {self.due_date}"

    def get_absolute_url(self) -> str:
        return self.visit.get_absolute_url()

    @property
    def is_overdue(self) -> bool:
        return self.status == FollowUpStatus.OPEN and self.due_date < timezone.localdate()

    def audit_subject(self):
        return self.visit.audit_subject()
