"""Every report page in a real Chromium, checked with axe: with JavaScript on and off, and 320 px wide."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sendmediation.cases.tests.test_browser import sign_in
from sendmediation.reports.tests.conftest import QUARTER, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Q3 = f"?from={QUARTER.start}&to={QUARTER.end}"


@pytest.fixture
def world(personas):
    return build_world(personas)


def _pages(world):
    return [
        ("reports", reverse("reports:index")),
        ("service report", reverse("reports:service") + Q3),
        ("authority report", reverse("reports:authority", args=[world.westminster.code]) + Q3),
        ("period refused", reverse("reports:service") + "?from=2026-09-30&to=2026-07-01"),
    ]


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("tab", ["page", "page_without_js", "phone_page"])
def test_every_report_page_passes_axe(live_server, world, assert_accessible, request, tab):
    page = request.getfixturevalue(tab)
    sign_in(page, live_server, "max", reverse("reports:index"))
    for label, url in _pages(world):
        page.goto(f"{live_server.url}{url}")
        assert_accessible(page, label=f"{label} ({tab})")
        if tab == "phone_page":
            assert _no_sideways_scroll(page), f"{label} scrolls sideways at 320 px"


def test_a_manager_chooses_a_period_without_javascript(
    live_server, world, page_without_js, assert_accessible
):
    page = page_without_js
    sign_in(page, live_server, "max", reverse("reports:index"))
    page.get_by_role("link", name="Westminster").click()
    page.get_by_label("From", exact=True).fill("2026-07-01")
    page.get_by_label("To", exact=True).fill("2026-09-30")
    page.get_by_role("button", name="Show the report").click()
    assert page.get_by_role("heading", name="Requests for help", exact=True).is_visible()
    assert "1 July 2026 to 30 September 2026" in page.content()
    page.get_by_label("To", exact=True).fill("2026-06-01")
    page.get_by_role("button", name="Show the report").click()
    assert page.get_by_text("There is a problem").is_visible()
    page.get_by_role("link", name="The last day must be the same as or after the first day").click()
    assert_accessible(page, label="the period refused, after following the error link")


def test_an_officer_reaches_their_own_report_from_the_menu(live_server, world, phone_page, assert_accessible):
    page = phone_page
    sign_in(page, live_server, "olive", reverse("cases:my_work"))
    # At 320 px the menu opens from its button.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Reports").click()
    assert page.get_by_role("heading", name="Westminster").first.is_visible()
    page.get_by_role("link", name="Last financial year").click()
    assert_accessible(page, label="an officer's report for the last financial year at 320 px")
    assert _no_sideways_scroll(page)
