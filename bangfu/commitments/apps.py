from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "bangfu.commitments"
    label = "commitments"
    verbose_name = _("帮扶承诺")

    def ready(self):
        from bangfu.core.figures import register_figures

        from . import checks
        from .figures import unit_commitment_figures

        checks.register()
        register_figures("commitments", unit_commitment_figures)
