"""Choices of the funds app: English codes, Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SourceKind(models.TextChoices):
    FISCAL = "fiscal", _("财政专项资金")
    UNIT = "unit", _("帮扶单位自筹")
    DONATION = "donation", _("社会捐赠")
    CREDIT = "credit", _("信贷资金")
    OTHER = "other", _("其他")


class DonorKind(models.TextChoices):
    COMPANY = "company", _("企业")
    INDIVIDUAL = "individual", _("个人")
    ORGANISATION = "organisation", _("社会组织")


class EntryDirection(models.TextChoices):
    IN = "in", _("流入")
    OUT = "out", _("流出")


class AllocationKind(models.TextChoices):
    PROJECT = "project", _("项目资金")
    SUBSIDY = "subsidy", _("补贴")
    AID = "aid", _("救助")
    AWARD = "award", _("奖补")


class ProjectKind(models.TextChoices):
    INDUSTRY = "industry", _("产业")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    HOUSING = "housing", _("危房改造")
    RELOCATION = "relocation", _("易地搬迁")
    EDUCATION = "education", _("教育")
    HEALTH = "health", pgettext_lazy("project kind", "健康")
    EMPLOYMENT = "employment", _("就业")
    ECOLOGY = "ecology", _("生态")
    COLLECTIVE = "collective", _("村集体经济")
    PARTY = "party", _("党群服务阵地")
    CULTURE = "culture", _("文化设施")
    OTHER = "other", _("其他")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("计划")
    UNDERWAY = "underway", _("在建")
    COMPLETED = "completed", _("已完工")
    ACCEPTED = "accepted", _("已验收")
