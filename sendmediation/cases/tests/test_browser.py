"""From a request on the website to a verified certificate, in a real browser, checked with axe."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from sendmediation.cases.models import Case, Certificate
from sendmediation.cases.tests.builders import open_case
from sendmediation.intake import services as intake
from sendmediation.intake.forms import QUESTION_FORMS
from sendmediation.intake.models import HelpRequest
from sendmediation.intake.tests.journey import parent_mediation
from sendmediation.notifications.models import OutboxMessage
from sendmediation.testing.outbox import link_in
from sendmediation.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def website_request() -> HelpRequest:
    """A request sent through the journey's own front doors, as the website sends it."""
    draft = intake.start_draft()
    who = ""
    for slug, data in parent_mediation():
        form = QUESTION_FORMS[slug](data, who=who, today=timezone.localdate())
        assert form.is_valid(), (slug, form.errors)
        answer = {"uploaded": False} if slug == "letter" else form.answer()
        intake.save_answer(draft=draft, slug=slug, answer=answer)
        who = str(answer.get("who", who))
    return intake.submit_request(draft=draft)


def sign_in(page, live_server, username, then):
    page.goto(f"{live_server.url}{reverse('accounts:sign_in')}?next={then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}{then}")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_a_request_becomes_a_verified_certificate(live_server, page, personas, assert_accessible):
    help_request = website_request()
    reference = help_request.reference

    # The coordinator starts from "My work", which says a request is waiting, and accepts it.
    sign_in(page, live_server, "cora", reverse("cases:my_work"))
    assert page.get_by_text("1 new request for help is waiting").is_visible()
    assert_accessible(page, label="my work with a request waiting")
    page.get_by_role("link", name="Review the requests").click()
    assert_accessible(page, label="requests")
    page.get_by_role("link", name=reference).click()
    assert page.get_by_role("heading", name=f"Request {reference}").is_visible()
    assert_accessible(page, label="a request")
    page.get_by_label("Mediation", exact=True).check()
    page.get_by_role("button", name="Accept and open a case").click()
    page.wait_for_url(re.compile(rf".*/staff/cases/{reference}/$"))
    assert page.get_by_role("alert").get_by_text(f"Case {reference} opened").is_visible()
    assert page.get_by_role("heading", name="Next step").is_visible()
    assert_accessible(page, label="a new case")

    # The next step is a button on the case page; the form starts with what is known.
    page.get_by_role("link", name="Book an advice call").click()
    assert_accessible(page, label="book advice")
    page.get_by_label("Adviser").select_option(label="Adam Reeve")
    when = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Day").fill(str(when.day))
    page.get_by_label("Month").fill(str(when.month))
    page.get_by_label("Year").fill(str(when.year))
    page.get_by_label("Time of the call").fill("10:30am")
    page.get_by_role("button", name="Book the call").click()
    assert page.get_by_role("alert").get_by_text("Advice call booked").is_visible()
    assert page.get_by_role("link", name="Change the advice call").is_visible()

    page.get_by_role("link", name="Cases", exact=True).click()
    assert page.get_by_role("link", name=reference).is_visible()
    assert_accessible(page, label="case list")
    page.get_by_role("link", name="Open a case").click()
    assert_accessible(page, label="open a case")
    sign_out(page)

    # The adviser finds the call on "My work", records it after it happens, and issues the certificate.
    sign_in(page, live_server, "adam", reverse("cases:my_work"))
    assert page.get_by_role("heading", name=re.compile("Your advice calls")).is_visible()
    assert_accessible(page, label="my work")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Record the advice call").click()
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Time of the call").fill("00:00")
    page.get_by_label("The family does not want mediation").check()
    page.get_by_label("Notes from the call").fill("Family will appeal on section B.")
    assert_accessible(page, label="record advice")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role(
        "cell", name=re.compile("Issue the mediation certificate after advice")
    ).is_visible()
    page.get_by_role("link", name="Issue the mediation certificate").click()
    assert_accessible(page, label="issue certificate")
    # Only one certificate fits this case, so it is named, not offered as a one-choice question.
    assert page.get_by_text("Certificate to issue:").is_visible() and page.get_by_role("radio").count() == 0
    page.get_by_role("button", name="Issue the certificate").click()
    certificate = Certificate.objects.get(case__reference=reference)
    assert page.get_by_role("alert").get_by_text(f"Certificate {certificate.number} issued").is_visible()
    assert page.get_by_role("link", name=f"Download certificate {certificate.number} (PDF)").is_visible()
    assert_accessible(page, label="case with a certificate")
    # The email that carries the certificate opens from the case page, as the family will see it.
    page.get_by_role("link", name=f"Your mediation certificate (reference {reference})").click()
    page.wait_for_url(re.compile(r".*/emails/\d+/$"))
    assert page.get_by_role("heading", level=1, name=re.compile("Your mediation certificate")).is_visible()
    assert_accessible(page, label="an email about the case")
    page.get_by_role("link", name=f"Back to case {reference}").click()
    case = Case.objects.get(reference=reference)
    assert case.status == Case.Status.CERTIFICATE_ISSUED
    assert list(case.events.order_by("id").values_list("kind", flat=True)) == [
        "opened",
        "triaged",
        "advice_booked",
        "advice_given",
        "certificate_issued",
    ]
    sign_out(page)

    # The family opens the link from its email and downloads the certificate.
    message = OutboxMessage.objects.get(template="certificate_issued", case_reference=reference)
    link = urlsplit(link_in(message, "case_link")).path
    page.goto(f"{live_server.url}{link}")
    assert page.get_by_role("heading", name="Your case").is_visible()
    assert_accessible(page, label="the family's page")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download your mediation certificate")).click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # A tribunal clerk checks the certificate.
    page.goto(f"{live_server.url}{reverse('cases_public:verify')}")
    assert_accessible(page, label="verify")
    page.get_by_label("Certificate number").fill(certificate.number)
    page.get_by_label("Verification code").fill(certificate.verification_code)
    page.get_by_role("button", name="Check the certificate").click()
    assert page.get_by_role("heading", name="This certificate is genuine").is_visible()
    assert page.get_by_text(personas.authority.name).is_visible()
    assert_accessible(page, label="verified")


def test_the_staff_pages_work_without_javascript(live_server, page_without_js, personas, assert_accessible):
    website_request()
    page = page_without_js
    sign_in(page, live_server, "cora", reverse("cases:case_list"))
    assert_accessible(page, label="case list without JavaScript")
    page.goto(f"{live_server.url}{reverse('cases:my_work')}")
    assert_accessible(page, label="my work without JavaScript")


def test_on_a_phone_the_case_list_filter_opens_from_a_button_and_closes_again(
    live_server, phone_page, personas, assert_accessible
):
    website_request()
    open_case(personas, child_first_name="Maximiliana", child_last_name="Featherstonehaugh-Worthington")
    page = phone_page
    sign_in(page, live_server, "cora", reverse("cases:case_list"))
    results = page.get_by_role("heading", level=2, name=re.compile(r"\d+ cases?"))
    filters = page.get_by_role("button", name="Apply filters")
    # The list comes first; the filter waits behind a button instead of covering the screen.
    assert results.is_visible() and not filters.is_visible()
    assert_accessible(page, label="case list at 320 px")
    # The button has its own line, and each case is a card the width of the screen: no reference is
    # cut off and nothing scrolls sideways.
    button = page.get_by_role("button", name="Show filter").bounding_box()
    first_case = page.locator(".app-stacked-table tbody tr").first.bounding_box()
    assert button is not None and first_case is not None
    assert first_case["y"] >= button["y"] + button["height"] and first_case["width"] >= 280
    reference = page.locator(".app-stacked-table tbody tr a").first
    assert page.evaluate("e => e.scrollWidth <= e.clientWidth", reference.element_handle())
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # Each label sits beside its value, so a short value takes one line, not two.
    authority = page.locator('.app-stacked-table tbody tr td[data-label="Authority"]').first
    line = page.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)", authority.element_handle())
    box = authority.bounding_box()
    assert box is not None and box["height"] < 1.5 * line + 10, (box, line)
    page.get_by_role("button", name="Show filter").click()
    assert filters.is_visible()
    assert_accessible(page, label="case list filter open at 320 px")
    page.get_by_label("Status").select_option(label="Received")
    filters.click()
    page.wait_for_url(re.compile(r".*status=received.*"))
    # The list says which filters it shows, and each can be removed on its own.
    assert page.get_by_text("Showing only cases where:").is_visible()
    assert page.get_by_role("listitem").filter(has_text="Status: Received").is_visible()
    assert page.get_by_role("link", name="Clear all filters").is_visible()
    page.get_by_role("button", name="Show filter").click()
    page.get_by_role("button", name="Close").click()
    assert not filters.is_visible() and results.is_visible()
