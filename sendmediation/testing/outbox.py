"""Reading a link from an email as it was delivered: once delivered, the outbox keeps none."""

from __future__ import annotations

import re

from django.core import mail

from sendmediation.notifications.models import OutboxMessage

_URL = re.compile(r"https?://[^\s<>\"']+")


# Where each kind of private link leads.
PATHS = {"case_link": "/your-case/", "sign_link": "/sign/", "survey_link": "/survey/", "link": "/dr-consent/"}


def link_in(message: OutboxMessage, key: str) -> str:
    """The private link ``key`` of ``message``: from the row while it waits to go, from the delivered
    copy once it has gone."""
    message.refresh_from_db()
    if message.status != OutboxMessage.Status.SENT:
        return str(message.context[key])
    return delivered_link(message, PATHS[key])


def delivered_link(message: OutboxMessage, containing: str) -> str:
    """The address in the delivered copy of ``message`` (Django's test mailbox) whose text holds
    ``containing``, such as "/your-case/"."""
    sent = [email for email in mail.outbox if email.extra_headers.get("Message-ID") == message.message_id]
    assert sent, f"email {message.pk} was not delivered"
    found = [url for url in _URL.findall(str(sent[-1].body)) if containing in url]
    assert found, f"no link holding {containing!r} in email {message.pk}"
    return found[0]
