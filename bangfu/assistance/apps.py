from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "bangfu.assistance"
    label = "assistance"
    verbose_name = _("帮扶工作")

    def ready(self):
        from bangfu.core.scoping import register_scope_provider

        from .scoping import unit_cadre_scope

        register_scope_provider(unit_cadre_scope)

        from . import checks

        checks.register()

        from bangfu.core.figures import register_unit_figures

        from .figures import unit_assistance_figures

        register_unit_figures("assistance", unit_assistance_figures)
