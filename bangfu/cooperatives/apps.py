from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperativesConfig(AppConfig):
    name = "bangfu.cooperatives"
    label = "cooperatives"
    verbose_name = _("合作社")

    def ready(self):
        from bangfu.core.figures import register_figures

        from .figures import unit_cooperative_figures

        register_figures("cooperatives", unit_cooperative_figures)
