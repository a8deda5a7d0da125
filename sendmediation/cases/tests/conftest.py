"""Fixtures for casework tests: private media, an empty cache."""

import pytest
from django.core.cache import cache

from sendmediation.statutory.services import base_calendar


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def calendar():
    return base_calendar()
