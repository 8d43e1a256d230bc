from django.db import models
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    HOUSEHOLD = "household", _("户")
    VILLAGE = "village", _("村")
    COUNTY = "county", _("县")
