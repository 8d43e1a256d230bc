from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "bangfu.visits"
    label = "visits"
    verbose_name = _("走访")

    def ready(self):
        from bangfu.core.attachments import register_attachable

        from . import checks, figures
        from .models import Visit

        register_attachable(Visit, "visits.change_visit")
        checks.register()
        figures.register()
