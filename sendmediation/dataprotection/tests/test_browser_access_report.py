"""Who viewed a case, what one person opened and who opened cases, in a real browser: from the
case page on, with JavaScript on and off and on a 320 px screen, checked with axe."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sendmediation.cases.models import AccessLog
from sendmediation.cases.queries import log_access
from sendmediation.cases.tests.builders import open_case
from sendmediation.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username, then):
    page.goto(f"{live_server.url}{reverse('accounts:sign_in')}?next={then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}{then}")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("tab", ["page", "page_without_js", "phone_page"])
def test_a_manager_sees_who_viewed_a_case_and_what_one_person_opened(
    request, tab, live_server, personas, assert_accessible
):
    page = request.getfixturevalue(tab)
    case = open_case(personas)
    log_access(user=personas.coordinator, case=case, what=AccessLog.What.CASE_PAGE)
    log_access(user=personas.manager, case=case, what=AccessLog.What.API_READ)
    case_url = reverse("cases:case_detail", args=[case.reference])
    _sign_in(page, live_server, personas.manager.username, case_url)

    page.get_by_role("link", name="Who viewed this case").click()
    assert page.get_by_role("heading", name="Who viewed this case").is_visible()
    table = page.get_by_role("table")
    assert table.get_by_text("Case read through the API").is_visible()
    assert table.get_by_text("Who viewed the case").is_visible()
    assert_accessible(page, label=f"who viewed a case ({tab})")
    if tab == "phone_page":
        assert _fits(page)

    page.get_by_role("link", name=personas.coordinator.display_name).click()
    assert page.get_by_role("heading", name=f"What {personas.coordinator.display_name} opened").is_visible()
    page.get_by_label("Period").select_option("day")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**period=day**")
    assert page.get_by_role("heading", name="Last 24 hours: 1 record").is_visible()
    assert page.get_by_role("table").get_by_text(case.reference).is_visible()
    assert_accessible(page, label=f"what one person opened ({tab})")
    if tab == "phone_page":
        assert _fits(page)

    page.goto(f"{live_server.url}{reverse('access_report:people')}")
    assert page.get_by_role("heading", name="Who opened cases").is_visible()
    assert_accessible(page, label=f"who opened cases ({tab})")
    if tab == "phone_page":
        assert _fits(page)
