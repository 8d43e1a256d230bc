from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExitsConfig(AppConfig):
    name = "bangfu.exits"
    label = "exits"
    verbose_name = _("退出程序")

    def ready(self):
        from bangfu.core.attachments import register_attachable

        from .models import ExitStep

        # Evidence of a step (minutes of the review, the signed acknowledgement, photos of the
        # notice board) is kept as attachments of the step.
        register_attachable(ExitStep, "exits.add_exitstep")
