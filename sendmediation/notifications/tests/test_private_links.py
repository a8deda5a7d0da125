"""Links that open a page without signing in are kept only until the email is delivered.

Delivered through a real SMTP server on loopback, the recipient has the working link; the outbox
row keeps a placeholder in its place, and nothing in any of its columns opens the page."""

from __future__ import annotations

import importlib
import io
import zipfile
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sendmediation.cases import services as cases
from sendmediation.cases.models import Case
from sendmediation.cases.tests.builders import case_in
from sendmediation.dataprotection.subject_access import write_subject_access_export
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.registry import LINK_REMOVED, MESSAGE_TYPES
from sendmediation.notifications.services import cancel_email, queue_email, send_due_messages
from sendmediation.notifications.tests.conftest import SmtpServer

pytestmark = pytest.mark.django_db

WITH_LINKS = sorted(name for name, kind in MESSAGE_TYPES.items() if kind.private_links)


def _row_text(message: OutboxMessage) -> str:
    """Every column of the stored row, as the database holds it."""
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [message.pk])  # noqa: S608 - a model's own table
        row = cursor.fetchone()
    assert row is not None
    return " ".join(str(value) for value in row)


def _bodies(received: Any) -> str:
    text = received.get_body(preferencelist=("plain",))
    html = received.get_body(preferencelist=("html",))
    return text.get_content() + html.get_content()


def test_every_link_in_every_email_that_opens_a_page_is_declared_private() -> None:
    # An email's own link (the family's page, a signing, consent or survey page) is named "...link";
    # a video call's address is the meeting host's, not ours.
    for kind in MESSAGE_TYPES.values():
        links = {key for key in kind.sample if key.endswith("link") and key != "online_link"}
        assert links == set(kind.private_links), kind.name
        assert set(kind.private_links) <= set(kind.required) | set(kind.optional), kind.name


@pytest.mark.parametrize("template", WITH_LINKS)
def test_a_delivered_email_keeps_no_private_link(smtp_server: SmtpServer, template: str) -> None:
    kind = MESSAGE_TYPES[template]
    context = dict(kind.sample)
    secrets = {}
    for key in kind.private_links:
        secrets[key] = f"secret-token-{key.replace('_', '-')}-7Qx9"
        context[key] = f"https://mediation.example/private/{secrets[key]}/"
    message = queue_email(
        to="parent@example.org", template=template, context=context, dedupe_key=f"{template}:1", case="MED-1"
    )
    assert all(secret in _row_text(message) for secret in secrets.values())  # needed until it goes

    assert send_due_messages().sent == 1

    [received] = smtp_server.messages
    delivered = _bodies(received)
    message.refresh_from_db()
    kept = _row_text(message)
    for key, secret in secrets.items():
        assert secret in delivered, key
        assert secret not in kept, key
        assert message.context[key] == LINK_REMOVED
    # Everything else in the message is as it was.
    assert {k: v for k, v in message.context.items() if k not in secrets} == {
        k: v for k, v in context.items() if k not in secrets
    }


def _reissued(personas: Any) -> tuple[Case, OutboxMessage, str]:
    case = case_in(personas, Case.Status.ADVICE_GIVEN)
    cases.reissue_family_link(actor=personas.coordinator, case=case, reason="The parent asked by phone")
    case.refresh_from_db()
    message = OutboxMessage.objects.get(template="family_link_reissued")
    # The token as emailed (a token is signed with the moment it was made).
    token = message.context["case_link"].rstrip("/").rsplit("/", 1)[-1]
    assert Client().get(reverse("cases_public:family_case", args=[token])).status_code == 200
    return case, message, token


def test_after_delivery_the_family_has_a_working_link_and_the_database_none(
    smtp_server: SmtpServer, personas: Any
) -> None:
    case, message, token = _reissued(personas)

    assert send_due_messages().sent >= 1

    [received] = [mail for mail in smtp_server.messages if mail["Message-ID"].strip() == message.message_id]
    delivered = _bodies(received)
    assert token in delivered
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    # No column of any delivered row holds the token (the case's other emails went in the same run).
    for row in OutboxMessage.objects.filter(case_reference=case.reference):
        assert row.status == OutboxMessage.Status.SENT
        assert token not in _row_text(row) and "/your-case/" not in _row_text(row), row.template
    # The link from the email opens the family's page.
    link = next(word for word in delivered.split() if "/your-case/" in word)
    assert Client().get(urlsplit(link).path).status_code == 200

    # Staff looking at the email see the placeholder.
    staff = Client()
    staff.force_login(personas.coordinator)
    page = staff.get(reverse("cases:case_email", args=[case.reference, message.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "[link removed after sending]" in html and token not in html

    # The family's copy of everything held about them does not bring the link back.
    out = io.BytesIO()
    write_subject_access_export(actor=personas.manager, case=case, out=out)
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            assert token.encode() not in archive.read(name), name


def test_a_failed_attempt_keeps_the_link_and_the_retry_sends_one_that_works(
    smtp_server: SmtpServer, personas: Any
) -> None:
    smtp_server.stop()
    _case, message, token = _reissued(personas)

    report = send_due_messages()

    assert report.sent == 0 and report.waiting >= 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED and message.attempts == 1
    assert token in message.context["case_link"]  # still needed to send it

    smtp_server.start()
    assert send_due_messages(now=timezone.now() + timedelta(minutes=2)).sent >= 1

    [received] = [mail for mail in smtp_server.messages if mail["Message-ID"].strip() == message.message_id]
    link = next(word for word in _bodies(received).split() if "/your-case/" in word)
    assert token in link
    assert Client().get(urlsplit(link).path).status_code == 200
    message.refresh_from_db()
    assert message.attempts == 2 and token not in _row_text(message)


def test_a_cancelled_email_keeps_no_link() -> None:
    kind = MESSAGE_TYPES["agreement_signature_request"]
    context = {**kind.sample, "sign_link": "https://mediation.example/sign/secret-token-cancel-4Rw2/"}
    message = queue_email(to="la@example.org", template=kind.name, context=context, dedupe_key="sign:9")

    assert cancel_email(dedupe_key="sign:9")

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.CANCELLED
    assert "secret-token-cancel-4Rw2" not in _row_text(message)
    assert message.context["sign_link"] == LINK_REMOVED


def test_the_migration_removes_links_from_emails_already_delivered() -> None:
    migration = importlib.import_module(
        "sendmediation.notifications.migrations.0003_remove_links_from_sent_messages"
    )
    for template in WITH_LINKS:
        assert set(migration.PRIVATE_LINKS[template]) == set(MESSAGE_TYPES[template].private_links)
    survey = {**MESSAGE_TYPES["follow_up_survey"].sample, "survey_link": "https://x.example/survey/old-1/"}
    sent = queue_email(to="p@example.org", template="follow_up_survey", context=survey, dedupe_key="s:1")
    waiting = queue_email(to="p@example.org", template="follow_up_survey", context=survey, dedupe_key="s:2")
    OutboxMessage.objects.filter(pk=sent.pk).update(status="sent", sent_at=timezone.now())

    migration.remove_links(django_apps, None)

    sent.refresh_from_db()
    waiting.refresh_from_db()
    assert sent.context["survey_link"] == LINK_REMOVED
    assert sent.context["link_days"] == survey["link_days"]
    assert waiting.context["survey_link"] == survey["survey_link"]  # not gone yet: still needed
