from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "bangfu.plans"
    label = "plans"
    verbose_name = _("帮扶计划")

    def ready(self):
        from . import checks, figures

        checks.register()
        figures.register()
