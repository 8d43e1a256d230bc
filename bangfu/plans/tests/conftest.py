import pytest

from bangfu.assistance import testing


@pytest.fixture
def world(regions):
    return testing.make_world()
