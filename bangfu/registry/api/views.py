"""Registry API: households, members, surveys and status changes, each scoped to the user's area.

Filters are the registry's FilterSets (`registry.filters`), the same ones the list pages and the
exports use, so `?status=…&category=…&region=…&q=…` means the same everywhere.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers as drf_serializers

from bangfu.core.api.exceptions import Conflict
from bangfu.core.api.viewsets import (
    ScopedListCreateRetrieveViewSet,
    ScopedModelViewSet,
)

from ..filters import HouseholdFilterSet, StatusChangeFilterSet, SurveyFilterSet
from ..models import Household, Member, MemberSurvey, StatusChange, Survey
from ..services.households import ConcurrentEditError, update_household
from . import serializers

STALE_VERSION = gettext_lazy("该户已被其他用户修改，请刷新后重试")

VERSION_PARAMETER_NOTE = gettext_lazy(
    "修改时请求体必须带上读取时的 version；若该户已被他人修改，返回 409，不写入任何内容。"
)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("贫困户列表")),
    retrieve=extend_schema(summary=gettext_lazy("贫困户详情（含成员及最近一次调查）")),
    create=extend_schema(summary=gettext_lazy("新增贫困户")),
    update=extend_schema(summary=gettext_lazy("修改贫困户"), description=VERSION_PARAMETER_NOTE),
    partial_update=extend_schema(
        summary=gettext_lazy("部分修改贫困户"), description=VERSION_PARAMETER_NOTE
    ),
    destroy=extend_schema(summary=gettext_lazy("删除贫困户")),
)
@extend_schema(tags=["registry"])
class HouseholdViewSet(ScopedModelViewSet):
    queryset = Household.objects.all()
    serializer_class = serializers.HouseholdSerializer
    filterset_class = HouseholdFilterSet
    select_related = ("region",)
    prefetch_related = (
        "members",
        "status_changes",
        Prefetch("surveys", queryset=Survey.objects.prefetch_related("member_surveys")),
    )

    def perform_destroy(self, instance):
        # Delete the dependent records one by one so each deletion is in the audit log (a
        # database cascade would remove them silently).
        with transaction.atomic():
            for member_survey in MemberSurvey.objects.filter(survey__household=instance):
                member_survey.delete()
            for related in (instance.surveys, instance.members, instance.status_changes):
                for obj in related.all():
                    obj.delete()
            instance.delete()

    def perform_update(self, serializer):
        version = self.request.data.get("version")
        try:
            version = int(version)
        except (TypeError, ValueError):
            raise drf_serializers.ValidationError(
                {"version": [_("请提供读取该户时的版本号 version")]}
            ) from None
        # The same optimistic lock as the pages: one conditional UPDATE, audited, in the service.
        changes = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        try:
            update_household(serializer.instance, changes, expected_version=version)
        except ConcurrentEditError:
            current = Household.objects.filter(pk=serializer.instance.pk).values_list(
                "version", flat=True
            )
            raise Conflict(STALE_VERSION, version=current.first()) from None


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("家庭成员列表")),
    retrieve=extend_schema(summary=gettext_lazy("家庭成员详情")),
    create=extend_schema(summary=gettext_lazy("新增家庭成员")),
    update=extend_schema(summary=gettext_lazy("修改家庭成员")),
    partial_update=extend_schema(summary=gettext_lazy("部分修改家庭成员")),
    destroy=extend_schema(summary=gettext_lazy("删除家庭成员")),
)
@extend_schema(tags=["registry"])
class MemberViewSet(ScopedModelViewSet):
    queryset = Member.objects.all()
    serializer_class = serializers.MemberSerializer
    filterset_fields = {"household": ["exact"], "relation": ["exact"]}
    select_related = ("household",)

    def perform_destroy(self, instance):
        with transaction.atomic():
            for member_survey in instance.surveys.all():
                member_survey.delete()
            instance.delete()


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("年度调查列表")),
    retrieve=extend_schema(summary=gettext_lazy("年度调查详情（含成员年度情况）")),
    create=extend_schema(summary=gettext_lazy("新增年度调查")),
    update=extend_schema(summary=gettext_lazy("修改年度调查")),
    partial_update=extend_schema(summary=gettext_lazy("部分修改年度调查")),
    destroy=extend_schema(summary=gettext_lazy("删除年度调查")),
)
@extend_schema(tags=["registry"])
class SurveyViewSet(ScopedModelViewSet):
    queryset = Survey.objects.all()
    serializer_class = serializers.SurveySerializer
    filterset_class = SurveyFilterSet
    select_related = ("household",)
    prefetch_related = (
        Prefetch("member_surveys", queryset=MemberSurvey.objects.select_related("member")),
    )

    def perform_destroy(self, instance):
        with transaction.atomic():
            for member_survey in instance.member_surveys.all():
                member_survey.delete()
            instance.delete()


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("户类型变化列表")),
    retrieve=extend_schema(summary=gettext_lazy("户类型变化详情")),
    create=extend_schema(
        summary=gettext_lazy("新增户类型变化"),
        description=gettext_lazy("同时把该户的户类型改为新值，并记入变化历史。"),
    ),
)
@extend_schema(tags=["registry"])
class StatusChangeViewSet(ScopedListCreateRetrieveViewSet):
    queryset = StatusChange.objects.all()
    serializer_class = serializers.StatusChangeSerializer
    filterset_class = StatusChangeFilterSet
    select_related = ("household",)
