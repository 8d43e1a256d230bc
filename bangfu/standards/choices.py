from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Subject(models.TextChoices):
    HOUSEHOLD = "household", pgettext_lazy("standard subject", "户")
    VILLAGE = "village", _("村")
    COUNTY = "county", _("县")
