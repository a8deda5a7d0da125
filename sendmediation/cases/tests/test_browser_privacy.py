"""A manager handles a family's requests about their data, at 320 px with JavaScript off and on, checked
with axe: erasure refused with the reason, a legal hold placed and lifted, a correction, an erasure."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from sendmediation.cases import services
from sendmediation.cases.models import Case
from sendmediation.cases.tests.builders import case_in
from sendmediation.cases.tests.test_browser import sign_in

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


def _fits(page: Any) -> None:
    # A link just clicked may still be loading its page: measure the page it leads to.
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url


def _checked(page: Any, assert_accessible: Any, label: str) -> None:
    _fits(page)
    assert_accessible(page, label=f"{label} at {WIDTH} px")


def test_a_manager_handles_requests_about_a_familys_data(
    live_server, small_page, personas, assert_accessible
):
    page = small_page
    kept = case_in(personas, "certificate_issued")
    services.close_case(actor=personas.coordinator, case=kept, outcome=Case.Outcome.CERTIFICATE_ISSUED)
    case_url = reverse("cases:case_detail", args=[kept.reference])
    sign_in(page, live_server, "max", case_url)

    # Erasure is refused in plain words: a certificate was issued.
    page.get_by_role("link", name="Erase personal data on request").click()
    _checked(page, assert_accessible, "the erasure page")
    page.get_by_label("Who asked for their data to be erased, and when?").fill("The parent, by email today")
    page.get_by_role("button", name="Erase the personal data").click()
    assert page.get_by_text("A mediation certificate was issued on this case").is_visible()
    _checked(page, assert_accessible, "erasure refused")

    # A legal hold needs a reason; the error says so, then the hold is placed and shown.
    page.goto(f"{live_server.url}{case_url}")
    page.get_by_role("link", name="Place a legal hold").click()
    page.get_by_role("button", name="Place the legal hold").click()
    assert page.get_by_role("link", name="Enter why the case must be kept").is_visible()
    _checked(page, assert_accessible, "legal hold with an error")
    page.get_by_label("Why must the case be kept?").fill("A complaint about the service is open")
    page.get_by_role("button", name="Place the legal hold").click()
    page.wait_for_url(re.compile(rf".*{re.escape(case_url)}$"))
    assert page.get_by_role("alert").get_by_text("Legal hold placed").is_visible()
    assert page.get_by_text("This case is under a legal hold").is_visible()
    _checked(page, assert_accessible, "a case under a legal hold")

    # A correction on request, with who asked and why.
    page.get_by_role("link", name="Correct personal details on request").click()
    _checked(page, assert_accessible, "the correction page")
    page.get_by_label("Child's first name").fill("Amira")
    page.get_by_label("Who asked for the correction, and what did they say was wrong?").fill(
        "The parent phoned: the first name was misspelt"
    )
    page.get_by_role("button", name="Save the correction").click()
    page.wait_for_url(re.compile(rf".*{re.escape(case_url)}$"))
    assert page.get_by_role("heading", level=1, name="Amira Khan").is_visible()

    page.get_by_role("link", name="Lift the legal hold").click()
    page.get_by_label("Why is the legal hold being lifted?").fill("The complaint was answered")
    page.get_by_role("button", name="Lift the legal hold").click()
    assert page.get_by_role("alert").get_by_text("Legal hold lifted").is_visible()

    # A withdrawn case with nothing the law needs kept is erased at once.
    erased = case_in(personas, "withdrawn")
    page.goto(f"{live_server.url}{reverse('cases:case_action', args=[erased.reference, 'erase_case'])}")
    page.get_by_label("Who asked for their data to be erased, and when?").fill("The young person, by phone")
    page.get_by_role("button", name="Erase the personal data").click()
    page.wait_for_url(re.compile(rf".*/staff/cases/{erased.reference}/$"))
    assert page.get_by_role("heading", level=1, name="Personal data removed").is_visible()
    assert page.get_by_role("alert").get_by_text("Personal data erased").is_visible()
    _checked(page, assert_accessible, "an erased case")
    erased.refresh_from_db()
    assert erased.anonymised_on is not None and erased.child_first_name == ""
