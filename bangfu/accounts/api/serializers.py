from django.utils.translation import gettext_lazy
from rest_framework import serializers


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=gettext_lazy("用户名"))
    password = serializers.CharField(
        label=gettext_lazy("密码"), style={"input_type": "password"}, trim_whitespace=False
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=gettext_lazy("在请求头中使用：Authorization: Token <token>")
    )
    username = serializers.CharField()
    role = serializers.CharField()


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    full_name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(help_text=gettext_lazy("姓名"))
    role = serializers.CharField()
    role_display = serializers.CharField()
    region = RegionRefSerializer(allow_null=True)
    scope_code = serializers.CharField(
        allow_null=True,
        help_text=gettext_lazy("可访问数据的区划代码前缀；空字符串表示全部，null 表示无"),
    )
    can_view_personal_data = serializers.BooleanField(
        help_text=gettext_lazy("是否可查看完整身份证号和电话")
    )
    permissions = serializers.ListField(
        child=serializers.CharField(),
        help_text=gettext_lazy("用户拥有的权限（app_label.codename），按角色和单独授权计算"),
    )
