from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    YEARLY = "yearly", _("每年")


PERIOD_MONTHS = {Period.MONTHLY: 1, Period.QUARTERLY: 3, Period.YEARLY: 12}


class EndEvent(models.TextChoices):
    NONE = "", _("到结束日期为止")
    GRADUATION = "graduation", _("毕业")
    EMPLOYMENT = "employment", _("就业")
    EXIT = "exit", _("脱贫")
    OTHER = "other", _("其他事件")
