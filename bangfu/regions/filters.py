import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import Level
from .models import Region


class RegionFilterSet(django_filters.FilterSet):
    parent = django_filters.CharFilter(label=_("上级区划代码"), field_name="parent_id")
    level = django_filters.ChoiceFilter(label=_("级别"), choices=Level.choices)
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q")

    class Meta:
        model = Region
        fields = ["parent", "level", "q"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(name__contains=value) | queryset.filter(code__startswith=value)
