from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsumptionConfig(AppConfig):
    name = "bangfu.consumption"
    label = "consumption"
    verbose_name = _("消费扶贫")

    def ready(self):
        from bangfu.core.figures import register_figures

        from .figures import unit_purchase_figures

        register_figures("consumption", unit_purchase_figures)
