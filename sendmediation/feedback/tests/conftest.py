"""Fixtures for the survey's tests: an empty cache, so that each test's rate limit starts at 0."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()
