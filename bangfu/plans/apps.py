from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "bangfu.plans"
    label = "plans"
    verbose_name = _("帮扶计划")

    def ready(self):
        from bangfu.core.attachments import register_attachable

        from . import checks, figures
        from .models import Measure

        checks.register()
        figures.register()
        # Evidence of a measure (photos, acceptance documents) is kept as attachments.
        register_attachable(Measure, "plans.change_measure")
