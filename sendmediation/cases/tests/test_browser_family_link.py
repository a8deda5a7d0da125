"""A coordinator stops the family's link and sends a new one, at 320 px with JavaScript off and on,
checked with axe; the old link gets the plain "no longer works" page, the new one the family's page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from sendmediation.cases.family import family_token
from sendmediation.cases.models import Case
from sendmediation.cases.tests.builders import case_in
from sendmediation.cases.tests.test_browser import sign_in
from sendmediation.notifications.models import OutboxMessage
from sendmediation.testing.outbox import link_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 320


@pytest.fixture(params=[False, True], ids=["javascript-off", "javascript-on"])
def small_page(request: Any, chromium: Any) -> Iterator[Any]:
    javascript = request.param
    context = chromium.new_context(
        java_script_enabled=javascript, viewport={"width": WIDTH, "height": 900}, locale="en-GB"
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.javascript_off = not javascript
    yield tab
    context.close()


def _checked(page: Any, assert_accessible: Any, label: str) -> None:
    # A link just clicked may still be loading its page: measure the page it leads to.
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url
    assert_accessible(page, label=f"{label} at {WIDTH} px")


def test_a_coordinator_stops_the_link_and_sends_a_new_one(
    live_server, small_page, personas, assert_accessible
):
    page = small_page
    case = case_in(personas, Case.Status.ADVICE_GIVEN)
    first = family_token(case)
    case_url = reverse("cases:case_detail", args=[case.reference])
    sign_in(page, live_server, "cora", case_url)

    # Stopping needs a reason; the error says so.
    page.get_by_role("link", name="Stop the family's link").click()
    _checked(page, assert_accessible, "stopping the family's link")
    page.get_by_role("button", name="Stop the link").click()
    assert page.get_by_role("link", name="Enter why the family's link must stop").is_visible()
    _checked(page, assert_accessible, "stopping the link with an error")
    page.get_by_label("Why must the family's link stop?").fill("The parent thinks someone read the email")
    page.get_by_role("button", name="Stop the link").click()
    page.wait_for_url(re.compile(rf".*{re.escape(case_url)}$"))
    assert page.get_by_role("alert").get_by_text("The family's link has stopped working").is_visible()
    _checked(page, assert_accessible, "the case after stopping the link")

    # The family asks for a new one.
    page.get_by_role("link", name="Send the family a new link").click()
    _checked(page, assert_accessible, "sending a new link")
    page.get_by_label("Why does the family need a new link?").fill("The parent asked by phone")
    page.get_by_role("button", name="Stop the old link and send a new one").click()
    page.wait_for_url(re.compile(rf".*{re.escape(case_url)}$"))
    assert page.get_by_role("alert").get_by_text("a new one is being emailed to the family").is_visible()

    # The first link gets a plain page saying whom to call.
    page.goto(f"{live_server.url}{reverse('cases_public:family_case', args=[first])}")
    assert page.get_by_role("heading", level=1, name="This link no longer works").is_visible()
    phone = page.locator("#main-content").get_by_role("link", name="0808 157 0192")
    assert phone.get_attribute("href") == "tel:08081570192"
    _checked(page, assert_accessible, "a link that no longer works")

    # The new link, as the family received it, opens their page.
    message = OutboxMessage.objects.get(template="family_link_reissued", case_reference=case.reference)
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link_in(message, "case_link")))
    assert page.get_by_role("heading", name="Your case").is_visible()
    _checked(page, assert_accessible, "the family's page through the new link")
