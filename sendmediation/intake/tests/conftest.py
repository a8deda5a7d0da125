"""The send limit counts in the cache, which the root conftest.py empties for each test."""

import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded letters go to a folder of their own for each test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
