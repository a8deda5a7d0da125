"""Sending through a real SMTP server on loopback: attachments, outages, crashes and refusals."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail.backends.smtp import EmailBackend
from django.test import override_settings
from django.utils import timezone

from sendmediation.notifications import services
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.services import AttachmentRef, queue_email, send_due_messages
from sendmediation.notifications.tests.conftest import SmtpServer
from sendmediation.notifications.tests.factories import certificate_context, queue_request_received

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% fictional certificate\n%%EOF\n"


@pytest.fixture
def media(tmp_path: Path) -> Any:
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        yield tmp_path


def test_a_certificate_email_arrives_with_its_pdf_and_both_bodies(
    smtp_server: SmtpServer, media: Any
) -> None:
    path = default_storage.save("certificates/MC-2026-000107.pdf", ContentFile(PDF))
    message = queue_email(
        to="parent@example.org",
        template="certificate_issued",
        context=certificate_context(),
        dedupe_key="certificate-issued:107:family",
        attachments=[AttachmentRef.stored(path, filename="certificate.pdf", content_type="application/pdf")],
        case="MED-2026-000042",
    )

    report = send_due_messages()

    assert (report.sent, report.waiting, report.failed) == (1, 0, 0)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert message.case_reference == "MED-2026-000042"
    [received] = smtp_server.messages
    assert received["To"] == "parent@example.org"
    assert received["Subject"] == "Your mediation certificate (reference MED-2026-000042)"
    assert received["Message-ID"].strip() == message.message_id
    assert received["Reply-To"] == "help@kestrel-mediation.example"
    text = received.get_body(preferencelist=("plain",))
    html = received.get_body(preferencelist=("html",))
    assert text is not None and "you must do so by Monday 4 January 2027" in text.get_content()
    assert html is not None and "<strong>MC-2026-000107</strong>" in html.get_content()
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "certificate.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF


def test_a_meeting_invitation_carries_its_calendar_file(smtp_server: SmtpServer) -> None:
    starts = timezone.make_aware(datetime(2026, 11, 12, 10, 0))
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
        "UID:meeting-9@kestrel-mediation.example\r\nSEQUENCE:0\r\n"
        "DTSTART;TZID=Europe/London:20261112T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    queue_email(
        to="parent@example.org",
        template="meeting_invitation",
        context={
            "reference": "MED-2026-000042",
            "name": "Alex Example",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2, minutes=30),
            "place": "Anytown Community Centre",
        },
        dedupe_key="meeting-invitation:9:0:parent",
        attachments=[
            AttachmentRef.inline(ics, filename="invite.ics", content_type="text/calendar; method=REQUEST")
        ],
    )

    assert send_due_messages().sent == 1

    [received] = smtp_server.messages
    [attachment] = list(received.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content().replace("\r\n", "\n") == ics.replace("\r\n", "\n")


def test_messages_wait_while_the_server_is_down_and_each_goes_once_when_it_is_back(
    smtp_server: SmtpServer,
) -> None:
    smtp_server.stop()
    queued = [queue_request_received(f"{n:05d}") for n in range(3)]
    before = timezone.now()

    report = send_due_messages()

    assert (report.sent, report.waiting, report.failed) == (0, 3, 0)
    for message in queued:
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.QUEUED
        assert message.attempts == 1
        assert message.next_attempt_at >= before + timedelta(seconds=60)
        assert message.last_error == "Could not connect to the mail server: it refused the connection."
    # Nothing is due again until the back-off has passed.
    assert send_due_messages().waiting == 0
    assert OutboxMessage.objects.filter(attempts=1).count() == 3

    second_try = timezone.now() + timedelta(seconds=61)
    assert send_due_messages(now=second_try).waiting == 3
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {2}
    third_try = second_try + timedelta(seconds=121)
    smtp_server.start()

    report = send_due_messages(now=third_try)

    assert report.sent == 3
    assert sorted(smtp_server.sink.message_ids()) == sorted(message.message_id for message in queued)
    assert send_due_messages(now=third_try + timedelta(hours=2)).sent == 0
    assert len(smtp_server.messages) == 3
    assert set(OutboxMessage.objects.values_list("status", "attempts", "last_error")) == {("sent", 3, "")}


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: nothing in the send loop catches it."""


def killing_backend(after: int) -> type[EmailBackend]:
    class KilledAfterSending(EmailBackend):
        sent = 0

        def send_messages(self, email_messages: Any) -> int:
            count = super().send_messages(email_messages)
            KilledAfterSending.sent += count
            if KilledAfterSending.sent >= after:
                raise WorkerKilled  # after the server accepted, before the row records it
            return count

    return KilledAfterSending


def test_a_worker_killed_mid_batch_loses_nothing_and_a_repeat_keeps_its_message_id(
    smtp_server: SmtpServer,
) -> None:
    queued = [queue_request_received(f"{n:05d}") for n in range(6)]
    backend = killing_backend(after=3)

    with (
        override_settings(EMAIL_BACKEND=f"{__name__}.backend_in_use"),
        pytest.raises(WorkerKilled),
    ):
        globals()["backend_in_use"] = backend
        send_due_messages(batch_size=6)

    statuses = dict(OutboxMessage.objects.values_list("dedupe_key", "status"))
    assert list(statuses.values()).count("sent") == 2
    assert list(statuses.values()).count("sending") == 4  # the third went but was not recorded
    assert len(smtp_server.messages) == 3
    # Another worker may not take the claimed rows until their claim runs out ...
    assert send_due_messages().sent == 0
    # ... and then it sends the rest, including the unrecorded third, again.
    later = timezone.now() + services.claim_duration() + timedelta(seconds=1)

    assert send_due_messages(now=later).sent == 4

    ids = smtp_server.sink.message_ids()
    assert len(ids) == 7
    assert sorted(set(ids)) == sorted(message.message_id for message in queued)
    [repeated] = [message_id for message_id in set(ids) if ids.count(message_id) == 2]
    assert repeated == queued[2].message_id
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


backend_in_use: type[EmailBackend] = EmailBackend


def test_an_address_the_server_refuses_fails_at_once_with_a_clear_error(smtp_server: SmtpServer) -> None:
    bad = queue_request_received("00001", to="bounce.family@example.org")
    good = queue_request_received("00002")

    report = send_due_messages()

    assert (report.sent, report.waiting, report.failed) == (1, 0, 1)
    bad.refresh_from_db()
    assert bad.status == OutboxMessage.Status.FAILED
    assert bad.attempts == 1
    assert bad.last_error == (
        "The mail server refused the recipient's address permanently "
        "(550 5.1.1 [address]: Recipient address rejected: User unknown)."
    )
    assert "bounce" not in bad.last_error
    good.refresh_from_db()
    assert good.status == OutboxMessage.Status.SENT
    assert [envelope[1] for envelope in smtp_server.sink.envelopes] == [["parent@example.org"]]


def test_a_message_that_keeps_failing_becomes_failed_after_the_last_attempt(
    smtp_server: SmtpServer, settings: Any
) -> None:
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    smtp_server.stop()
    message = queue_request_received("00001")
    moment = timezone.now()
    delays = []
    for _ in range(3):
        send_due_messages(now=moment)
        message.refresh_from_db()
        delays.append(message.next_attempt_at - moment)
        moment = message.next_attempt_at

    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 3
    assert message.last_error.endswith("Gave up after 3 attempts.")
    assert [round(delay.total_seconds()) for delay in delays[:2]] == [60, 120]
    assert send_due_messages(now=moment + timedelta(days=1)).waiting == 0


def test_backoff_doubles_and_is_capped() -> None:
    assert [services.retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 7, 8, 20)] == [
        60, 120, 240, 480, 3600, 3600, 3600,
    ]  # fmt: skip


def test_the_sender_waits_for_an_attachment_that_is_not_ready_yet(
    smtp_server: SmtpServer, media: Any
) -> None:
    message = queue_email(
        to="parent@example.org",
        template="certificate_issued",
        context=certificate_context(),
        dedupe_key="certificate-issued:108:family",
        attachments=[
            AttachmentRef.stored(
                "certificates/later.pdf", filename="certificate.pdf", content_type="application/pdf"
            )
        ],
    )

    assert send_due_messages().waiting == 1

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.last_error == "The attachment certificate.pdf is not ready yet"
    assert smtp_server.messages == []
    default_storage.save("certificates/later.pdf", ContentFile(PDF))

    assert send_due_messages(now=message.next_attempt_at).sent == 1
    [attachment] = list(smtp_server.messages[0].iter_attachments())
    assert attachment.get_content() == PDF


def rendered_certificate(key: str) -> bytes | None:
    return PDF if key == "ready" else None


def test_an_attachment_can_be_resolved_by_a_function_at_send_time(smtp_server: SmtpServer) -> None:
    for key in ("ready", "pending"):
        queue_email(
            to="parent@example.org",
            template="certificate_issued",
            context=certificate_context(),
            dedupe_key=f"certificate-issued:{key}",
            attachments=[
                AttachmentRef.resolved(
                    f"{__name__}.rendered_certificate", key, filename="c.pdf", content_type="application/pdf"
                )
            ],
        )

    report = send_due_messages()

    assert (report.sent, report.waiting) == (1, 1)
    [attachment] = list(smtp_server.messages[0].iter_attachments())
    assert attachment.get_content() == PDF


def test_a_cancelled_message_is_never_sent(smtp_server: SmtpServer) -> None:
    queue_request_received("00001")

    assert services.cancel_email(dedupe_key="request-received:00001") is True

    assert send_due_messages().sent == 0
    assert smtp_server.messages == []
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.CANCELLED
