from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("省")
    CITY = 2, _("市")
    COUNTY = 3, _("县")
    TOWNSHIP = 4, _("乡镇")
    VILLAGE = 5, _("村")
    GROUP = 6, _("村民小组")


# Length of the significant (short) code at each level.
CODE_LENGTHS = {
    2: Level.PROVINCE,
    4: Level.CITY,
    6: Level.COUNTY,
    9: Level.TOWNSHIP,
    12: Level.VILLAGE,
    15: Level.GROUP,
}
LEVEL_LENGTH = {level: length for length, level in CODE_LENGTHS.items()}
