from django.db import models
from django.utils.translation import gettext_lazy as _


class Repayment(models.TextChoices):
    CURRENT = "current", _("未到期")
    REPAID = "repaid", _("已还清")
    OVERDUE = "overdue", _("逾期")
    EXTENDED = "extended", _("展期")
