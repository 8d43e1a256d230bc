"""Builders for tests of village facts (on top of core.testing)."""

from __future__ import annotations

from decimal import Decimal

from .models import VillageYear


def make_village_year(region: str = "451423100201", year: int = 2020, **overrides) -> VillageYear:
    """Village facts answered "good" (every yes/no fact yes, collective income 50,000 元) unless
    overridden."""
    fields = dict(
        rural_population=1000,
        featured_industry=True,
        road_to_village_hardened=True,
        clinic_with_doctor=True,
        public_service_venue=True,
        broadband=True,
        collective_income=Decimal("50000"),
        committee_rated_good=True,
    )
    fields.update(overrides)
    return VillageYear.objects.create(region_id=region, year=year, **fields)
