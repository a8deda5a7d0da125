"""The subject access export in a real browser: from the case page to the zip, with JavaScript on
and off and on a 320 px screen, checked with axe; the zip's own index is checked with axe too."""

from __future__ import annotations

import zipfile

import pytest
from django.urls import reverse

from sendmediation.dataprotection.tests.builders import OTHER_EMAIL, build_casework
from sendmediation.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _sign_in(page, live_server, username, then):
    page.goto(f"{live_server.url}{reverse('accounts:sign_in')}?next={then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}{then}")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("tab", ["page", "page_without_js", "phone_page"])
def test_a_manager_exports_everything_held_about_a_family(
    request, tab, live_server, personas, monkeypatch, assert_accessible, tmp_path
):
    page = request.getfixturevalue(tab)
    casework = build_casework(personas, monkeypatch)
    case_url = reverse("cases:case_detail", args=[casework.first.reference])
    _sign_in(page, live_server, personas.manager.username, case_url)

    page.get_by_role("link", name="Export everything held about this family").click()
    assert page.get_by_role("heading", name="Export everything held about this family").is_visible()
    assert page.get_by_role("link", name=casework.second.reference).is_visible()
    assert page.get_by_text(OTHER_EMAIL).count() == 0
    assert_accessible(page, label=f"subject access export ({tab})")
    if tab == "phone_page":
        assert _fits(page)

    with page.expect_download() as waiting:
        page.get_by_role("button", name="Export everything held about this family").click()
    download = waiting.value
    assert download.suggested_filename.startswith(f"subject-access-{casework.first.reference}-")
    saved = tmp_path / "export.zip"
    download.save_as(saved)
    folder = tmp_path / "export"
    with zipfile.ZipFile(saved) as archive:
        archive.extractall(folder)
    assert (folder / casework.first.reference / "case.txt").is_file()

    if tab != "page_without_js":  # axe runs in the page, which needs JavaScript
        page.goto((folder / "index.html").as_uri())
        assert page.get_by_role(
            "heading", name=f"Everything held about the family of case {casework.first.reference}"
        ).is_visible()
        assert_accessible(page, label=f"the zip's index ({tab})")
        if tab == "phone_page":
            assert _fits(page)
        page.get_by_role("link", name=f"{casework.first.reference}/case.txt").click()
        assert "Amir" in page.content()
