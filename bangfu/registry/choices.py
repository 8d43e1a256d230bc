"""Coded values of the registry. The database stores the English code; users see the Chinese
label (English under the language switch); spreadsheets carry the Chinese term.

`ALIASES` lists, per choice set, the extra spellings the importer accepts from the field.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    ORDINARY = "ordinary", _("一般贫困户")
    DIBAO = "dibao", _("低保贫困户")
    TEKUN = "tekun", _("特困供养贫困户")
    NON_POOR = "non_poor", _("一般农户")


class Status(models.TextChoices):
    NOT_EXITED = "not_exited", _("未脱贫")
    EXITED = "exited", _("已脱贫")
    UNSTABLE = "unstable", _("脱贫不稳定户")
    MARGINAL = "marginal", _("边缘易致贫户")
    SUDDEN_HARDSHIP = "sudden_hardship", _("突发严重困难户")
    NATURAL_DECREASE = "natural_decrease", _("自然减少")


# Statuses that count as registered poor, not yet exited.
POOR_STATUSES = (Status.NOT_EXITED,)
MONITORED_STATUSES = (Status.UNSTABLE, Status.MARGINAL, Status.SUDDEN_HARDSHIP)


class Cause(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    SCHOOLING = "schooling", _("因学")
    DISASTER = "disaster", _("因灾")
    LACK_LAND = "lack_land", _("缺土地")
    LACK_WATER = "lack_water", _("缺水")
    LACK_SKILLS = "lack_skills", _("缺技术")
    LACK_LABOUR = "lack_labour", _("缺劳力")
    LACK_FUNDS = "lack_funds", _("缺资金")
    POOR_TRANSPORT = "poor_transport", _("交通条件落后")
    LACK_MOTIVATION = "lack_motivation", _("自身发展动力不足")


class HousingSafety(models.TextChoices):
    A = "A", _("A级")
    B = "B", _("B级")
    C = "C", _("C级（危房）")
    D = "D", _("D级（危房）")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    SON = "son", _("之子")
    DAUGHTER = "daughter", _("之女")
    DAUGHTER_IN_LAW = "daughter_in_law", _("之儿媳")
    SON_IN_LAW = "son_in_law", _("之女婿")
    GRANDSON = "grandson", _("之孙子")
    GRANDDAUGHTER = "granddaughter", _("之孙女")
    FATHER = "father", _("之父")
    MOTHER = "mother", _("之母")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Education(models.TextChoices):
    ILLITERATE = "illiterate", _("文盲或半文盲")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("中专")
    COLLEGE = "college", _("大专及以上")
    PRESCHOOL_CHILD = "preschool_child", _("学龄前儿童")


class Schooling(models.TextChoices):
    NOT_IN_SCHOOL = "not_in_school", _("非在校生")
    PRESCHOOL = "preschool", _("学前教育")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("中职")
    HIGHER_VOCATIONAL = "higher_vocational", _("高职")
    COLLEGE = "college", _("大专及以上")
    HOME_TAUGHT = "home_taught", _("送教上门")
    DROPPED_OUT = "dropped_out", _("辍学")
    EXEMPT = "exempt", _("因病残免入学")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("健康")
    CHRONIC = "chronic", _("长期慢性病")
    SERIOUS_ILLNESS = "serious_illness", _("患有大病")
    DISABLED = "disabled", _("残疾")


class LabourAbility(models.TextChoices):
    ORDINARY = "ordinary", _("普通劳动力")
    SKILLED = "skilled", _("技能劳动力")
    WEAK = "weak", _("弱劳动力或半劳动力")
    LOST = "lost", _("丧失劳动力")
    NONE = "none", _("无劳动力")


class WorkStatus(models.TextChoices):
    NONE = "none", _("非务工")
    TOWNSHIP = "township", _("乡镇内务工")
    COUNTY = "county", _("县内务工")
    PROVINCE = "province", _("省内县外务工")
    OUTSIDE = "outside", _("省外务工")


# Extra spellings accepted on import, beyond each choice's Chinese label and its code.
ALIASES: dict[type[models.TextChoices], dict[str, str]] = {
    Category: {"五保贫困户": "tekun", "五保户": "tekun", "特困供养": "tekun", "低保户": "dibao"},
    Relation: {
        "子": "son",
        "儿子": "son",
        "长子": "son",
        "次子": "son",
        "女": "daughter",
        "女儿": "daughter",
        "长女": "daughter",
        "次女": "daughter",
        "儿媳": "daughter_in_law",
        "女婿": "son_in_law",
        "孙子": "grandson",
        "孙女": "granddaughter",
        "父": "father",
        "父亲": "father",
        "母": "mother",
        "母亲": "mother",
        "妻": "spouse",
        "妻子": "spouse",
        "丈夫": "spouse",
        "夫": "spouse",
        "兄": "sibling",
        "弟": "sibling",
        "姐": "sibling",
        "妹": "sibling",
        "兄弟": "sibling",
        "姐妹": "sibling",
    },
    HousingSafety: {
        "a": "A",
        "b": "B",
        "c": "C",
        "d": "D",
        "A级": "A",
        "B级": "B",
        "C级": "C",
        "D级": "D",
    },
    Health: {"残疾人": "disabled", "大病": "serious_illness", "慢性病": "chronic"},
}
