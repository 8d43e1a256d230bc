"""Coded values of plans and measures: English codes in the database, Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("执行中")
    COMPLETED = "completed", _("已完成")
    TERMINATED = "terminated", _("已终止")


class PlanKind(models.TextChoices):
    """Not stored: a plan is a village plan or a household plan by which of the two it names."""

    VILLAGE = "village", _("一村一策")
    HOUSEHOLD = "household", _("一户一策")


class MeasureKind(models.TextChoices):
    """帮扶措施的类型 (glossary `Measure.kind`)."""

    INDUSTRY = "industry", _("产业")
    EMPLOYMENT = "employment", _("就业")
    EDUCATION = "education", _("教育")
    HEALTH = "health", pgettext_lazy("measure kind", "健康")
    HOUSING = "housing", _("住房")
    RELOCATION = "relocation", _("易地搬迁")
    ECOLOGY = "ecology", _("生态")
    FINANCE = "finance", _("金融")
    SOCIAL_SECURITY = "social_security", _("兜底")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    OTHER = "other", _("其他")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("计划")
    IN_PROGRESS = "in_progress", _("实施中")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已取消")


# Measures that are no longer expected to be done: never overdue.
CLOSED_MEASURE_STATUSES = (MeasureStatus.COMPLETED, MeasureStatus.CANCELLED)
OPEN_MEASURE_STATUSES = tuple(s for s in MeasureStatus if s not in CLOSED_MEASURE_STATUSES)
