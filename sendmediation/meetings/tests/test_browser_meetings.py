"""Arranging a meeting through the pages, in a real browser, checked with axe."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sendmediation.cases.tests.test_browser import sign_in
from sendmediation.meetings.tests.conftest import dr_case, soon

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_arranges_a_meeting_at_the_nearest_venue(
    live_server, page, personas, venues, assert_accessible
):
    case = dr_case(personas)
    case_url = reverse("cases:case_detail", args=[case.reference])
    when = timezone.localtime(soon(14))

    sign_in(page, live_server, "cora", case_url)
    page.get_by_role("link", name="Arrange the meeting").first.click()
    assert_accessible(page, label="arrange a meeting")
    # The nearest venue is offered first, with its distance and step-free access.
    first_venue = page.locator("input[name=venue] + label").first
    assert "Near Hall" in first_venue.inner_text() and "step-free access" in first_venue.inner_text()

    page.get_by_label("Day", exact=True).fill(str(when.day))
    page.get_by_label("Month", exact=True).fill(str(when.month))
    page.get_by_label("Year", exact=True).fill(str(when.year))
    page.get_by_label("Start time").fill("10am")
    page.get_by_label("In person").check()
    page.get_by_label("Mediator").select_option(label="Mina Patel")
    page.get_by_role("button", name="Arrange the meeting").click()
    # No venue chosen: the error is in the summary and beside the field.
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_text("Choose the venue for a meeting in person").is_visible()
    assert_accessible(page, label="arrange a meeting, with an error")

    page.locator("input[name=venue]").first.check()
    page.get_by_role("button", name="Arrange the meeting").click()
    page.wait_for_url(re.compile(rf".*{case_url}$"))
    assert page.get_by_role("alert").get_by_text("Meeting arranged").is_visible()
    assert page.get_by_text("Confirmed").first.is_visible()
    assert page.get_by_text("Step-free entrance on Tothill Street").is_visible()
    assert_accessible(page, label="a case with a meeting arranged")
