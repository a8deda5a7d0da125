"""The installed site content, for tests that need the public pages."""

from functools import cache
from typing import Any

import pytest


@cache
def _migrated_models() -> Any:
    """The models as the migrations leave them: what the data migration itself runs with."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).project_state().apps


@pytest.fixture
def migrated_models() -> Any:
    return _migrated_models()


@pytest.fixture
def site_content() -> None:
    """The pages and testimonials a fresh install has (a test with transaction=True starts empty).

    Use with the django_db marker.
    """
    from wagtail.models import Collection, Site

    from sendmediation.website.site_content import install_site_content

    install_site_content(_migrated_models())
    Site.clear_site_root_paths_cache()
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
