from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    LABOUR_EXPORT = "labour_export", _("劳务输出")
    PUBLIC_WELFARE = "public_welfare", _("公益性岗位")
    WORKSHOP = "workshop", _("社区工厂/扶贫车间")
    NEARBY = "nearby", _("就近务工")
