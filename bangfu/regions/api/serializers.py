from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from bangfu.core.api.serializers import ChoiceLabelField

from ..codes import InvalidRegionCode, level_of, normalize_code, parent_code
from ..models import Region


class RegionSerializer(serializers.ModelSerializer):
    code = serializers.CharField(
        label=gettext_lazy("区划代码"),
        max_length=15,
        help_text=gettext_lazy("短代码（45、4514、451423…）或 12/15 位统计代码；上级由代码得出"),
    )
    level_display = ChoiceLabelField("level")
    parent = serializers.CharField(source="parent_id", read_only=True, allow_null=True)
    children_count = serializers.SerializerMethodField(help_text=gettext_lazy("下级区划数"))

    class Meta:
        model = Region
        fields = [
            "code",
            "name",
            "level",
            "level_display",
            "parent",
            "western_region",
            "is_registered_poor",
            "children_count",
        ]
        read_only_fields = ["level", "parent"]

    def get_children_count(self, region) -> int:
        count = getattr(region, "children_count", None)
        return region.children.count() if count is None else count

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["code"].read_only = True  # the code is the identity and the path
        return fields

    def validate_code(self, value):
        try:
            code = normalize_code(value)
        except InvalidRegionCode as exc:
            raise serializers.ValidationError(str(exc)) from None
        if Region.objects.filter(pk=code).exists():
            raise serializers.ValidationError(_("区划代码 %(code)s 已存在") % {"code": code})
        parent = parent_code(code)
        if parent and not Region.objects.filter(pk=parent).exists():
            raise serializers.ValidationError(
                _("上级区划 %(parent)s 不存在，请先新增上级") % {"parent": parent}
            )
        return code

    def create(self, validated_data):
        code = validated_data["code"]
        validated_data["level"] = level_of(code)
        validated_data["parent_id"] = parent_code(code)
        return super().create(validated_data)


class RegionChildSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()
    households = serializers.IntegerField(help_text=gettext_lazy("该区划及其下级的贫困户数"))
