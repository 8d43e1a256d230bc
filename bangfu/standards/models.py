"""Standards as data: a standard, its versions, the items of a version (each a declarative rule,
see expressions.py), thresholds by year and province, and the verdicts an evaluation stored.

A version is immutable once a verdict names it: its items can no longer be added, changed or
deleted (a new version is made instead), so a verdict always says which rules it applied.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.audit import AuditedModel
from bangfu.core.scoping import ScopedManager

from . import expressions
from .choices import Subject

NATIONAL = ""  # Threshold.province for a national value


class GlobalQuerySet(models.QuerySet):
    """Standards and thresholds are the same for every user: for_user() is everything."""

    def for_user(self, user):
        return self.all()


class Standard(AuditedModel):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    subject = models.CharField(_("对象"), max_length=12, choices=Subject.choices)
    province = models.CharField(_("省份代码"), max_length=2, blank=True)

    objects = GlobalQuerySet.as_manager()

    class Meta:
        verbose_name = _("退出标准")
        verbose_name_plural = _("退出标准")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def current_version(self) -> StandardVersion | None:
        return self.versions.order_by("-number").first()


class StandardVersion(AuditedModel):
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = GlobalQuerySet.as_manager()

    class Meta:
        verbose_name = _("标准版本")
        verbose_name_plural = _("标准版本")
        ordering = ["standard", "number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="standard_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.standard.code} v{self.number}"

    @property
    def in_use(self) -> bool:
        return self.pk is not None and self.verdicts.exists()


class StandardItem(AuditedModel):
    version = models.ForeignKey(StandardVersion, on_delete=models.PROTECT, related_name="items")
    code = models.SlugField(_("条目代码"), max_length=40)
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("名称"), max_length=100)
    active_from = models.PositiveSmallIntegerField(_("起始年度"), null=True, blank=True)
    active_to = models.PositiveSmallIntegerField(_("截止年度"), null=True, blank=True)
    expression = models.JSONField(_("规则"))

    objects = GlobalQuerySet.as_manager()

    class Meta:
        verbose_name = _("标准条目")
        verbose_name_plural = _("标准条目")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="standard_item_unique")
        ]

    def __str__(self) -> str:
        return self.code

    def active_in(self, year: int) -> bool:
        return (self.active_from is None or year >= self.active_from) and (
            self.active_to is None or year <= self.active_to
        )

    def clean(self):
        try:
            expressions.validate(self.expression)
        except ValidationError as e:
            raise ValidationError({"expression": e.messages}) from None
        if self.active_from and self.active_to and self.active_from > self.active_to:
            raise ValidationError({"active_to": _("截止年度不能早于起始年度")})

    def save(self, *args, **kwargs):
        self.clean()
        if StandardVersion.objects.get(pk=self.version_id).in_use:
            raise ValidationError(_("该版本已被评估结果引用，不能修改：请新建版本"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.version.in_use:
            raise ValidationError(_("该版本已被评估结果引用，不能修改：请新建版本"))
        return super().delete(*args, **kwargs)


class Threshold(AuditedModel):
    """A value by name and year, national (province "") or for one province (its 2-digit code).
    Changes are kept in the audit log (the history); a province value overrides the national."""

    name = models.SlugField(_("阈值名称"), max_length=40)
    year = models.PositiveSmallIntegerField(_("年度"))
    province = models.CharField(_("省份代码"), max_length=2, blank=True, default=NATIONAL)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)

    objects = GlobalQuerySet.as_manager()

    class Meta:
        verbose_name = _("阈值")
        verbose_name_plural = _("阈值")
        ordering = ["name", "year", "province"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year", "province"], name="threshold_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year} {self.province or '全国'}: {self.value}"


class Verdict(AuditedModel):
    """One subject's result under one standard version for one year.

    Verdicts are derived data, written in bulk by services/evaluate.py without an audit entry
    per row: each is reproducible from audited inputs (surveys, thresholds) and an immutable
    version, and records the thresholds and inputs it used. A later change to one verdict
    (save/delete) is audited like any other record.
    """

    version = models.ForeignKey(StandardVersion, on_delete=models.PROTECT, related_name="verdicts")
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="verdicts",
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="verdicts")
    passed = models.BooleanField(_("是否达标"))
    failed_items = models.CharField(_("未达标条目"), max_length=300, blank=True)
    thresholds = models.JSONField(_("所用阈值"), default=dict)
    inputs = models.JSONField(_("输入数据"), default=dict)
    created = models.DateTimeField(_("评估时间"), auto_now_add=True)

    scope_region_path = "region"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("评估结果")
        verbose_name_plural = _("评估结果")
        ordering = ["-year", "region", "household"]
        indexes = [models.Index(fields=["version", "year"])]
        permissions = [("run_evaluation", _("可运行标准评估"))]

    def __str__(self) -> str:
        subject = self.household.household_no if self.household_id else self.region_id
        return f"{subject} {self.version} {self.year}"

    @property
    def failed_codes(self) -> list[str]:
        return [c for c in self.failed_items.split(";") if c]

    @property
    def subject_code(self) -> str:
        return self.household.household_no if self.household_id else self.region_id


class RegionVerdict(AuditedModel):
    """One village's or county's result under a village or county standard version for one year
    (services/evaluate_region.py). Like `Verdict`, derived data written in bulk: it records the
    thresholds and the inputs each item used (e.g. the incidence with its numerator and
    denominator, the households with safe water out of all), so it can be explained and
    reproduced."""

    version = models.ForeignKey(
        StandardVersion, on_delete=models.PROTECT, related_name="region_verdicts"
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="region_verdicts"
    )
    passed = models.BooleanField(_("是否达标"))
    failed_items = models.CharField(_("未达标条目"), max_length=300, blank=True)
    thresholds = models.JSONField(_("所用阈值"), default=dict)
    inputs = models.JSONField(_("输入数据"), default=dict)
    created = models.DateTimeField(_("评估时间"), auto_now_add=True)

    scope_region_path = "region"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("村、县评估结果")
        verbose_name_plural = _("村、县评估结果")
        ordering = ["-year", "region", "-created"]
        indexes = [models.Index(fields=["region", "year"])]

    def __str__(self) -> str:
        return f"{self.region_id} {self.version} {self.year}"

    @property
    def failed_codes(self) -> list[str]:
        return [c for c in self.failed_items.split(";") if c]

    @property
    def subject_code(self) -> str:
        return self.region_id
