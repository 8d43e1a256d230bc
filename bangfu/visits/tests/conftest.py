import pytest

from bangfu.accounts.choices import Role
from bangfu.assistance import testing as assistance_testing
from bangfu.core.testing import make_user


@pytest.fixture(autouse=True)
def attachment_dir(settings, tmp_path):
    settings.BANGFU_ATTACHMENT_DIR = tmp_path / "attachments"
    return settings.BANGFU_ATTACHMENT_DIR


@pytest.fixture
def world(regions):
    return assistance_testing.make_world()


@pytest.fixture
def cadre_user(world, household):
    """黄书记 (龙州县公安局) as a logged-in cadre, paired with the 新联村 household."""
    user = make_user("cadre_user", Role.CADRE, None)
    world.secretary.user = user
    world.secretary.save()
    assistance_testing.make_pairing(world.secretary, household)
    return user


@pytest.fixture
def unit_user(world):
    """Staff of 崇左市公安局: sees the records of its cadres and of 龙州县公安局's."""
    return assistance_testing.make_unit_user("unit_user", world.city)
