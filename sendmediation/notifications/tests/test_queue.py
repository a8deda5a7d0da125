"""queue_email: one row in the caller's transaction, idempotent, sent only after commit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.registry import MESSAGE_TYPES, MissingContext, UnknownMessageType
from sendmediation.notifications.services import AttachmentRef, message_id_for, queue_email, render_message
from sendmediation.notifications.tests.factories import queue_request_received

pytestmark = pytest.mark.django_db


def test_queueing_writes_one_row_and_sends_nothing_before_commit() -> None:
    message = queue_request_received("00042")

    assert message.status == OutboxMessage.Status.QUEUED
    assert message.recipients == ["parent@example.org"]
    assert message.context == {
        "reference": "MED-2026-000042",
        "name": "Alex Example",
        "contact_by": "2026-10-06",
    }
    assert message.case_reference == "MED-2026-000042"
    assert message.attempts == 0
    assert message.message_id == message_id_for("request-received:00042")
    assert mail.outbox == []


def test_the_message_goes_after_the_callers_transaction_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queue_request_received("00042")

    assert len(callbacks) == 1
    [sent] = mail.outbox
    assert sent.subject == "We have your request (reference MED-2026-000042)"
    assert "We will email you by Tuesday 6 October 2026." in sent.body
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_the_same_dedupe_key_twice_gives_the_same_row_and_one_email(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue_request_received("00042")
        second = queue_request_received("00042", to="someone.else@example.org")

    assert second.pk == first.pk
    assert second.recipients == ["parent@example.org"]
    assert OutboxMessage.objects.count() == 1
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_leaves_no_message(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        queue_request_received("00042")
        raise RuntimeError("the change failed")

    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_several_recipients_and_a_case_object() -> None:
    class Case:
        reference = "MED-2026-000077"

    message = queue_email(
        to=["one@example.org", "two@example.org"],
        template="request_received",
        context={"reference": "MED-2026-000077", "name": "A", "contact_by": "2026-10-06"},
        dedupe_key="k",
        case=Case(),
    )

    assert message.recipients == ["one@example.org", "two@example.org"]
    assert message.case_reference == "MED-2026-000077"


@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [
        (
            {"template": "no_such_email"},
            UnknownMessageType,
            "There is no email template called 'no_such_email'",
        ),
        ({"context": {"reference": "R"}}, MissingContext, "needs name, contact_by"),
        ({"to": "not an address"}, ValueError, "not a valid email address"),
        ({"to": []}, ValueError, "at least one recipient"),
        ({"dedupe_key": ""}, ValueError, "A dedupe key is needed"),
        (
            {"context": {"reference": "R", "name": "A", "contact_by": object()}},
            TypeError,
            "not JSON serializable",
        ),
    ],
)
def test_mistakes_are_refused_in_the_callers_code(changes: dict[str, Any], error: type, words: str) -> None:
    arguments: dict[str, Any] = {
        "to": "parent@example.org",
        "template": "request_received",
        "context": {"reference": "R", "name": "A", "contact_by": date(2026, 10, 6)},
        "dedupe_key": "k",
        **changes,
    }

    with pytest.raises(error, match=words):
        queue_email(**arguments)

    assert OutboxMessage.objects.count() == 0


def test_attachments_are_stored_as_references() -> None:
    message = queue_request_received(
        "1",
        attachments=(
            AttachmentRef.stored("certificates/1.pdf", filename="c.pdf", content_type="application/pdf"),
            AttachmentRef.inline("BEGIN:VCALENDAR", filename="invite.ics", content_type="text/calendar"),
        ),
    )

    assert message.attachments == [
        {"filename": "c.pdf", "content_type": "application/pdf", "storage_path": "certificates/1.pdf"},
        {"filename": "invite.ics", "content_type": "text/calendar", "content": "BEGIN:VCALENDAR"},
    ]


def test_an_attachment_needs_exactly_one_source() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        AttachmentRef(filename="x.pdf", content_type="application/pdf")
    with pytest.raises(ValueError, match="exactly one"):
        AttachmentRef(filename="x.pdf", content_type="application/pdf", storage_path="a", content="b")


def test_message_ids_are_stable_and_distinct() -> None:
    assert message_id_for("a") == message_id_for("a")
    assert message_id_for("a") != message_id_for("b")
    assert message_id_for("a").startswith("<") and message_id_for("a").endswith("@kestrel-mediation.example>")


@pytest.mark.parametrize("name", sorted(MESSAGE_TYPES))
def test_every_email_has_a_subject_plain_text_and_html_with_the_brand_contacts(name: str) -> None:
    kind = MESSAGE_TYPES[name]

    rendered = render_message(name, kind.sample)

    assert rendered.subject and "\n" not in rendered.subject
    assert "{" not in rendered.subject
    for body in (rendered.text, rendered.html):
        assert "Kestrel SEND Mediation" in body
        if "reference" in kind.sample:
            assert kind.sample["reference"] in body
    if name != "deadline_digest":
        assert "0808 157 0192" in rendered.text
        assert "help@kestrel-mediation.example" in rendered.text
        assert (
            "What to do next" in rendered.text or "What happens next" in rendered.text or name.endswith("_la")
        )
    assert "&amp;" not in rendered.text and "&#x27;" not in rendered.text
    assert rendered.html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in rendered.html


def test_the_la_email_carries_no_family_details() -> None:
    kind = MESSAGE_TYPES["certificate_issued_la"]

    assert "name" not in kind.required
    rendered = render_message(kind.name, {**kind.sample, "name": "Alex Example"})

    assert "Alex" not in rendered.text and "Alex" not in rendered.html
