"""The region filter every list shares: a code prefix is the subtree, as an index range."""

from hypothesis import given
from hypothesis import strategies as st

from bangfu.core.filters import region_prefix
from bangfu.core.scoping import prefix_range
from bangfu.regions.models import Region


@given(st.text(alphabet="0123456789", min_size=1, max_size=6), st.text("0123456789", max_size=15))
def test_prefix_range_holds_exactly_the_codes_with_the_prefix(prefix, code):
    low, high = prefix_range(prefix)
    assert (low <= code < high) == code.startswith(prefix)


def test_filter_by_prefix_and_bad_input(regions):
    codes = lambda qs: set(qs.values_list("code", flat=True))  # noqa: E731
    everything = Region.objects.all()
    assert codes(region_prefix(everything, "pk", "451423100")) == {
        c for c in codes(everything) if c.startswith("451423100")
    }
    assert region_prefix(everything, "pk", " ").count() == everything.count()
    # text that is no code (or a character with no successor) matches nothing, and no error
    for bad in ("新联", "4514%", "4514\U0010ffff", "４５１４"):
        assert region_prefix(everything, "pk", bad).count() == 0


def test_list_pages_with_a_bad_region_filter(users, household, login):
    client = login(users["county"])
    for url in ("/visits/", "/plans/", "/activities/", "/funds/allocations/", "/credit/"):
        response = client.get(url, {"region": "4514\U0010ffff"})
        assert response.status_code == 200, url
