"""Coded values of visits: English codes in the database, Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    CARE = "care", _("走访慰问")
    POLICY = "policy", _("政策宣传")
    VERIFY = "verify", _("核实信息")
    MEASURES = "measures", _("帮扶措施落实")
    INCOME = "income", _("收入核算")
    MEDIATION = "mediation", _("矛盾调处")
    OTHER = "other", _("其他")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("待办")
    DONE = "done", _("已办结")
