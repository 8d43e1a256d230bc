"""Kinds of meetings and activities (English codes, Chinese labels) and what each one counts.

The seeds count these: 宣讲会 and meetings (attendance), 培训 (人次), 义诊 (people seen),
党建活动, 化解矛盾纠纷 N 起, 安全演练, 办理案件 N 起. `KIND_COUNTS` says for each kind whether
it records participants and what its `count` means (None: the kind has no count).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("会议/宣讲会")
    TRAINING = "training", _("培训")
    MEDICAL = "medical", _("义诊")
    PARTY = "party", _("党建活动")
    DISPUTE = "dispute", _("化解矛盾纠纷")
    DRILL = "drill", _("安全演练")
    CASE = "case", _("办理案件")
    OTHER = "other", _("其他活动")


@dataclass(frozen=True)
class KindCounts:
    participants: bool  # the kind records how many people took part (人次)
    count_label: Promise | None = None  # what `count` counts, None: no count
    count_suffix: Promise | None = None  # its unit, e.g. 起


KIND_COUNTS: dict[str, KindCounts] = {
    ActivityKind.MEETING: KindCounts(participants=True),
    ActivityKind.TRAINING: KindCounts(participants=True),
    ActivityKind.MEDICAL: KindCounts(participants=True),
    ActivityKind.PARTY: KindCounts(participants=True),
    ActivityKind.DISPUTE: KindCounts(False, _("化解纠纷"), _("起")),
    ActivityKind.DRILL: KindCounts(participants=True),
    ActivityKind.CASE: KindCounts(False, _("办理案件"), _("起")),
    ActivityKind.OTHER: KindCounts(True, _("数量"), _("件")),
}
