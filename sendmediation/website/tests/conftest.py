"""The installed site content, for tests that need the public pages."""

from typing import Any

import pytest


@pytest.fixture
def site_content() -> None:
    """The pages and testimonials a fresh install has (a test with transaction=True starts empty).

    Use with the django_db marker. In the ordinary test database they are there already, put in
    once when it was migrated; installing adds only what is missing.
    """
    from wagtail.models import Collection

    from sendmediation.website.content.install import install_site_content

    install_site_content()
    if not Collection.objects.exists():
        Collection.add_root(name="Root")  # Wagtail's migrations make it; a flushed database has none


@pytest.fixture
def leaflet_cache(settings: Any, tmp_path: Any) -> Any:
    """Leaflet PDFs are written under VAR_DIR: keep each test's own."""
    settings.VAR_DIR = tmp_path
    return tmp_path / "leaflets"


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
