"""Signing the agreement through the link, at 320 px, with JavaScript off and on, checked with axe.

The mediator sends a held mediation's agreement for signature through the services; the parent opens
their link on a small phone: the summary of what was agreed and the PDF are there and nothing scrolls
sideways; signing without a name or without the confirmation is refused in words, in the GOV.UK error
summary and beside the field; signing shows the confirmation. The same link again says it was used;
a link whose fortnight has passed says it has expired.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sendmediation.agreements import services
from sendmediation.agreements.models import Agreement, SignatureRequest
from sendmediation.agreements.tests.helpers import ITEMS, held_case
from sendmediation.agreements.tests.test_services import _tokens

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 320


@pytest.fixture(params=[False, True], ids=["javascript-off", "javascript-on"])
def small_page(request: Any, chromium: Any) -> Iterator[Any]:
    """A 320 px wide tab, the smallest phone we design for, with JavaScript off, then on."""
    javascript = request.param
    context = chromium.new_context(
        java_script_enabled=javascript, viewport={"width": WIDTH, "height": 900}, locale="en-GB"
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.javascript_off = not javascript
    yield tab
    context.close()


WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll("body *")]
    .filter((element) => element.getBoundingClientRect().right > window.innerWidth)
    .map((element) => element.tagName.toLowerCase() + (element.className ? "." + element.className : ""))"""


def _fits(page: Any) -> None:
    """Nothing scrolls sideways: the page is no wider than the screen."""
    wider = page.evaluate(WIDER_THAN_THE_SCREEN)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (page.url, wider)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def _words(locator: Any) -> str:
    """The text as a screen reader reads it, the visually hidden "Error:" included."""
    return " ".join(locator.text_content().split())


def test_a_parent_signs_through_their_link_on_a_small_screen(
    live_server, small_page, personas, monkeypatch, assert_accessible
):
    page = small_page
    case = held_case(personas)
    tokens = _tokens(monkeypatch)
    services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
    services.send_for_signature(actor=personas.mediator, case=case)
    agreement = Agreement.objects.get(case=case)
    # The family contact, the authority's representative and the mediator each have a link.
    assert len(tokens) == 3
    url = live_server.url + reverse("agreements_public:sign", args=[tokens[0]])

    # The page: who signs, a summary of what was agreed, and the exact PDF to read.
    response = page.goto(url)
    assert response.status == 200
    assert page.get_by_role("heading", name="Sign the mediation agreement", level=1).is_visible()
    assert page.get_by_text("Sarah Khan, you are asked to sign as parent").is_visible()
    items = page.locator("main ol.govuk-list--number > li")
    assert items.count() == 2
    assert items.nth(0).get_by_text("Carry out an EHC needs assessment").is_visible()
    assert items.nth(0).get_by_text("By 18 December 2026.").is_visible()
    assert items.nth(1).get_by_text("Share the school's reports").is_visible()
    pdf_link = page.get_by_role("link", name="Read the full agreement you are signing (PDF, version 1)")
    assert pdf_link.is_visible()
    pdf = page.request.get(live_server.url + pdf_link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    assert page.get_by_text(agreement.sha256).is_visible()
    _fits(page)
    assert_accessible(page, label="the signing page at 320 px")

    # No name: the error summary and the message beside the field, nothing signed.
    page.get_by_label("I have read the agreement and I agree to it").check()
    page.get_by_role("button", name="Sign the agreement").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("heading", name="There is a problem").is_visible()
    summary_link = summary.get_by_role("link", name="Enter your full name")
    assert summary_link.get_attribute("href") == "#full_name"
    assert _words(page.locator("#full_name-error")) == "Error: Enter your full name"
    assert page.locator("#full_name-error").is_visible()
    name_box = page.get_by_label("Your full name")
    assert name_box.get_attribute("aria-describedby") == "full_name-error"
    assert "govuk-input--error" in (name_box.get_attribute("class") or "")
    if not page.javascript_off:
        # GOV.UK Frontend moves focus to the summary, and its link to the field.
        assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
        summary_link.click()
        assert page.evaluate("document.activeElement.id") == "full_name"
    _fits(page)
    assert_accessible(page, label="the signing page with no name given")
    assert not SignatureRequest.objects.filter(used_at__isnull=False).exists()

    # A name but no confirmation: the message is beside the checkbox.
    page.get_by_label("Your full name").fill("Sarah Khan")
    page.get_by_role("button", name="Sign the agreement").click()
    page.wait_for_load_state()
    message = "Confirm that you agree to what the agreement says"
    assert page.locator(".govuk-error-summary").get_by_role("link", name=message).get_attribute("href") == (
        "#confirmed"
    )
    assert _words(page.locator("#confirmed-error")) == f"Error: {message}"
    assert page.get_by_label("Your full name").input_value() == "Sarah Khan"  # kept, not typed again
    _fits(page)
    assert_accessible(page, label="the signing page without the confirmation")

    # Signed.
    page.get_by_label("I have read the agreement and I agree to it").check()
    page.get_by_role("button", name="Sign the agreement").click()
    assert page.get_by_role("heading", name="You have signed the agreement", level=1).is_visible()
    assert page.get_by_text("When everybody has signed, we will email you a copy").is_visible()
    signed = SignatureRequest.objects.get(agreement=agreement, party__isnull=False, name="Sarah Khan")
    assert signed.used_at is not None and signed.signature.full_name == "Sarah Khan"
    assert signed.signature.sha256 == agreement.sha256
    _fits(page)
    assert_accessible(page, label="signed")

    # The same link again: a plain page saying it was used, and no form.
    response = page.goto(url)
    assert response.status == 410
    assert page.get_by_role("heading", name="You have already signed", level=1).is_visible()
    assert page.get_by_text("This link has already been used to sign the agreement.").is_visible()
    assert page.locator("form").count() == 0
    _fits(page)
    assert_accessible(page, label="a used link")

    # The authority's representative opens their link after its fortnight has passed.
    SignatureRequest.objects.filter(token_hash=services.hash_token(tokens[1])).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = page.goto(live_server.url + reverse("agreements_public:sign", args=[tokens[1]]))
    assert response.status == 410
    assert page.get_by_role("heading", name="This link has expired", level=1).is_visible()
    assert page.get_by_text("This link has expired. Contact us for a new one.").is_visible()
    assert page.locator("form").count() == 0
    _fits(page)
    assert_accessible(page, label="an expired link")
