"""The staff page for emails that could not be sent, its retry button, and the previews."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.registry import MESSAGE_TYPES
from sendmediation.notifications.services import retry_failed_email, send_due_messages
from sendmediation.notifications.tests.conftest import SmtpServer
from sendmediation.notifications.tests.factories import queue_request_received

pytestmark = [pytest.mark.django_db]


def signed_in(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def failed_message(key: str = "00042") -> OutboxMessage:
    message = queue_request_received(key, to="bounce@example.org")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.FAILED,
        attempts=8,
        last_error="Could not reach the mail server (OSError). Gave up after 8 attempts.",
    )
    message.refresh_from_db()
    return message


@pytest.mark.parametrize("role", ["adviser", "mediator", "la_officer"])
def test_only_coordinators_and_managers_may_see_the_pages(personas: Any, role: str) -> None:
    message = failed_message()
    client = signed_in(getattr(personas, role))

    for url in (
        reverse("notifications:outbox"),
        reverse("notifications:previews"),
        reverse("notifications:preview", args=["request_received"]),
        reverse("notifications:preview_html", args=["request_received"]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("notifications:retry", args=[message.pk])).status_code == 403
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED


@pytest.mark.parametrize("role", ["adviser", "mediator", "la_officer"])
def test_the_retry_service_refuses_other_staff(personas: Any, role: str) -> None:
    message = failed_message()

    with pytest.raises(PermissionDenied):
        retry_failed_email(message_pk=message.pk, actor=getattr(personas, role))

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED


def test_signed_out_people_are_sent_to_sign_in() -> None:
    response = Client().get(reverse("notifications:outbox"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_page_lists_failed_messages_with_their_error_and_counts_the_queue(personas: Any) -> None:
    failed_message("00001")
    queue_request_received("00002")
    queue_request_received("00003")

    response = signed_in(personas.coordinator).get(reverse("notifications:outbox"))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<span class="govuk-heading-xl govuk-!-margin-bottom-1" id="queued-count">2</span>' in page
    assert '<span class="govuk-heading-xl govuk-!-margin-bottom-1" id="failed-count">1</span>' in page
    assert "MED-2026-000001" in page
    assert "Could not reach the mail server (OSError). Gave up after 8 attempts." in page
    assert "bounce@example.org" not in page
    assert "Try again" in page


def test_retry_needs_the_csrf_token(personas: Any) -> None:
    message = failed_message()
    client = signed_in(personas.manager, enforce_csrf_checks=True)

    response = client.post(reverse("notifications:retry", args=[message.pk]))

    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED


def test_retry_is_post_only(personas: Any) -> None:
    message = failed_message()

    response = signed_in(personas.manager).get(reverse("notifications:retry", args=[message.pk]))

    assert response.status_code == 405


def test_a_failed_message_retried_from_the_page_is_sent(
    personas: Any, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    message = queue_request_received("00042")
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.FAILED, attempts=8)
    client = signed_in(personas.coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:retry", args=[message.pk]), follow=True)

    assert response.redirect_chain == [(reverse("notifications:outbox"), 302)]
    assert "The email for MED-2026-000042 will be sent again shortly." in response.content.decode()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert [received["Message-ID"].strip() for received in smtp_server.messages] == [message.message_id]


def test_retrying_a_message_that_is_not_failed_changes_nothing(personas: Any) -> None:
    message = queue_request_received("00042")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now()
    )

    response = signed_in(personas.coordinator).post(
        reverse("notifications:retry", args=[message.pk]), follow=True
    )

    assert "That email is no longer failed, so it was not retried." in response.content.decode()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_retrying_an_unknown_message_is_not_found(personas: Any) -> None:
    response = signed_in(personas.coordinator).post(reverse("notifications:retry", args=[999]))

    assert response.status_code == 404


def test_the_previews_list_every_email(personas: Any) -> None:
    response = signed_in(personas.manager).get(reverse("notifications:previews"))

    page = response.content.decode()
    for name, kind in MESSAGE_TYPES.items():
        assert reverse("notifications:preview", args=[name]) in page
        assert kind.title in page


@pytest.mark.parametrize("name", sorted(MESSAGE_TYPES))
def test_each_preview_shows_subject_text_and_a_sandboxed_html_frame(personas: Any, name: str) -> None:
    client = signed_in(personas.coordinator)

    page = client.get(reverse("notifications:preview", args=[name]))
    html = client.get(reverse("notifications:preview_html", args=[name]))

    assert page.status_code == 200
    assert 'sandbox=""' in page.content.decode()
    assert html.status_code == 200
    assert html.content.decode().startswith("<!DOCTYPE html>")
    assert "sandbox" in html["Content-Security-Policy"]
    assert "script-src" not in html["Content-Security-Policy"]
    assert html["X-Frame-Options"] == "SAMEORIGIN"


def test_an_unknown_preview_is_not_found(personas: Any) -> None:
    response = signed_in(personas.coordinator).get(reverse("notifications:preview", args=["no_such_email"]))

    assert response.status_code == 404


def test_the_page_sends_nothing_itself(personas: Any, smtp_server: SmtpServer) -> None:
    queue_request_received("00042")

    signed_in(personas.coordinator).get(reverse("notifications:outbox"))

    assert smtp_server.messages == []
    assert send_due_messages().sent == 1


def test_an_email_with_another_wording_can_be_previewed_in_it(personas: Any) -> None:
    client = signed_in(personas.coordinator)
    usual = client.get(reverse("notifications:preview", args=["advice_call_booked"]))
    assert usual.status_code == 200
    assert "has moved" not in usual.context["rendered"].subject
    moved_url = reverse("notifications:preview", args=["advice_call_booked"]) + "?variant=moved"
    assert f'href="{moved_url}"' in usual.content.decode()

    moved = client.get(moved_url)
    assert moved.context["rendered"].subject.startswith("Your call with a mediation adviser has moved")
    page = moved.content.decode()
    assert "<title>Your call with a mediation adviser (when the call has moved): preview" in page
    assert f'href="{moved_url}" aria-current="page">When the call has moved</a>' in page
    html_url = reverse("notifications:preview_html", args=["advice_call_booked"]) + "?variant=moved"
    assert f'src="{html_url}"' in moved.content.decode()
    assert "It was going to be on" in client.get(html_url).content.decode()
    assert client.get(moved_url.replace("moved", "lost")).status_code == 404


def test_the_page_lists_the_emails_being_tried_again_without_their_addresses(personas: Any) -> None:
    retrying = queue_request_received("00051", to="second.try@example.org")
    OutboxMessage.objects.filter(pk=retrying.pk).update(
        attempts=2, last_error="The mail server did not answer (TimeoutError)."
    )
    queue_request_received("00052", to="first.try@example.org")  # not tried yet: nothing wrong
    failed_message("00053")

    response = signed_in(personas.manager).get(reverse("notifications:outbox"))

    assert [message.pk for message in response.context["retrying"]] == [retrying.pk]
    assert response.context["retrying_count"] == 1
    assert [message.case_reference for message in response.context["failed"]] == ["MED-2026-000053"]
    html = response.content.decode()
    assert 'id="retrying">Emails being tried again' in html
    assert "The mail server did not answer (TimeoutError)." in html and "MED-2026-000051" in html
    for address in ("second.try@example.org", "first.try@example.org", "bounce@example.org"):
        assert address not in html
    # The queue's reading of "being tried again": queued after at least one attempt.
    assert list(OutboxMessage.objects.retrying()) == [OutboxMessage.objects.get(pk=retrying.pk)]
