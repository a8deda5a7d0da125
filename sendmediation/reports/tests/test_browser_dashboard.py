"""The manager dashboard in a real Chromium, checked with axe: JavaScript on and off, and 320 px wide."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sendmediation.cases.tests.test_browser import sign_in
from sendmediation.reports.tests.test_dashboard import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(personas):
    return build_world(personas)


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("tab", ["page", "page_without_js", "phone_page"])
def test_the_dashboard_and_the_emails_page_pass_axe(live_server, world, assert_accessible, request, tab):
    page = request.getfixturevalue(tab)
    sign_in(page, live_server, "max", reverse("reports:dashboard"))
    assert page.get_by_role("heading", name="Dashboard", level=1).is_visible()
    assert_accessible(page, label=f"the dashboard ({tab})")
    if tab == "phone_page":
        assert _no_sideways_scroll(page), "the dashboard scrolls sideways at 320 px"
    page.goto(f"{live_server.url}{reverse('notifications:outbox')}")
    assert page.get_by_role("heading", name="Emails being tried again").is_visible()
    assert_accessible(page, label=f"the emails page with one being tried again ({tab})")
    if tab == "phone_page":
        assert _no_sideways_scroll(page), "the emails page scrolls sideways at 320 px"


def test_a_manager_follows_a_figure_to_the_cases_without_javascript(live_server, world, page_without_js):
    page = page_without_js
    sign_in(page, live_server, "max", reverse("cases:my_work"))
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="3 Cora Lind: overdue").click()
    assert page.get_by_role("heading", name="3 cases").is_visible()
    page.go_back()
    page.get_by_role("link", name="4 Local authority told, in all").click()
    assert page.get_by_role("heading", name="4 cases").is_visible()
    assert "Status: Local authority told" in page.locator("ul.govuk-list--bullet").first.inner_text()


def test_at_320_px_the_menu_opens_the_dashboard(live_server, world, phone_page, assert_accessible):
    page = phone_page
    sign_in(page, live_server, "max", reverse("cases:my_work"))
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="1 local authorities whose coverage starts later").click()
    assert page.url.endswith("#coverage-starting")
    assert page.get_by_role("heading", name="Coverage starting later").is_visible()
    assert_accessible(page, label="the dashboard at its coverage tables, 320 px")
