import pytest


@pytest.fixture(autouse=True)
def _db(db):
    """Every exits test uses the database."""
