"""Coded values of designated assistance: English codes in the database, Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("党政机关")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    PRIVATE_COMPANY = "private_company", _("民营企业")
    SOCIAL_ORGANISATION = "social_organisation", _("社会组织")
    OTHER = "other", _("其他")


class PostingRole(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", _("第一书记")
    TEAM_LEADER = "team_leader", _("驻村工作队队长")
    TEAM_MEMBER = "team_member", _("驻村工作队队员")


class ResponsibilityLevel(models.TextChoices):
    """The levels of a responsibility chain, top to bottom (seed 001: 战区指挥长 → 包村 → 包组 → 包户)."""

    ZONE = "zone", _("战区")
    VILLAGE = "village", _("包村")
    GROUP = "group", _("包组")
    HOUSEHOLD = "household", _("包户")


LEVEL_ORDER = {
    ResponsibilityLevel.ZONE: 0,
    ResponsibilityLevel.VILLAGE: 1,
    ResponsibilityLevel.GROUP: 2,
    ResponsibilityLevel.HOUSEHOLD: 3,
}
