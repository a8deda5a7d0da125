"""A coordinator finds an email that could not be sent, tries again, and previews the emails."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.tests.factories import queue_request_received
from sendmediation.testing.personas import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def sign_in(tab: Any, live_server: Any, username: str, next_url: str) -> None:
    tab.goto(f"{live_server.url}{reverse('accounts:sign_in')}?next={next_url}")
    tab.fill("#id_username", username)
    tab.fill("#id_password", PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_load_state()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript on", "javascript off"])
def test_a_coordinator_retries_a_failed_email(
    live_server: Any, page: Any, page_without_js: Any, assert_accessible: Any, personas: Any,
    dummy_tasks: None, javascript: bool,
) -> None:  # fmt: skip
    tab = page if javascript else page_without_js
    label = "JavaScript on" if javascript else "JavaScript off"
    message = queue_request_received("00042")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.FAILED,
        attempts=8,
        last_error="Could not connect to the mail server. Gave up after 8 attempts.",
    )
    queue_request_received("00043")

    sign_in(tab, live_server, "cora", reverse("notifications:outbox"))

    assert tab.get_by_role("heading", level=1, name="Emails").is_visible()
    assert tab.locator("#queued-count").inner_text() == "1"
    assert tab.get_by_text("Gave up after 8 attempts.").is_visible()
    assert_accessible(tab, label=f"emails with one failed, {label}")

    tab.get_by_role("button", name="Try again to send we have your request for MED-2026-000042").click()
    tab.wait_for_load_state()

    assert tab.get_by_text("The email for MED-2026-000042 will be sent again shortly.").is_visible()
    assert tab.get_by_text("There are no emails that could not be sent.").is_visible()
    assert tab.locator("#queued-count").inner_text() == "2"
    assert_accessible(tab, label=f"emails after a retry, {label}")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.attempts == 0


def test_a_manager_previews_the_certificate_email(
    live_server: Any, page: Any, assert_accessible: Any, personas: Any
) -> None:
    sign_in(page, live_server, personas.manager.username, reverse("notifications:previews"))
    assert_accessible(page, label="list of email previews")

    page.get_by_role("link", name="Your mediation certificate").click()
    page.wait_for_load_state()

    assert (
        page.locator("#preview-subject").inner_text()
        == "Your mediation certificate (reference MED-2026-000042)"
    )
    assert "Monday 4 January 2027" in page.locator("#preview-text").inner_text()
    frame = page.frame_locator("iframe.app-email-preview")
    assert frame.get_by_role("heading", name="Your mediation certificate").is_visible()
    assert_accessible(page, label="certificate email preview")

    page.goto(f"{live_server.url}{reverse('notifications:preview', args=['advice_call_booked'])}")
    page.get_by_role("link", name="When the call has moved").click()
    page.wait_for_load_state()
    assert "has moved" in page.locator("#preview-subject").inner_text()
    frame = page.frame_locator("iframe.app-email-preview")
    assert frame.get_by_role("heading", name="Your call with a mediation adviser has moved").is_visible()
    assert_accessible(page, label="moved call email preview")
