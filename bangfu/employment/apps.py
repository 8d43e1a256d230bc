from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "bangfu.employment"
    label = "employment"
    verbose_name = _("就业帮扶")

    def ready(self):
        from bangfu.core.figures import register_figures

        from .figures import unit_employment_figures

        register_figures("employment", unit_employment_figures)
