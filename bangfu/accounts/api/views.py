"""Authentication for API clients and who-am-I.

`POST /api/auth/token/` exchanges a username and password for a token (send it as
``Authorization: Token <key>``); it goes through `django.contrib.auth.authenticate`, so
django-axes counts failures and refuses a locked-out username like the login page does.
`DELETE /api/auth/token/` revokes the caller's token. `GET /api/me/` describes the caller.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.models import Permission
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from bangfu.core.api.exceptions import bangfu_exception_handler
from bangfu.core.privacy import can_view_personal_data
from bangfu.core.scoping import user_region_code

from .serializers import MeSerializer, TokenRequestSerializer, TokenSerializer

ERROR = inline_serializer("Error", fields={"detail": drf_serializers.CharField()})


class TokenView(APIView):
    authentication_classes = APIView.authentication_classes
    throttle_classes: list = []

    def get_permissions(self):
        if self.request is not None and self.request.method == "DELETE":
            return [IsAuthenticated()]
        return [AllowAny()]

    def get_exception_handler(self):
        return bangfu_exception_handler

    @extend_schema(
        tags=["auth"],
        summary=gettext_lazy("用用户名和密码获取令牌"),
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: ERROR, 429: ERROR},
        auth=[],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            request=django_request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            # Answer the lockout here, in JSON, instead of letting AxesMiddleware render the
            # login page's lockout template.
            django_request.axes_locked_out = False
            return Response(
                {"detail": _("登录失败次数过多，该账号已被暂时锁定，请稍后再试")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": [_("用户名或密码错误")]}, status=status.HTTP_400_BAD_REQUEST
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "username": user.get_username(), "role": user.role})

    @extend_schema(
        tags=["auth"], summary=gettext_lazy("注销当前令牌"), request=None, responses={204: None}
    )
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    def get_exception_handler(self):
        return bangfu_exception_handler

    @extend_schema(tags=["auth"], summary=gettext_lazy("当前用户"), responses=MeSerializer)
    def get(self, request):
        user = request.user
        region = user.region
        perms = [
            f"{app_label}.{codename}"
            for app_label, codename in Permission.objects.values_list(
                "content_type__app_label", "codename"
            ).order_by("content_type__app_label", "codename")
        ]
        data = {
            "username": user.get_username(),
            "name": user.get_full_name(),
            "role": user.role,
            "role_display": str(user.get_role_display()),
            "region": (
                {"code": region.code, "name": region.name, "full_name": region.full_name()}
                if region is not None
                else None
            ),
            "scope_code": user_region_code(user),
            "can_view_personal_data": can_view_personal_data(user),
            "permissions": [p for p in perms if user.has_perm(p)],
        }
        return Response(MeSerializer(data).data)
