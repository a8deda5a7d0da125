"""Shared fixtures: named personas, a real Chromium through Playwright, and an axe check."""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root on CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def personas(db: None) -> Any:
    """A parent, a young person, a coordinator, an adviser, a mediator, an LA officer, a manager."""
    from sendmediation.testing.personas import make_personas

    return make_personas()


@pytest.fixture(autouse=True)
def _no_kept_pages() -> None:
    """Every test starts with no public page kept (sendmediation/website/page_cache.py)."""
    from django.core.cache import caches

    caches["pages"].clear()


_DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@pytest.fixture(autouse=True)
def _no_counts_in_the_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test with the database starts and ends with the default cache empty, so that no rate
    limit counted by one test reaches another. The cache is a table in the test database
    (config/caches.py): a test's rollback undoes what it counted, but a test that commits (a live
    server's) leaves its rows, since flushing the database empties only the models' tables."""
    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        _DATABASE_FIXTURES & set(request.fixturenames)
    )
    if not uses_database:
        yield
        return
    from django.core.cache import cache

    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock():
        cache.clear()
    yield
    with blocker.unblock():
        cache.clear()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by tests
    # between page actions are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("Chromium is missing: run the README's test command, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _new_page(chromium: Any, *, javascript: bool, width: int = 1024) -> Any:
    context = chromium.new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": 900}, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.javascript_off = not javascript
    return page


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A browser tab with JavaScript on."""
    tab = _new_page(chromium, javascript=True)
    yield tab
    tab.context.close()


@pytest.fixture
def page_without_js(chromium: Any) -> Iterator[Any]:
    """A browser tab with JavaScript off, as some families' browsers are."""
    tab = _new_page(chromium, javascript=False)
    yield tab
    tab.context.close()


@pytest.fixture
def phone_page(chromium: Any) -> Iterator[Any]:
    """A 320 px wide tab with JavaScript on: the smallest phone we design for."""
    tab = _new_page(chromium, javascript=True, width=320)
    yield tab
    tab.context.close()


@pytest.fixture
def assert_accessible() -> Callable[..., None]:
    from sendmediation.testing.axe import assert_no_axe_violations

    return assert_no_axe_violations


def pytest_report_header(config: Any) -> str:
    url = os.environ.get("DATABASE_URL", "")
    return f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}"
