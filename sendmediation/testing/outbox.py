"""Reading a link from an email as it was delivered: once delivered, the outbox keeps none."""

from __future__ import annotations

import re
from collections.abc import Sequence
from email.message import Message

from django.core import mail

from sendmediation.notifications.models import OutboxMessage

_URL = re.compile(r"https?://[^\s<>\"']+")


# Where each kind of private link leads.
PATHS = {"case_link": "/your-case/", "sign_link": "/sign/", "survey_link": "/survey/", "link": "/dr-consent/"}


def link_in(message: OutboxMessage, key: str, *, received: Sequence[Message] | None = None) -> str:
    """The private link ``key`` of ``message``: from the row while it waits to go, from the delivered
    copy once it has gone (Django's test mailbox, or ``received``: what an SMTP server was sent)."""
    message.refresh_from_db()
    if message.status != OutboxMessage.Status.SENT:
        return str(message.context[key])
    if received is not None:
        copies = [mail for mail in received if str(mail["Message-ID"]).strip() == message.message_id]
        assert copies, f"email {message.pk} was not received"
        part = copies[-1].get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
        found = [url for url in _URL.findall(part.get_content()) if PATHS[key] in url]
        assert found, f"no {key} in email {message.pk}"
        return found[0]
    return delivered_link(message, PATHS[key])


def delivered_link(message: OutboxMessage, containing: str) -> str:
    """The address in the delivered copy of ``message`` (Django's test mailbox) whose text holds
    ``containing``, such as "/your-case/"."""
    sent = [email for email in mail.outbox if email.extra_headers.get("Message-ID") == message.message_id]
    assert sent, f"email {message.pk} was not delivered"
    found = [url for url in _URL.findall(str(sent[-1].body)) if containing in url]
    assert found, f"no link holding {containing!r} in email {message.pk}"
    return found[0]
