"""Fixtures shared by every app's tests (see bangfu/core/testing.py)."""

import pytest

from bangfu.core import testing


@pytest.fixture
def regions(db):
    return testing.make_regions()


@pytest.fixture
def users(regions):
    return testing.make_users()


@pytest.fixture
def household(regions):
    """A household in 新联村 (451423100201): in scope of county, township and village users."""
    return testing.make_household("451423100201")


@pytest.fixture
def other_household(regions):
    """A household in 罗回村: out of scope of the 新联村 village user."""
    return testing.make_household("451423100202")


@pytest.fixture
def far_household(regions):
    """A household in 钟山县 大桥村: out of scope of every 龙州县 user."""
    return testing.make_household("451122100201")


@pytest.fixture
def login(client):
    """login(user) → a Django test client logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _attachment_dir(settings, tmp_path_factory):
    """Attachment files written by any test go to a temporary directory, never to var/."""
    settings.BANGFU_ATTACHMENT_DIR = tmp_path_factory.mktemp("attachments")
