import pytest

from bangfu.assistance import testing


@pytest.fixture
def world(regions):
    return testing.make_world()


@pytest.fixture(autouse=True)
def chinese():
    """Messages are asserted in Chinese, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield
