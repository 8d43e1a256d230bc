"""`/api/indicators/incidence/` and `/api/indicators/evaluator/`: the figures of the pages, from
the same services, in the user's scope (a region outside it is a 404)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from bangfu.regions.models import Region

from ..views import evaluator_context, incidence_context

REGION = OpenApiParameter("region", OpenApiTypes.STR, description=gettext_lazy("区划代码"))
YEAR = OpenApiParameter("year", OpenApiTypes.INT, description=gettext_lazy("年度"))
DENOMINATOR = OpenApiParameter(
    "denominator",
    OpenApiTypes.STR,
    enum=["rural_population", "registry_population"],
    description=gettext_lazy("分母：户籍人口（默认）或建档立卡登记人口"),
)
STANDARD = OpenApiParameter("standard", OpenApiTypes.STR, description=gettext_lazy("户标准代码"))


def _incidence(item) -> dict:
    return {
        "code": item.code,
        "poor": item.poor,
        "exited": item.exited,
        "population": item.population,
        "incidence": None if item.rate is None else str(item.rate),
        "villages": item.villages,
        "villages_without_facts": item.villages_without_facts,
        "poor_without_facts": item.poor_without_facts,
    }


def _share(share) -> dict:
    return {
        "evaluated": share.evaluated,
        "failing": share.failing,
        "without_verdict": share.without_verdict,
        "rate": None if share.rate is None else str(share.rate),
        "within_limit": share.within_limit,
    }


class IncidenceAPIView(APIView):
    queryset = Region.objects.all()  # permission: regions.view_region

    @extend_schema(
        tags=["indicators"],
        summary=gettext_lazy("贫困发生率"),
        parameters=[REGION, YEAR, DENOMINATOR],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        c = incidence_context(request)
        return Response(
            {
                "indicator": "poverty_incidence",
                "region": c["region"].code if c["region"] else "",
                "year": c["year"],
                "denominator": c["denominator"],
                "total": _incidence(c["total"]),
                "children": [{"name": r["name"], **_incidence(r["item"])} for r in c["rows"]],
            }
        )


class EvaluatorAPIView(APIView):
    queryset = Region.objects.all()

    @extend_schema(
        tags=["indicators"],
        summary=gettext_lazy("第三方评估指标：错退率与漏评线索"),
        parameters=[REGION, YEAR, STANDARD],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        c = evaluator_context(request)
        return Response(
            {
                "region": c["region"].code if c["region"] else "",
                "year": c["year"],
                "standard": c["standard"],
                "limit": str(c["limit"]),
                "wrong_exits": _share(c["wrong_exits"]),
                "missed": _share(c["missed"]),
            }
        )
