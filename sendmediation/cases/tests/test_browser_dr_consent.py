"""An organisation answers through its link, at 320 px with JavaScript off, checked with axe."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sendmediation.cases.models import Case, Party
from sendmediation.cases.tests.test_dr_consent import _asked, _party, _token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_page_without_js(chromium: Any) -> Any:
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 900}, locale="en-GB"
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.javascript_off = True
    yield tab
    context.close()


def test_a_school_declines_through_its_link_on_a_small_screen_without_javascript(
    live_server, small_page_without_js, personas, assert_accessible
):
    page = small_page_without_js
    case = _asked(personas)
    url = live_server.url + reverse(
        "cases_public:dr_consent", args=[_token(_party(case, Party.Role.EDUCATION_PROVIDER))]
    )

    page.goto(url)
    assert page.get_by_role("heading", name="Do you agree to disagreement resolution?").is_visible()
    # Without JavaScript the reason box is simply shown.
    assert page.get_by_label("Why do you not agree?").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, label="the consent page at 320 px")

    page.get_by_label("No, we do not agree").check()
    page.get_by_role("button", name="Send your answer").click()
    assert page.locator(".govuk-error-summary").get_by_text("Tell us why you do not agree").is_visible()
    assert_accessible(page, label="the consent page with an error")

    page.get_by_label("No, we do not agree").check()
    page.get_by_label("Why do you not agree?").fill("We are already meeting the family next week")
    page.get_by_role("button", name="Send your answer").click()
    assert page.get_by_role("heading", name="We have your answer").is_visible()
    assert_accessible(page, label="the answer received")
    case.refresh_from_db()
    assert case.status == Case.Status.CONSENT_REFUSED

    page.goto(url)
    assert page.get_by_role("heading", name="You have already answered").is_visible()
    assert_accessible(page, label="a used link")
