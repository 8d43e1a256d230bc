"""Coded values of exit cases: English codes in the database, Chinese labels.

The steps of each kind of case are those of standards.md "Procedures", in order
(`STEPS_BY_KIND`). A case moves through them one at a time (`services.procedure.record_step`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseKind(models.TextChoices):
    HOUSEHOLD = "household", _("贫困户退出")
    VILLAGE = "village", _("贫困村退出")
    COUNTY = "county", _("贫困县退出")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    OBJECTION = "objection", _("异议处理中")
    EXITED = "exited", pgettext_lazy("exit case", "已退出")
    CLOSED = "closed", _("已终止")


class Step(models.TextChoices):
    # household exit
    REVIEW = "review", _("村两委民主评议")
    VERIFY = "verify", _("村两委和驻村工作队核实")
    CONSENT = "consent", _("贫困户认可（签字）")
    NOTICE = "notice", _("村内公示")
    ANNOUNCE = "announce", _("公告退出")
    STRIKE = "strike", _("销号")
    # village exit
    TOWNSHIP_REVIEW = "township_review", _("乡镇审核")
    TOWNSHIP_NOTICE = "township_notice", _("乡镇内公示")
    # (then ANNOUNCE: 公告退出)
    # county exit
    COUNTY_PROPOSAL = "county_proposal", _("县提出")
    CITY_REVIEW = "city_review", _("市初审")
    PROVINCE_CHECK = "province_check", _("省核查")
    PUBLIC_NOTICE = "public_notice", _("社会公示")
    PROVINCE_REVIEW = "province_review", _("省审定")
    NATIONAL_ASSESSMENT = "national_assessment", _("国家评估")
    PROVINCE_APPROVAL = "province_approval", _("省批准")


STEPS_BY_KIND: dict[str, tuple[str, ...]] = {
    CaseKind.HOUSEHOLD: (
        Step.REVIEW,
        Step.VERIFY,
        Step.CONSENT,
        Step.NOTICE,
        Step.ANNOUNCE,
        Step.STRIKE,
    ),
    CaseKind.VILLAGE: (Step.TOWNSHIP_REVIEW, Step.TOWNSHIP_NOTICE, Step.ANNOUNCE),
    CaseKind.COUNTY: (
        Step.COUNTY_PROPOSAL,
        Step.CITY_REVIEW,
        Step.PROVINCE_CHECK,
        Step.PUBLIC_NOTICE,
        Step.PROVINCE_REVIEW,
        Step.NATIONAL_ASSESSMENT,
        Step.PROVINCE_APPROVAL,
    ),
}

# The public-notice step of each kind: objections are raised while a case is at it, and the step
# after it may not be dated before notice date + the case's notice days.
NOTICE_STEP: dict[str, str] = {
    CaseKind.HOUSEHOLD: Step.NOTICE,
    CaseKind.VILLAGE: Step.TOWNSHIP_NOTICE,
    CaseKind.COUNTY: Step.PUBLIC_NOTICE,
}

# The standard a case's verdicts are read from unless the case names another.
DEFAULT_STANDARD: dict[str, str] = {
    CaseKind.HOUSEHOLD: "cn-household",
    CaseKind.VILLAGE: "cn-village",
    CaseKind.COUNTY: "gx-county",
}

# Region level of the subject of a village / county case (regions.Level: 3 county, 5 village).
REGION_LEVEL: dict[str, int] = {CaseKind.VILLAGE: 5, CaseKind.COUNTY: 3}


class Outcome(models.TextChoices):
    DISMISSED = "dismissed", _("异议不成立")
    UPHELD = "upheld", _("异议成立")


OPEN_STATUSES = (CaseStatus.OPEN, CaseStatus.OBJECTION)
