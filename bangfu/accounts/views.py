"""Login, logout, the lockout page and the user's profile with their API token."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from rest_framework.authtoken.models import Token

from bangfu.core.privacy import PERSONAL_DATA_PERM


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET)."""


# (model label, verbose name) shown in the permission summary of the profile page.
PERMISSION_MODELS = [
    ("regions", "region", gettext_lazy("行政区划")),
    ("registry", "household", gettext_lazy("贫困户")),
    ("registry", "member", gettext_lazy("家庭成员")),
    ("registry", "survey", gettext_lazy("年度调查")),
    ("registry", "statuschange", gettext_lazy("户类型变化")),
]
SPECIAL_PERMISSIONS = [
    (PERSONAL_DATA_PERM, gettext_lazy("可查看完整身份证号和电话")),
    ("registry.import_registry", gettext_lazy("可导入建档立卡数据")),
    ("registry.export_registry", gettext_lazy("可导出建档立卡数据")),
    ("regions.import_regions", gettext_lazy("可导入行政区划")),
]


class ProfileView(View):
    template_name = "accounts/profile.html"

    def get(self, request):
        user = request.user
        rows = [
            (
                label,
                [
                    user.has_perm(f"{app}.{action}_{model}")
                    for action in ("view", "add", "change", "delete")
                ],
            )
            for app, model, label in PERMISSION_MODELS
        ]
        special = [(label, user.has_perm(perm)) for perm, label in SPECIAL_PERMISSIONS]
        context = {
            "permission_rows": rows,
            "special_permissions": special,
            "token": Token.objects.filter(user=user).first(),
            "region_path": [*user.region.ancestors(), user.region] if user.region_id else [],
        }
        return render(request, self.template_name, context)


class TokenView(View):
    """POST: create the user's API token, or replace it (the old one stops working at once)."""

    def post(self, request):
        existed = Token.objects.filter(user=request.user).delete()[0] > 0
        Token.objects.create(user=request.user)
        messages.success(
            request,
            _("已生成新的 API 令牌，旧令牌已失效。") if existed else _("已生成 API 令牌。"),
        )
        return redirect("accounts:profile")
