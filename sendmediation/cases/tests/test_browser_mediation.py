"""From "local authority told" to a replaced certificate, in a real browser, checked with axe.

The coordinator records, with its evidence, that the authority was told and that the mediation was
held; the mediator issues the certificate after mediation, revokes it as issued in error and issues a
corrected one; a tribunal clerk checking the first one is told it was revoked and by what.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sendmediation.cases import services
from sendmediation.cases.models import Case, Certificate
from sendmediation.cases.tests.builders import case_in
from sendmediation.cases.tests.test_browser import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_date(page, when: datetime.date) -> None:
    page.get_by_label("Day").fill(str(when.day))
    page.get_by_label("Month").fill(str(when.month))
    page.get_by_label("Year").fill(str(when.year))


def test_a_mediation_is_recorded_held_and_its_certificate_corrected(
    live_server, page, personas, assert_accessible
):
    case = case_in(personas, Case.Status.MEDIATION_REQUESTED)
    services.assign(
        actor=personas.coordinator,
        case=case,
        coordinator=personas.coordinator,
        adviser=personas.adviser,
        mediator=personas.mediator,
    )
    case_url = reverse("cases:case_detail", args=[case.reference])
    today = timezone.localdate()

    # Telling the authority is the next step; a date still to come is refused, in words, on the date.
    sign_in(page, live_server, "cora", case_url)
    page.get_by_role("link", name="Record that the local authority was told").click()
    assert_accessible(page, label="tell the local authority")
    _fill_date(page, today + datetime.timedelta(days=1))
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Who at the local authority?").fill("Sam Lee, SEND casework officer")
    page.get_by_role("button", name="Record that the local authority was told").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_text(
        "The date the local authority was told must be today or in the past"
    ).is_visible()
    assert_accessible(page, label="tell the local authority, with an error")
    _fill_date(page, today)
    page.get_by_role("button", name="Record that the local authority was told").click()
    page.wait_for_url(re.compile(rf".*{case_url}$"))
    assert page.get_by_role("alert").get_by_text("Recorded that the local authority was told").is_visible()
    assert page.get_by_text("By email, Sam Lee, SEND casework officer.").is_visible()  # the evidence

    # Now the usual next step is arranging the meeting; "cannot be held in time" is there, but second,
    # and so is recording a mediation the authority arranged itself.
    arrange = page.get_by_role("link", name="Arrange the meeting")
    assert "govuk-button" in (arrange.get_attribute("class") or "")
    assert "govuk-button--secondary" not in (arrange.get_attribute("class") or "")
    held_link = page.get_by_role("link", name="Record a mediation the local authority arranged itself")
    not_arranged = page.get_by_role("link", name="Record that mediation cannot be held within 30 days")
    assert not_arranged.is_visible()
    assert_accessible(page, label="a case whose authority was told")
    not_arranged.click()
    assert page.get_by_text("Only record this if the local authority has said").is_visible()
    assert page.get_by_role("button", name="Yes, record that mediation cannot be held in time").is_visible()
    assert_accessible(page, label="mediation cannot be held: the confirmation page")
    page.get_by_role("link", name="Cancel").click()

    held_link.click()
    assert_accessible(page, label="record the mediation held")
    _fill_date(page, today)
    page.get_by_label("In person or at a meeting").check()
    page.get_by_label("Who confirmed it?").fill("Mina Patel, the mediator")
    page.get_by_role("button", name="Record that the mediation was held").click()
    page.wait_for_url(re.compile(rf".*{case_url}$"))
    assert page.get_by_text("The certificate after mediation is due within 3 working days").is_visible()
    # Asked for on 6 October, held today: more than 30 days, so met late, by working days.
    row = page.get_by_role("row").filter(has_text="Hold the mediation")
    assert row.get_by_text(re.compile(r"^Met late: \d+ working days$")).is_visible()
    assert_accessible(page, label="a mediation held")
    sign_out(page)

    # The mediator issues the certificate after mediation, then finds it was issued in error.
    sign_in(page, live_server, "mina", case_url)
    page.get_by_role("link", name="Issue the mediation certificate").click()
    assert page.get_by_text("After mediation").first.is_visible()
    page.get_by_role("button", name="Issue the certificate").click()
    page.wait_for_url(re.compile(rf".*{case_url}$"))
    first = Certificate.objects.get(case=case)
    page.get_by_role("link", name="Revoke the certificate issued in error").click()
    assert_accessible(page, label="revoke a certificate")
    page.get_by_role("button", name="Revoke the certificate").click()
    assert (
        page.locator(".govuk-error-summary")
        .get_by_text("Enter why the certificate is being revoked")
        .is_visible()
    )
    page.get_by_label("Why is it being revoked?").fill("It named the wrong decision")
    page.get_by_role("button", name="Revoke the certificate").click()
    page.wait_for_url(re.compile(rf".*{case_url}$"))
    assert page.get_by_text("Revoked", exact=True).is_visible()
    page.get_by_role("link", name="Issue the mediation certificate").click()
    page.get_by_role("button", name="Issue the certificate").click()
    page.wait_for_url(re.compile(rf".*{case_url}$"))
    second = Certificate.objects.exclude(pk=first.pk).get(case=case)
    first.refresh_from_db()
    assert first.replaced_by == second
    assert page.get_by_text(f"Replaced by {second.number}").is_visible()
    assert_accessible(page, label="a certificate revoked and replaced")
    sign_out(page)

    # A tribunal clerk checks the first certificate: revoked, and replaced by the second.
    page.goto(f"{live_server.url}{reverse('cases_public:verify')}")
    page.get_by_label("Certificate number").fill(first.number)
    page.get_by_label("Verification code").fill(first.verification_code)
    page.get_by_role("button", name="Check the certificate").click()
    assert page.get_by_role("heading", name=re.compile("This certificate was revoked on")).is_visible()
    assert page.get_by_text(f"It was replaced by certificate {second.number}").is_visible()
    assert not page.get_by_text("This certificate is genuine").count()
    assert_accessible(page, label="a revoked certificate checked")
