"""Coded values of the cooperatives app (English codes, Chinese labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    PLANTING = "planting", _("种植业")
    BREEDING = "breeding", _("养殖业")
    HERBS = "herbs", _("中药材")
    PROCESSING = "processing", _("农产品加工")
    TOURISM = "tourism", _("乡村旅游")
    HANDICRAFT = "handicraft", _("手工业")
    OTHER = "other", _("其他")
