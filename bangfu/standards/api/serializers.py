from rest_framework import serializers

from ..models import EvaluationRun, RegionVerdict, Standard, Verdict
from ..services.explain import explain


class VerdictSerializer(serializers.ModelSerializer):
    standard = serializers.CharField(source="version.standard.code", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    subject = serializers.CharField(source="subject_code", read_only=True)
    failed_items = serializers.SerializerMethodField()
    explanations = serializers.SerializerMethodField()

    class Meta:
        model = Verdict
        fields = [
            "id",
            "subject",
            "household",
            "region",
            "standard",
            "version",
            "year",
            "passed",
            "failed_items",
            "explanations",
            "run",
            "created",
        ]
        read_only_fields = fields

    def get_failed_items(self, obj) -> list[str]:
        return obj.failed_codes

    def get_explanations(self, obj) -> dict[str, str]:
        return dict(explain(obj))


class EvaluationRunSerializer(serializers.ModelSerializer):
    """A run: POST standard (code), year and region (optional: the user's scope) to start
    one; GET it to poll status and counts."""

    standard = serializers.SlugRelatedField(slug_field="code", queryset=Standard.objects.all())
    region = serializers.CharField(
        source="region_id", required=False, allow_blank=True, allow_null=True
    )
    version = serializers.IntegerField(source="version.number", read_only=True, default=None)
    started_by = serializers.CharField(source="started_by.username", read_only=True, default=None)
    csv_url = serializers.SerializerMethodField()

    class Meta:
        model = EvaluationRun
        fields = [
            "id",
            "standard",
            "version",
            "year",
            "region",
            "status",
            "started_by",
            "started",
            "finished",
            "evaluated",
            "passed",
            "failed",
            "skipped",
            "error",
            "thresholds",
            "csv_url",
        ]
        read_only_fields = [f for f in fields if f not in ("standard", "year", "region")]

    def get_csv_url(self, obj) -> str | None:
        from django.urls import reverse

        if obj.status != "done":
            return None
        return reverse("standards:run_csv", kwargs={"pk": obj.pk})


class GapSerializer(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField()
    income_per_person = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    income_total = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    count = serializers.IntegerField(allow_null=True)
    ages = serializers.ListField(child=serializers.IntegerField())


class HouseholdGapsSerializer(serializers.Serializer):
    household = serializers.IntegerField(source="verdict.household_id")
    household_no = serializers.CharField(source="household.household_no")
    region = serializers.CharField(source="verdict.region_id")
    verdict = serializers.IntegerField(source="verdict.pk")
    failed_items = serializers.ListField(
        source="verdict.failed_codes", child=serializers.CharField()
    )
    gaps = GapSerializer(many=True)


class RegionVerdictSerializer(serializers.ModelSerializer):
    standard = serializers.CharField(source="version.standard.code", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    subject = serializers.CharField(source="subject_code", read_only=True)
    failed_items = serializers.SerializerMethodField()
    explanations = serializers.SerializerMethodField()

    class Meta:
        model = RegionVerdict
        fields = [
            "id",
            "subject",
            "region",
            "standard",
            "version",
            "year",
            "passed",
            "failed_items",
            "explanations",
            "thresholds",
            "inputs",
            "created",
        ]
        read_only_fields = fields

    def get_failed_items(self, obj) -> list[str]:
        return obj.failed_codes

    def get_explanations(self, obj) -> dict[str, str]:
        from ..services.explain_region import explain as explain_region

        return dict(explain_region(obj))
