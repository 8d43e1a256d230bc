from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "bangfu.activities"
    label = "activities"
    verbose_name = _("会议与活动")

    def ready(self):
        from bangfu.core.figures import register_unit_figures

        from .figures import unit_activity_figures

        register_unit_figures("activities", unit_activity_figures)
