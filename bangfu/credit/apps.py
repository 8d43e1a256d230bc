from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "bangfu.credit"
    label = "credit"
    verbose_name = _("扶贫小额信贷")

    def ready(self):
        from bangfu.core.figures import register_figures

        from .figures import loan_figures

        register_figures("credit", loan_figures)
