"""Maintained dividend totals (`DividendTotal`): count and amount in whole cents per county (of
the dividend's cooperative's village) and year, so the figures card of a county, city or
province reads them instead of every dividend under it (bangfu/core/yeartotals.py has the SQL).

Who keeps them: `Dividend.save()` / `.delete()`, `DividendQuerySet`'s bulk writes and the
import's set-based writer (`cooperatives.save_new_dividends` → `add_new`); a
cooperative whose village changes (`Cooperative.save()`, `CooperativeQuerySet.update`) moves
its dividends (minus under the old county before the write, plus under the new one after it,
one GROUP BY each); a cooperative deleted (its dividends go with it) subtracts them first.
Raw SQL that writes `cooperatives_dividend` (the benchmarks) calls `rebuild_dividend_totals()`
afterwards; `check_dividend_totals()` is run by `bangfu reconcile-funds`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.yeartotals import YearTotals, problem

DIVIDENDS = YearTotals(
    table="cooperatives_dividendtotal",
    keys=("county", "year"),
    cents_column="amount_cents",
    source="cooperatives_dividend JOIN cooperatives_cooperative "
    "ON cooperatives_cooperative.id = cooperatives_dividend.cooperative_id",
    region="cooperatives_cooperative.village_id",
    key_sql=("cooperatives_dividend.year",),
    amount="cooperatives_dividend.amount",
    label="cooperatives.dividendtotal",
)


def add_ids(ids, sign: int = 1) -> None:
    """Add (or subtract) the dividends with these ids."""
    DIVIDENDS.add_ids("cooperatives_dividend.id", ids, sign)


def add_cooperatives(ids, sign: int = 1) -> None:
    """Add (or subtract) every dividend of these cooperatives."""
    DIVIDENDS.add_ids("cooperatives_dividend.cooperative_id", ids, sign)


def check_dividend_totals(region: str = "") -> list[tuple]:
    """`(county, year, total count, total cents, dividend count, dividend cents)` that differ."""
    return DIVIDENDS.check(region)


def dividend_total_problems(region: str = "") -> list[tuple[str, str]]:
    """(message, link to the dividends) of every key whose total differs (reconcile-funds)."""
    out = []
    for county, year, tn, tc, rn, rc in check_dividend_totals(region):
        query = urlencode({"region": county, "year": year})
        out.append(
            (
                problem(_("分红"), county, year, tn, tc, rn, rc),
                f"{reverse('cooperatives:dividend_list')}?{query}",
            )
        )
    return out


def rebuild_dividend_totals() -> int:
    from ..models import DividendTotal

    return DIVIDENDS.rebuild(DividendTotal)


def add_new(ids) -> None:
    """Add dividends just inserted together (their ids allocated in one go, so a few ranges):
    one INSERT … SELECT … GROUP BY … ON CONFLICT over the id ranges, `add_ids` otherwise."""
    from bangfu.core.imports.bulk import id_ranges

    spans = id_ranges(ids)
    if not spans:
        return
    if len(spans) > 32:
        add_ids(ids)
        return
    where = " OR ".join(["cooperatives_dividend.id BETWEEN %s AND %s"] * len(spans))
    DIVIDENDS.add(f"({where})", [bound for span in spans for bound in span])
