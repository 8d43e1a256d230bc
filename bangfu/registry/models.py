"""The registry (建档立卡): households, their members, one survey per household and year, the
members' facts for that year, and a dated status history.

What is stable about a household (number, village, category, causes) lives on `Household`;
what describes a year (income, the yes/no facts, housing, members' schooling, insurance, work)
lives on `Survey` and `MemberSurvey`, so that every year's picture is kept and standards are
evaluated against the year they describe.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bangfu.core.audit import AuditedModel
from bangfu.core.scoping import ScopedManager

from . import idnumber
from .choices import (
    Category,
    Cause,
    Education,
    Health,
    HousingSafety,
    LabourAbility,
    Relation,
    Schooling,
    Sex,
    Status,
    WorkStatus,
)

MONEY = {"max_digits": 14, "decimal_places": 2}

# The fields of each record as the exchange format, forms, the API and the import know them:
# one list per record, so that a new field is added in one place.
HOUSEHOLD_FIELDS = (
    "household_no",
    "region",
    "group_name",
    "category",
    "status",
    "registered_year",
    "exit_year",
    "main_cause",
    "other_causes",
    "phone",
)
SURVEY_FACT_FIELDS = (
    "farmland_mu",
    "housing_safety",
    "relocated",
    "safe_water",
    "electricity",
    "tv_access",
    "road_hardened",
    "food_clothing_secure",
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "business_expense",
    "household_size",
    "net_income_per_capita",
)
MEMBER_FACT_FIELDS = (
    "education",
    "schooling",
    "health",
    "labour_ability",
    "work_status",
    "work_months",
    "medical_insurance",
    "critical_illness_insurance",
    "pension_insurance",
)


class Household(AuditedModel):
    household_no = models.CharField(_("户编号"), max_length=40, unique=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="households",
        help_text=_("村或村民小组"),
    )
    group_name = models.CharField(_("村民小组"), max_length=100, blank=True)
    category = models.CharField(_("贫困户属性"), max_length=16, choices=Category.choices)
    status = models.CharField(
        _("户类型"), max_length=20, choices=Status.choices, default=Status.NOT_EXITED, db_index=True
    )
    registered_year = models.PositiveSmallIntegerField(_("纳入年度"))
    exit_year = models.PositiveSmallIntegerField(_("脱贫年度"), null=True, blank=True)
    main_cause = models.CharField(_("主要致贫原因"), max_length=20, choices=Cause.choices)
    # Codes of Cause joined by ";" — a short list, filtered with LIKE when needed.
    other_causes = models.CharField(_("其他致贫原因"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # Optimistic lock: a save with a stale version is refused, so concurrent edits lose nothing.
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    audit_fields = tuple(f if f != "region" else "region_id" for f in HOUSEHOLD_FIELDS)
    scope_region_path = "region"
    objects = ScopedManager()

    class Meta:
        verbose_name = pgettext_lazy("one household", "贫困户")
        verbose_name_plural = _("贫困户")
        ordering = ["household_no"]
        permissions = [
            ("import_registry", _("可导入建档立卡数据")),
            ("export_registry", _("可导出建档立卡数据")),
        ]

    def __str__(self) -> str:
        return self.household_no

    @property
    def other_cause_list(self) -> list[str]:
        return [c for c in self.other_causes.split(";") if c]

    def other_cause_labels(self) -> list[str]:
        labels = dict(Cause.choices)
        return [str(labels.get(c, c)) for c in self.other_cause_list]

    def head(self):
        return self.members.filter(relation=Relation.HEAD).first()

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:  # region or category may have changed: the copies follow (copies.py)
            from . import copies

            copies.on_households_changed([self.pk])


class Member(AuditedModel):
    household = models.ForeignKey(
        Household, verbose_name=_("所属户"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("证件号码"), max_length=18, unique=True)
    relation = models.CharField(_("与户主关系"), max_length=20, choices=Relation.choices)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)

    audit_fields = (
        "household_id",
        "name",
        "id_number",
        "relation",
        "sex",
        "birth_date",
        "ethnicity",
    )
    scope_region_path = "household__region"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["household_id", "id"]

    def __str__(self) -> str:
        return self.name

    def audit_subject(self):
        return self.household

    def save(self, *args, **kwargs):
        # Sex and birth date always follow the ID number.
        if self.id_number:
            self.sex = idnumber.sex(self.id_number)
            self.birth_date = idnumber.birth_date(self.id_number)
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:  # moved to another household: the jobs follow its region (copies.py)
            from . import copies

            copies.on_members_moved([self.pk])


class Survey(AuditedModel):
    """A household's facts for one year: income components, the yes/no facts, housing, size."""

    # No index of its own: the unique (household, year) constraint's index starts with it and
    # serves every look-up by household (one index less to maintain per imported survey).
    household = models.ForeignKey(
        Household,
        verbose_name=_("所属户"),
        on_delete=models.CASCADE,
        related_name="surveys",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("调查年度"), db_index=True)
    farmland_mu = models.DecimalField(_("耕地面积(亩)"), max_digits=10, decimal_places=2)
    housing_safety = models.CharField(
        _("住房安全等级"), max_length=1, choices=HousingSafety.choices
    )
    relocated = models.BooleanField(_("是否易地扶贫搬迁"))
    safe_water = models.BooleanField(_("饮水安全"))
    electricity = models.BooleanField(_("通生活用电"))
    tv_access = models.BooleanField(_("通广播电视"))
    road_hardened = models.BooleanField(_("自然村通硬化路"))
    food_clothing_secure = models.BooleanField(_("吃穿不愁"))
    wage_income = models.DecimalField(_("工资性收入"), **MONEY)
    business_income = models.DecimalField(_("生产经营性收入"), **MONEY)
    property_income = models.DecimalField(_("财产性收入"), **MONEY)
    transfer_income = models.DecimalField(_("转移性收入"), **MONEY)
    business_expense = models.DecimalField(_("生产经营性支出"), **MONEY)
    household_size = models.PositiveSmallIntegerField(_("家庭人口数"))
    net_income_per_capita = models.DecimalField(_("人均纯收入"), **MONEY)

    scope_region_path = "household__region"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("年度调查")
        verbose_name_plural = _("年度调查")
        ordering = ["household_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="survey_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.household_id}/{self.year}"

    def audit_subject(self):
        return self.household

    @staticmethod
    def compute_net_income_per_capita(wage, business, prop, transfer, expense, size) -> Decimal:
        total = (
            Decimal(wage) + Decimal(business) + Decimal(prop) + Decimal(transfer) - Decimal(expense)
        )
        return (total / Decimal(size)).quantize(Decimal("0.01")) if size else Decimal("0")

    def save(self, *args, **kwargs):
        self.net_income_per_capita = self.compute_net_income_per_capita(
            self.wage_income,
            self.business_income,
            self.property_income,
            self.transfer_income,
            self.business_expense,
            self.household_size,
        )
        super().save(*args, **kwargs)


class MemberSurvey(AuditedModel):
    """A member's facts in a survey year: schooling, health, work, insurance."""

    # No index of its own: the unique (survey, member) constraint's index starts with it.
    survey = models.ForeignKey(
        Survey,
        verbose_name=_("年度调查"),
        on_delete=models.CASCADE,
        related_name="member_surveys",
        db_index=False,
    )
    member = models.ForeignKey(
        Member, verbose_name=_("成员"), on_delete=models.CASCADE, related_name="surveys"
    )
    education = models.CharField(
        _("文化程度"), max_length=24, choices=Education.choices, blank=True
    )
    schooling = models.CharField(_("在校生状况"), max_length=24, choices=Schooling.choices)
    health = models.CharField(_("健康状况"), max_length=20, choices=Health.choices, blank=True)
    labour_ability = models.CharField(_("劳动技能"), max_length=12, choices=LabourAbility.choices)
    work_status = models.CharField(
        _("务工状况"), max_length=12, choices=WorkStatus.choices, blank=True
    )
    work_months = models.PositiveSmallIntegerField(_("务工时间(月)"), null=True, blank=True)
    medical_insurance = models.BooleanField(_("参加基本医疗保险"))
    critical_illness_insurance = models.BooleanField(_("参加大病保险"), null=True, blank=True)
    pension_insurance = models.BooleanField(_("参加基本养老保险"), null=True, blank=True)

    scope_region_path = "survey__household__region"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("成员年度情况")
        verbose_name_plural = _("成员年度情况")
        ordering = ["survey_id", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "member"], name="member_survey_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.survey_id}"

    def audit_subject(self):
        return self.survey.household


class StatusChange(AuditedModel):
    """A dated change of a household's status, with the reason (e.g. 自然减少: death, moving away)."""

    household = models.ForeignKey(
        Household, verbose_name=_("所属户"), on_delete=models.CASCADE, related_name="status_changes"
    )
    date = models.DateField(_("日期"))
    status = models.CharField(_("户类型"), max_length=20, choices=Status.choices)
    previous_status = models.CharField(
        _("原户类型"), max_length=20, choices=Status.choices, blank=True
    )
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    scope_region_path = "household__region"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("户类型变化")
        verbose_name_plural = _("户类型变化")
        ordering = ["household_id", "date", "id"]

    def __str__(self) -> str:
        return f"{self.household_id} {self.date} {self.status}"

    def audit_subject(self):
        return self.household
