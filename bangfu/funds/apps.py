from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "bangfu.funds"
    label = "funds"
    verbose_name = _("扶贫资金")

    def ready(self):
        from bangfu.core.attachments import register_attachable

        from .models import Allocation, FundSource, Project

        # Evidence (凭证) is attached by whoever records allocations: they are never edited.
        register_attachable(Allocation, "funds.add_allocation")
        register_attachable(FundSource, "funds.change_fundsource")
        register_attachable(Project, "funds.change_project")

        from . import checks, figures

        checks.register()
        figures.register()
