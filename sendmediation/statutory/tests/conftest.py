import pytest

from sendmediation.statutory import services


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    """Each test starts from the database, not from a calendar cached by an earlier test."""
    services._cache.forget()
    yield
    services._cache.forget()
