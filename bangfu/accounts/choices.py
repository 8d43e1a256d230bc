from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    COUNTY = "county", _("县级扶贫办")
    TOWNSHIP = "township", _("乡镇")
    VILLAGE = "village", _("村（第一书记/驻村工作队）")
    VIEWER = "viewer", _("只读")
    UNIT = "unit", _("帮扶单位")
    CADRE = "cadre", _("帮扶责任人")


# The economy apps of issue 4 (cooperatives, microcredit, commitments, employment, consumption).
ECONOMY_APPS = ("cooperatives", "credit", "commitments", "employment", "consumption")


def _economy(*actions: str) -> tuple[str, ...]:
    return tuple(f"{app}.{action}_*" for app in ECONOMY_APPS for action in actions)


# What each role may do, as permission patterns "app_label.codename" (fnmatch).
# A later app adds its own lines here; "view personal data" is granted separately per user,
# except to administrators.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.ADMIN: ("*",),
    Role.COUNTY: (
        "regions.view_*",
        "registry.*",
        "core.view_*",
        "assistance.*",
        "activities.*",
        "visits.*",
        "plans.*",
        *_economy("view", "add", "change", "delete"),
        "funds.*",
        "standards.view_*",
        "standards.run_evaluation",
        # village facts (村情)
        "regions.add_villageyear",
        "regions.change_villageyear",
        "regions.delete_villageyear",
    ),
    Role.TOWNSHIP: (
        "regions.view_*",
        "registry.view_*",
        "registry.add_*",
        "registry.change_*",
        "registry.export_registry",
        "core.view_*",
        "assistance.view_*",
        "activities.view_*",
        "activities.add_*",
        "activities.change_*",
        "visits.view_*",
        "plans.view_*",
        "plans.add_*",
        "plans.change_*",
        *_economy("view", "add", "change"),
        "funds.view_*",
        "funds.add_*",
        "funds.change_*",
        "standards.view_*",
        "regions.add_villageyear",
        "regions.change_villageyear",
    ),
    Role.VILLAGE: (
        "regions.view_*",
        "registry.view_*",
        "registry.add_*",
        "registry.change_*",
        "registry.export_registry",
        "assistance.view_*",
        "activities.view_*",
        "activities.add_*",
        "activities.change_*",
        "visits.view_*",
        "visits.add_*",
        "visits.change_*",
        "plans.view_*",
        "plans.add_*",
        "plans.change_*",
        *_economy("view", "add", "change"),
        "funds.view_*",
        "funds.add_*",
        "funds.change_*",
        "standards.view_*",
        "regions.add_villageyear",
        "regions.change_villageyear",
    ),
    Role.VIEWER: (
        "regions.view_*",
        "registry.view_*",
        "assistance.view_*",
        "activities.view_*",
        "visits.view_*",
        "plans.view_*",
        *_economy("view"),
        "funds.view_*",
        "standards.view_*",
    ),
    # Unit staff keep their unit's records and read the registry of its assigned villages; a
    # cadre reads theirs and their paired households (scope: assistance/scoping.py).
    Role.UNIT: (
        "regions.view_*",
        "registry.view_*",
        "assistance.view_*",
        "assistance.add_*",
        "assistance.change_*",
        "activities.view_*",
        "activities.add_*",
        "activities.change_*",
        "visits.view_*",
        "visits.add_*",
        "visits.change_*",
        "plans.view_*",
        "plans.add_*",
        "plans.change_*",
        *_economy("view", "add", "change"),
        "funds.view_*",
        "funds.add_*",
        "funds.change_*",
        "standards.view_*",
    ),
    Role.CADRE: (
        "regions.view_*",
        "registry.view_*",
        "assistance.view_*",
        "activities.view_*",
        "visits.view_*",
        "visits.add_*",
        "visits.change_*",
        "plans.view_*",
        "plans.add_*",
        "plans.change_*",
        *_economy("view"),
        "funds.view_*",
        "standards.view_*",
    ),
}

# Exit procedure (bangfu/exits): the county office manages cases (and alone may change a case's
# notice days); townships and villages open cases and record the steps of their area; the
# others read. Scope decides which cases (a village user: its village's).
_EXITS: dict[str, tuple[str, ...]] = {
    Role.COUNTY: ("exits.*",),
    Role.TOWNSHIP: (
        "exits.view_*",
        "exits.add_exitcase",
        "exits.add_exitstep",
        "exits.add_objection",
        "exits.change_objection",
    ),
    Role.VILLAGE: (
        "exits.view_*",
        "exits.add_exitcase",
        "exits.add_exitstep",
        "exits.add_objection",
    ),
    Role.VIEWER: ("exits.view_*",),
    Role.UNIT: ("exits.view_*",),
    Role.CADRE: ("exits.view_*",),
}
for _role, _patterns in _EXITS.items():
    ROLE_PERMISSIONS[_role] = (*ROLE_PERMISSIONS[_role], *_patterns)
