"""Fixtures for casework tests: private media (the root conftest.py empties the cache)."""

import pytest

from sendmediation.statutory.services import base_calendar


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def calendar():
    return base_calendar()
