from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Role


class User(AbstractUser):
    """A person who logs in: a role (what they may do) and a region (where they may do it)."""

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("用户只能看到并修改该区域及其下级的数据；系统管理员可留空表示全部。"),
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # Roles `unit` and `cadre` are scoped by their assisting unit (and its backing units) rather
    # than a region: see bangfu/assistance/scoping.py.
    unit = models.ForeignKey(
        "assistance.Unit",
        verbose_name=_("帮扶单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        permissions = [("view_personal_data", _("可查看完整身份证号和电话"))]

    def scope_code(self) -> str | None:
        """Region code prefix this user is bound to: "" for everywhere, None for nowhere."""
        if self.is_superuser or (self.role == Role.ADMIN and self.region_id is None):
            return ""
        return self.region_id

    @property
    def scope_region(self):
        return self.region
