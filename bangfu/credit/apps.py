from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "bangfu.credit"
    label = "credit"
    verbose_name = _("扶贫小额信贷")
