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
        return self.pk is not None and (
            self.verdicts.exists() or self.runs.exists() or self.region_verdicts.exists()
        )


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


class EvaluationRun(AuditedModel):
    """One evaluation of a standard for a year over a region: the version pinned at the start
    (a standard edited meanwhile does not change the run), the thresholds used per province
    (stored once here, not per verdict), who started it, progress and counts. Re-runs add a
    new run with its own verdicts; nothing is replaced."""

    class Status(models.TextChoices):
        PENDING = "pending", _("等待中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="runs")
    version = models.ForeignKey(
        StandardVersion, on_delete=models.PROTECT, related_name="runs", null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="evaluation_runs",
        null=True,
        blank=True,
        verbose_name=_("区划"),
    )
    thresholds = models.JSONField(_("所用阈值"), default=dict)  # {province: {name: "value"}}
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    started_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    started = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished = models.DateTimeField(_("结束时间"), null=True, blank=True)
    evaluated = models.PositiveIntegerField(_("已评估"), default=0)
    passed = models.PositiveIntegerField(_("达标"), default=0)
    failed = models.PositiveIntegerField(_("未达标"), default=0)
    skipped = models.PositiveIntegerField(_("无调查跳过"), default=0)
    error = models.TextField(_("错误信息"), blank=True)

    scope_region_path = "region"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("评估批次")
        verbose_name_plural = _("评估批次")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.standard_id and self.standard.code} {self.year} #{self.pk}"

    @property
    def finished_ok(self) -> bool:
        return self.status == self.Status.DONE


class Verdict(AuditedModel):
    """One subject's result under one standard version for one year.

    Verdicts are derived data, written by services/evaluate.py with one INSERT … SELECT per
    province and no audit entry per row: each is reproducible from audited inputs (surveys,
    thresholds) and an immutable version. It records the version, its run (which holds the
    thresholds used, once), the inputs the explanations quote as typed columns copied from the
    survey, and the result of every item: `failed_items` lists the failing codes in the
    standard's order; every other item active that year passed. A later change to one verdict
    (save/delete) is audited like any other record.
    """

    # No database FK constraints on the verdict's references (Django's PROTECT / CASCADE still
    # apply): the INSERT … SELECT takes every id from rows it has just joined (household, region)
    # or written in the same transaction (run, version), and a constraint check per row — on
    # PostgreSQL a `SELECT … FOR KEY SHARE` of the same run and version row a million times —
    # made writing a province's verdicts 8× slower than evaluating them (docs/benchmarks.md).
    version = models.ForeignKey(
        StandardVersion,
        on_delete=models.PROTECT,
        related_name="verdicts",
        db_index=False,
        db_constraint=False,
    )
    run = models.ForeignKey(
        EvaluationRun,
        on_delete=models.CASCADE,
        related_name="verdicts",
        null=True,
        blank=True,
        db_index=False,  # served by the (run, passed) index
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="verdicts",
        db_constraint=False,
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="verdicts",
        db_constraint=False,
        db_index=False,  # a plain index in Meta: no second `_like` index on PostgreSQL
    )
    passed = models.BooleanField(_("是否达标"))
    failed_items = models.CharField(_("未达标条目"), max_length=300, blank=True)
    # inputs, copied from the survey in the same statement
    net_income = models.DecimalField(
        _("纯收入"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    earned_income = models.DecimalField(
        _("工资性、经营性和财产性收入"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    household_size = models.PositiveSmallIntegerField(_("家庭人口数"), null=True, blank=True)
    farmland_mu = models.DecimalField(
        _("耕地面积(亩)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    housing_safety = models.CharField(_("住房安全等级"), max_length=2, blank=True)
    relocated = models.BooleanField(_("是否易地扶贫搬迁"), null=True, blank=True)
    members_uninsured = models.PositiveSmallIntegerField(
        _("未参加基本医疗保险的成员数"), null=True, blank=True
    )
    children_out_of_school = models.PositiveSmallIntegerField(
        _("失学辍学的适龄成员数"), null=True, blank=True
    )
    created = models.DateTimeField(_("评估时间"), auto_now_add=True)

    scope_region_path = "region"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("评估结果")
        verbose_name_plural = _("评估结果")
        ordering = ["-year", "region", "household"]
        # household (FK index: the household page), region (FK index: scoped lists) and
        # (run, passed) (a run's verdicts and CSV; its counts from the index alone) serve every
        # query; the former version and year indexes only slowed the INSERT … SELECT.
        indexes = [
            models.Index(fields=["run", "passed"], name="standards_verdict_run_passed"),
            models.Index(fields=["region"], name="standards_verdict_region"),
        ]
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

    @property
    def thresholds(self) -> dict:
        """The thresholds the evaluation used (kept once on its run, per province)."""
        if "thresholds_override" in self.__dict__:  # an unsaved what-if verdict
            return self.__dict__["thresholds_override"]
        if not self.run_id:
            return {}
        per = self.run.thresholds or {}
        return per.get(self.region_id[:2]) or per.get("") or {}

    @property
    def inputs(self) -> dict:
        """The inputs as strings, as the explanations quote them."""
        from decimal import Decimal

        def s(v):
            return None if v is None else str(v)

        per_person = None
        if self.net_income is not None and self.household_size:
            per_person = str(
                (Decimal(self.net_income) / self.household_size).quantize(Decimal("0.01"))
            )
        return {
            "net_income": s(self.net_income),
            "net_income_per_person": per_person,
            "earned_income": s(self.earned_income),
            "household_size": self.household_size,
            "farmland_mu": s(self.farmland_mu),
            "housing_safety": self.housing_safety,
            "relocated": self.relocated,
            "n_uninsured": self.members_uninsured,
            "n_out_of_school": self.children_out_of_school,
        }


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
    run = models.ForeignKey(
        EvaluationRun,
        on_delete=models.CASCADE,
        related_name="region_verdicts",
        null=True,
        blank=True,
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
