"""One filter definition per list: the page, the API and the links use the same."""

import django_filters
from django.utils.translation import gettext_lazy as _

from bangfu.core.filters import region_prefix

from .choices import Repayment
from .models import Loan, LoanProduct


class ProductFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="name", lookup_expr="contains")
    bank = django_filters.CharFilter(label=_("贷款银行"), lookup_expr="contains")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")

    class Meta:
        model = LoanProduct
        fields = ["q", "bank", "region"]

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "region", value)


class LoanFilterSet(django_filters.FilterSet):
    product = django_filters.NumberFilter(label=_("贷款产品"), field_name="product_id")
    household = django_filters.NumberFilter(label=_("建档立卡户"), field_name="household_id")
    repayment = django_filters.ChoiceFilter(label=_("还款状态"), choices=Repayment.choices)
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    start = django_filters.DateFilter(label=_("起始日期"), field_name="date", lookup_expr="gte")
    end = django_filters.DateFilter(label=_("截止日期"), field_name="date", lookup_expr="lte")

    class Meta:
        model = Loan
        fields = ["product", "household", "repayment", "region", "start", "end"]

    def filter_region(self, queryset, name, value):
        return region_prefix(queryset, "region", value)  # the household's, copied
