from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from bangfu.core.api.serializers import ChoiceLabelField

from ..choices import Level
from ..codes import InvalidRegionCode, level_of, normalize_code, parent_code
from ..models import Region, VillageYear


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


class VillageYearSerializer(serializers.ModelSerializer):
    """Village facts; the village is chosen among those in the user's scope, and the model's
    rules (village level, year range, income ≥ 0, one row per village and year) give the
    Chinese messages, each under its field."""

    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), label=gettext_lazy("村")
    )
    western_region = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("取自行政区划")
    )

    class Meta:
        model = VillageYear
        fields = [
            "id",
            "region",
            "year",
            "rural_population",
            "western_region",
            "featured_industry",
            "road_to_village_hardened",
            "clinic_with_doctor",
            "public_service_venue",
            "broadband",
            "collective_income",
            "committee_rated_good",
        ]
        validators = []  # the model's full_clean below names the field of each error

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        field = self.fields["region"]
        field.queryset = (
            Region.objects.for_user(user).filter(level=Level.VILLAGE)
            if user is not None
            else Region.objects.none()
        )

    def validate(self, attrs):
        from django.core.exceptions import ValidationError as DjangoValidationError

        instance = self.instance or VillageYear()
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return attrs
