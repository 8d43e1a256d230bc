"""The household page says who answers for the household today at every level."""

import datetime

import pytest

from bangfu.assistance import testing
from bangfu.assistance.choices import ResponsibilityLevel as L
from bangfu.assistance.services import zones
from bangfu.core.testing import make_household
from bangfu.regions.choices import Level
from bangfu.regions.models import Region

D = datetime.date
GROUP = "451423100201001"


@pytest.fixture
def chain(world):
    group = Region.objects.create(
        code=GROUP, name="那坡屯", level=Level.GROUP, parent_id=testing.XINLIAN
    )
    household = make_household(GROUP)
    county = Region.objects.get(pk="451423")
    zone = zones.create_zone(
        "下冻战区", county, commander=testing.make_cadre(world.hall, "李指挥长")
    )
    zones.set_villages(zone, [testing.XINLIAN])
    zones.assign_responsibility(
        zone,
        L.VILLAGE,
        testing.make_cadre(world.county, "正科包村"),
        D(2018, 1, 1),
        region=group.parent,
    )
    zones.assign_responsibility(
        zone, L.GROUP, testing.make_cadre(world.county, "副科包组"), D(2018, 1, 1), region=group
    )
    zones.assign_responsibility(
        zone,
        L.HOUSEHOLD,
        testing.make_cadre(world.county, "民警包户"),
        D(2018, 1, 1),
        household=household,
    )
    testing.make_posting(world.secretary, testing.XINLIAN)
    testing.make_pairing(world.officer, household, start=D(2018, 1, 1))
    return household


def _card(html):
    return html.split('class="card household-responsibles"', 1)[1].split("</section>", 1)[0]


def test_every_level_is_shown(chain, world, users, login):
    html = login(users["county"]).get(f"/registry/households/{chain.pk}/").content.decode()
    card = _card(html)
    for label, name in [
        ("帮扶单位", "广西壮族自治区公安厅"),
        ("后盾单位", "龙州县公安局"),
        ("第一书记", "黄书记"),
        ("战区指挥长", "李指挥长"),
        ("包村", "正科包村"),
        ("包组", "副科包组"),
        ("包户", "民警包户"),
        ("结对帮扶责任人", "李民警"),
    ]:
        assert label in card and name in card, label
    order = [card.index(n) for n in ("李指挥长", "正科包村", "副科包组", "民警包户", "李民警")]
    assert order == sorted(order)


def test_outside_any_zone_only_units_secretary_and_pairing(world, users, household, login):
    testing.make_pairing(world.officer, household)
    card = _card(
        login(users["county"]).get(f"/registry/households/{household.pk}/").content.decode()
    )
    assert "李民警" in card and "包村" not in card and "战区指挥长" not in card


def test_household_page_queries_stay_bounded(
    chain, world, users, login, django_assert_max_num_queries
):
    c = login(users["county"])
    url = f"/registry/households/{chain.pk}/"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        c.get(url)
    # more of everything elsewhere in the village and county: the page asks the same
    for _i in range(5):
        h = make_household(GROUP)
        testing.make_pairing(testing.make_cadre(world.county), h)
    zones.create_zone("水口战区", Region.objects.get(pk="451423"))
    with django_assert_max_num_queries(len(before.captured_queries)):
        c.get(url)
