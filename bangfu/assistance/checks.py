"""The assistance app's coverage checks, registered on the shared coverage page
(`core.checks`): households with no responsible cadre, assigned villages with no first
secretary, cadres over the household load. Each starts from the user's scoped records."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.checks import Check, CheckRow, int_param, register_check
from bangfu.regions.models import Region
from bangfu.registry.models import Household

from .models import Cadre
from .services import coverage


def _households(user, params):
    return coverage.households_without_cadre(base=Household.objects.for_user(user)).order_by(
        "household_no"
    )


def _villages(user, params):
    return coverage.villages_without_first_secretary(base=Region.objects.for_user(user)).order_by(
        "code"
    )


def _limit(params) -> int:
    """The household load above which a cadre is listed: `?limit=` on the page, else the
    setting ASSISTANCE_MAX_HOUSEHOLDS_PER_CADRE (default 5)."""
    return int_param(params, "limit", coverage.max_households_per_cadre(), 1, 10_000)


def _cadres(user, params):
    return coverage.cadres_over_load(
        limit=_limit(params), base=Cadre.objects.for_user(user)
    ).select_related("unit")


def register() -> None:
    register_check(
        Check(
            key="households",
            order=10,
            title=lambda params: _("无帮扶责任人的贫困户"),
            rows=_households,
            row=lambda h: CheckRow(
                h.household_no, reverse("registry:household", kwargs={"pk": h.pk})
            ),
            export_header=lambda: [_("户编号"), _("区划代码"), _("户类型")],
            export_row=lambda h: (h.household_no, h.region_id, h.get_status_display()),
        )
    )
    register_check(
        Check(
            key="villages",
            order=20,
            title=lambda params: _("无第一书记的帮扶村"),
            rows=_villages,
            row=lambda v: CheckRow(
                f"{v.name}（{v.code}）", reverse("assistance:posting_list") + f"?village={v.code}"
            ),
            export_header=lambda: [_("区划代码"), _("村")],
            export_row=lambda v: (v.code, v.name),
        )
    )
    register_check(
        Check(
            key="cadres",
            order=30,
            title=lambda params: (
                _("结对户数超过上限的干部（上限 %(limit)s 户）") % {"limit": _limit(params)}
            ),
            rows=_cadres,
            row=lambda c: CheckRow(
                f"{c.name} · {c.unit.name}",
                reverse("assistance:cadre", kwargs={"pk": c.pk}),
                c.load,
            ),
            export_header=lambda: [_("姓名"), _("所属单位"), _("结对户数")],
            export_row=lambda c: (c.name, c.unit.name, c.load),
            settings=(
                ("limit", lambda: _("结对户数上限"), str(coverage.max_households_per_cadre())),
            ),
        )
    )
