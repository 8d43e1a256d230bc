"""Serializers of the registry API.

Rules shared with the forms and the importer come from `registry.services.validation`; messages
are Chinese msgids and name the field they are about. Every reference to another record
(household, region) is resolved inside the requesting user's scope, so a write can never land
outside it.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from bangfu.core.api.serializers import (
    ChoiceLabelField,
    MaskedIdNumberField,
    MaskedPhoneField,
    request_user,
)
from bangfu.core.privacy import id_number_for, mask_id_number, mask_phone
from bangfu.core.scoping import user_can_reach_region
from bangfu.regions.choices import Level
from bangfu.regions.models import Region

from .. import idnumber
from ..choices import Cause, Status
from ..models import (
    MEMBER_FACT_FIELDS,
    SURVEY_FACT_FIELDS,
    Household,
    Member,
    MemberSurvey,
    StatusChange,
    Survey,
)
from ..services import validation
from ..services.validation import RegistryError

PHONE = re.compile(r"^[0-9+][0-9 -]*$")


def raise_registry_error(exc: RegistryError):
    raise serializers.ValidationError({exc.field or "non_field_errors": [str(exc)]}) from None


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to a scoped record: only records in the user's scope can be named; any other
    id is answered as "does not exist", never confirming it is there."""

    def get_queryset(self):
        return self.queryset.model.objects.for_user(request_user(self))


# --- nested, read-only ------------------------------------------------------------------------


class MemberSurveyNestedSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberSurvey
        fields = list(MEMBER_FACT_FIELDS)
        read_only_fields = fields


class HouseholdMemberSerializer(serializers.ModelSerializer):
    """A member inside a household, with the facts of the household's latest survey."""

    id_number = MaskedIdNumberField(read_only=True)
    relation_display = ChoiceLabelField("relation")
    facts = serializers.SerializerMethodField(
        help_text=gettext_lazy("最近一次年度调查中的成员情况")
    )

    class Meta:
        model = Member
        fields = [
            "id",
            "name",
            "id_number",
            "relation",
            "relation_display",
            "sex",
            "birth_date",
            "ethnicity",
            "facts",
        ]
        read_only_fields = fields

    @extend_schema_field(MemberSurveyNestedSerializer(allow_null=True))
    def get_facts(self, member):
        facts = self.context.get("latest_facts", {}).get(member.household_id, {}).get(member.pk)
        return MemberSurveyNestedSerializer(facts).data if facts is not None else None


def previous_status_field():
    # A plain string in the schema: the Status enum is named once, by `status`.
    return serializers.CharField(
        read_only=True, help_text=gettext_lazy("变化前的户类型代码（与 status 取值相同）")
    )


class StatusChangeNestedSerializer(serializers.ModelSerializer):
    previous_status = previous_status_field()

    class Meta:
        model = StatusChange
        fields = ["id", "date", "status", "previous_status", "reason"]
        read_only_fields = fields


class LatestSurveySerializer(serializers.ModelSerializer):
    class Meta:
        model = Survey
        fields = ["id", "year", "household_size", "net_income_per_capita", "housing_safety"]
        read_only_fields = fields


# --- households -------------------------------------------------------------------------------


@extend_schema_field(
    {"type": "array", "items": {"type": "string", "enum": [c.value for c in Cause]}}
)
class CauseListField(serializers.ListField):
    """Other causes of poverty: stored as codes joined by ";", exchanged as a list of codes."""

    child = serializers.ChoiceField(choices=Cause.choices)

    def to_representation(self, data):
        return [c for c in (data or "").split(";") if c]

    def to_internal_value(self, data):
        return ";".join(dict.fromkeys(super().to_internal_value(data)))


class HouseholdSerializer(serializers.ModelSerializer):
    household_no = serializers.CharField(
        label=gettext_lazy("户编号"),
        max_length=40,
        validators=[
            UniqueValidator(queryset=Household.objects.all(), message=gettext_lazy("户编号已存在"))
        ],
    )
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        label=gettext_lazy("行政区划"),
        help_text=gettext_lazy("村或村民小组的区划代码，必须在您的管辖范围内"),
        error_messages={"does_not_exist": gettext_lazy("区划代码 {value} 不存在")},
    )
    region_name = serializers.CharField(source="region.name", read_only=True)
    category_display = ChoiceLabelField("category")
    status_display = ChoiceLabelField("status")
    main_cause_display = ChoiceLabelField("main_cause")
    other_causes = CauseListField(label=gettext_lazy("其他致贫原因"), required=False)
    phone = MaskedPhoneField(
        label=gettext_lazy("联系电话"), max_length=20, required=False, allow_blank=True
    )
    version = serializers.IntegerField(
        label=gettext_lazy("版本号"),
        required=False,
        help_text=gettext_lazy("修改（PUT/PATCH）时必须提供读取时的版本号；版本已变化时返回 409"),
    )
    members = serializers.SerializerMethodField()
    latest_survey = serializers.SerializerMethodField()
    status_changes = StatusChangeNestedSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "household_no",
            "region",
            "region_name",
            "group_name",
            "category",
            "category_display",
            "status",
            "status_display",
            "registered_year",
            "exit_year",
            "main_cause",
            "main_cause_display",
            "other_causes",
            "phone",
            "version",
            "created",
            "updated",
            "latest_survey",
            "members",
            "status_changes",
        ]
        read_only_fields = ["created", "updated"]
        extra_kwargs = {
            "status": {
                "help_text": gettext_lazy(
                    "新增时可填；之后请通过户类型变化记录（status-changes）修改"
                )
            }
        }

    # The latest survey per household and its member facts, from the prefetched surveys.
    def _latest(self, household):
        cache = self.context.setdefault("_latest_survey", {})
        if household.pk not in cache:
            surveys = sorted(household.surveys.all(), key=lambda s: s.year, reverse=True)
            cache[household.pk] = surveys[0] if surveys else None
            facts = self.context.setdefault("latest_facts", {})
            facts[household.pk] = (
                {ms.member_id: ms for ms in surveys[0].member_surveys.all()} if surveys else {}
            )
        return cache[household.pk]

    @extend_schema_field(HouseholdMemberSerializer(many=True))
    def get_members(self, household):
        self._latest(household)
        return HouseholdMemberSerializer(
            household.members.all(), many=True, context=self.context
        ).data

    @extend_schema_field(LatestSurveySerializer(allow_null=True))
    def get_latest_survey(self, household):
        survey = self._latest(household)
        return LatestSurveySerializer(survey).data if survey is not None else None

    def validate_phone(self, value):
        current = getattr(self.instance, "phone", None)
        if current and value == mask_phone(current):
            return current  # the masked value read earlier, sent back unchanged
        value = value.strip()
        if value and not PHONE.match(value):
            raise serializers.ValidationError(_("联系电话只能包含数字、空格和“-”"))
        return value

    def validate_region(self, region):
        if not user_can_reach_region(request_user(self), region.code):
            raise serializers.ValidationError(
                _("行政区划 %(code)s（%(name)s）不在您的管辖范围内")
                % {"code": region.code, "name": region.name}
            )
        if region.level < Level.VILLAGE:
            raise serializers.ValidationError(
                _("户所在的行政区划必须是村或村民小组，%(name)s 不是") % {"name": region.name}
            )
        return region

    def validate(self, attrs):
        instance = self.instance
        if instance is not None and self.context.get("request") is not None:
            if "status" in attrs and attrs["status"] != instance.status:
                raise serializers.ValidationError(
                    {"status": [_("户类型请通过新增户类型变化记录修改")]}
                )
        get = lambda f: attrs.get(f, getattr(instance, f, None))  # noqa: E731
        registered_year = get("registered_year")
        status = get("status") or Status.NOT_EXITED
        if registered_year is not None:
            try:
                validation.check_years(registered_year, get("exit_year"), status)
            except RegistryError as exc:
                raise_registry_error(exc)
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        with transaction.atomic():
            household = super().create(validated_data)
            StatusChange.objects.create(
                household=household,
                date=timezone.localdate(household.created),
                status=household.status,
                reason="建档立卡",  # stored data, not a message: the same in every language
            )
        return household


# --- members ----------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    household = ScopedPrimaryKeyRelatedField(
        queryset=Household.objects.all(), label=gettext_lazy("所属户")
    )
    household_no = serializers.CharField(source="household.household_no", read_only=True)
    id_number = MaskedIdNumberField(
        label=gettext_lazy("证件号码"),
        max_length=30,
        help_text=gettext_lazy("18 位身份证号码；性别和出生日期由它得出"),
    )
    relation_display = ChoiceLabelField("relation")

    class Meta:
        model = Member
        fields = [
            "id",
            "household",
            "household_no",
            "name",
            "id_number",
            "relation",
            "relation_display",
            "sex",
            "birth_date",
            "ethnicity",
        ]
        read_only_fields = ["sex", "birth_date"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["household"].read_only = True  # a member is not moved between households
        return fields

    def validate_id_number(self, value):
        current = getattr(self.instance, "id_number", None)
        if current and value == mask_id_number(current):
            return current  # the masked value read earlier, sent back unchanged
        try:
            return validation.check_id_number(
                value, exclude_member_pk=getattr(self.instance, "pk", None)
            )
        except RegistryError as exc:
            # The message may quote the number; it is masked like any other output.
            message = str(exc)
            user = request_user(self)
            for raw in {value, idnumber.normalize(value)}:
                if raw:
                    message = message.replace(raw, id_number_for(user, raw))
            raise serializers.ValidationError(message) from None

    def validate(self, attrs):
        household = attrs.get("household") or getattr(self.instance, "household", None)
        relation = attrs.get("relation", getattr(self.instance, "relation", None))
        if household is not None and relation == "head":
            others = household.members.exclude(pk=getattr(self.instance, "pk", None))
            relations = [*others.values_list("relation", flat=True), relation]
            if relations.count("head") > 1:
                try:
                    validation.check_one_head(relations)
                except RegistryError as exc:
                    raise_registry_error(exc)
        return attrs


# --- surveys ----------------------------------------------------------------------------------


class MemberSurveySerializer(serializers.ModelSerializer):
    member = ScopedPrimaryKeyRelatedField(queryset=Member.objects.all(), label=gettext_lazy("成员"))
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = MemberSurvey
        fields = ["id", "member", "member_name", *MemberSurveyNestedSerializer.Meta.fields]
        read_only_fields = ["id"]


class SurveySerializer(serializers.ModelSerializer):
    household = ScopedPrimaryKeyRelatedField(
        queryset=Household.objects.all(), label=gettext_lazy("所属户")
    )
    household_no = serializers.CharField(source="household.household_no", read_only=True)
    member_surveys = MemberSurveySerializer(
        many=True,
        required=False,
        help_text=gettext_lazy("成员年度情况；提供时整体替换（每名成员一条）"),
    )

    class Meta:
        model = Survey
        fields = [
            "id",
            "household",
            "household_no",
            "year",
            *SURVEY_FACT_FIELDS,
            "member_surveys",
        ]
        read_only_fields = ["net_income_per_capita"]
        validators = []  # (household, year) is checked in validate() with a Chinese message

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["household"].read_only = True
        return fields

    def validate_household_size(self, value):
        if value < 1:
            raise serializers.ValidationError(_("家庭人口数必须大于 0"))
        return value

    def validate(self, attrs):
        household = attrs.get("household") or getattr(self.instance, "household", None)
        year = attrs.get("year", getattr(self.instance, "year", None))
        clash = Survey.objects.filter(household=household, year=year)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {"year": [_("该户 %(year)s 年度的调查已存在") % {"year": year}]}
            )
        seen = set()
        for row in attrs.get("member_surveys", []):
            member = row["member"]
            if member.household_id != household.pk:
                raise serializers.ValidationError(
                    {"member_surveys": [_("成员 %(name)s 不属于该户") % {"name": member.name}]}
                )
            if member.pk in seen:
                raise serializers.ValidationError(
                    {"member_surveys": [_("成员 %(name)s 重复出现") % {"name": member.name}]}
                )
            seen.add(member.pk)
        return attrs

    def _write_member_surveys(self, survey, rows):
        existing = {ms.member_id: ms for ms in survey.member_surveys.all()}
        for row in rows:
            ms = existing.pop(row["member"].pk, None) or MemberSurvey(survey=survey)
            for key, value in row.items():
                setattr(ms, key, value)
            ms.save()
        for ms in existing.values():
            ms.delete()

    def create(self, validated_data):
        rows = validated_data.pop("member_surveys", None)
        with transaction.atomic():
            survey = super().create(validated_data)
            if rows:
                self._write_member_surveys(survey, rows)
        return survey

    def update(self, instance, validated_data):
        rows = validated_data.pop("member_surveys", None)
        with transaction.atomic():
            survey = super().update(instance, validated_data)
            if rows is not None:
                self._write_member_surveys(survey, rows)
        return survey


# --- status changes ---------------------------------------------------------------------------


class StatusChangeSerializer(serializers.ModelSerializer):
    household = ScopedPrimaryKeyRelatedField(
        queryset=Household.objects.all(), label=gettext_lazy("所属户")
    )
    household_no = serializers.CharField(source="household.household_no", read_only=True)
    status_display = ChoiceLabelField("status")
    previous_status = previous_status_field()

    class Meta:
        model = StatusChange
        fields = [
            "id",
            "household",
            "household_no",
            "date",
            "status",
            "status_display",
            "previous_status",
            "reason",
        ]

    def validate(self, attrs):
        household = attrs["household"]
        if attrs["status"] == household.status:
            raise serializers.ValidationError(
                {
                    "status": [
                        _("该户的户类型已经是%(status)s")
                        % {"status": household.get_status_display()}
                    ]
                }
            )
        return attrs

    def create(self, validated_data):
        with transaction.atomic():
            household = Household.objects.select_for_update().get(pk=validated_data["household"].pk)
            validated_data["household"] = household
            validated_data["previous_status"] = household.status
            change = super().create(validated_data)
            household.status = change.status
            if change.status == Status.EXITED and not household.exit_year:
                household.exit_year = change.date.year
            household.version += 1
            household.save()
        return change
