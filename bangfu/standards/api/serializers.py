from rest_framework import serializers

from ..models import RegionVerdict, Verdict
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
            "thresholds",
            "created",
        ]
        read_only_fields = fields

    def get_failed_items(self, obj) -> list[str]:
        return obj.failed_codes

    def get_explanations(self, obj) -> dict[str, str]:
        return dict(explain(obj))


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
