"""Front doors for email: queue a message in the caller's transaction, send what is due, retry.

Delivery is at least once. A message is claimed, sent, then recorded; a worker that dies between
the last two leaves the claim to run out, and the message goes again with the same Message-ID
(made from the dedupe key), so receivers and our records can tell it is a repeat.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import smtplib
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email
from django.db import OperationalError, connection, transaction
from django.db.models import F, Subquery
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

from config.brand import brand
from config.env import env_int, env_str
from sendmediation.accounts.permissions import can_manage_emails
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.registry import MESSAGE_TYPES, message_type, without_private_links

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status


def _setting(name: str, default: int) -> int:
    """A Django setting when present, otherwise the environment variable of the same name."""
    value = getattr(settings, name, None)
    return int(value) if value is not None else env_int(name, default)


def text_setting(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    return str(value) if value is not None else env_str(name, default)


def max_attempts() -> int:
    return _setting("NOTIFICATIONS_MAX_ATTEMPTS", 8)


def retry_delay(attempts: int) -> timedelta:
    """1 minute after the first failed attempt, then 2, 4, 8 … up to the cap (1 hour by default)."""
    base = _setting("NOTIFICATIONS_RETRY_BASE_SECONDS", 60)
    cap = _setting("NOTIFICATIONS_RETRY_CAP_SECONDS", 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def claim_duration() -> timedelta:
    """How long a worker may hold a message before another may take it over."""
    return timedelta(seconds=_setting("NOTIFICATIONS_CLAIM_SECONDS", 600))


# --- Attachments -------------------------------------------------------------------------------


class AttachmentNotReady(Exception):
    """The file is not there yet (a PDF still being rendered): try again later."""

    def __init__(self, filename: str) -> None:
        super().__init__(f"The attachment {filename} is not ready yet")
        self.filename = filename


@dataclass(frozen=True)
class AttachmentRef:
    """A file to attach, read when the message is sent, not when it is queued.

    Give exactly one of: ``storage_path`` (a name in default storage), ``resolver`` (the dotted
    path of a function taking ``key`` and returning the bytes, or None while not ready), or
    ``content`` (small generated text such as an .ics file, stored in the row).
    """

    filename: str
    content_type: str
    storage_path: str = ""
    resolver: str = ""
    key: str = ""
    content: str = ""

    def __post_init__(self) -> None:
        sources = [bool(self.storage_path), bool(self.resolver), bool(self.content)]
        if sum(sources) != 1:
            raise ValueError("An attachment needs exactly one of storage_path, resolver or content")

    @classmethod
    def stored(cls, storage_path: str, *, filename: str, content_type: str) -> AttachmentRef:
        return cls(filename=filename, content_type=content_type, storage_path=storage_path)

    @classmethod
    def resolved(cls, resolver: str, key: str, *, filename: str, content_type: str) -> AttachmentRef:
        return cls(filename=filename, content_type=content_type, resolver=resolver, key=key)

    @classmethod
    def inline(cls, content: str, *, filename: str, content_type: str) -> AttachmentRef:
        return cls(filename=filename, content_type=content_type, content=content)

    def as_json(self) -> dict[str, str]:
        return {name: value for name, value in asdict(self).items() if value}

    @classmethod
    def from_json(cls, data: Mapping[str, str]) -> AttachmentRef:
        return cls(**data)

    def read(self) -> bytes:
        """The file's bytes; raises AttachmentNotReady while the file does not exist yet."""
        if self.content:
            return self.content.encode("utf-8")
        if self.storage_path:
            if not default_storage.exists(self.storage_path):
                raise AttachmentNotReady(self.filename)
            with default_storage.open(self.storage_path, "rb") as handle:
                data: bytes = handle.read()
            return data
        found = import_string(self.resolver)(self.key)
        if found is None:
            raise AttachmentNotReady(self.filename)
        return bytes(found)


# --- Queueing ----------------------------------------------------------------------------------


def message_id_for(dedupe_key: str) -> str:
    """A stable Message-ID: the same dedupe key always gives the same ID, so repeats are recognisable."""
    domain = text_setting("NOTIFICATIONS_MESSAGE_ID_DOMAIN", "") or (
        parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    )
    digest = hashlib.sha256(dedupe_key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def _recipients(to: str | Sequence[str]) -> list[str]:
    addresses = [to] if isinstance(to, str) else list(to)
    if not addresses:
        raise ValueError("An email needs at least one recipient")
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ValueError("A recipient is not a valid email address") from None
    return addresses


def _case_reference(case: object | None) -> str:
    if case is None:
        return ""
    if isinstance(case, str):
        return case
    return str(getattr(case, "reference", "") or "")


def queue_email(
    *,
    to: str | list[str],
    template: str,
    context: dict[str, Any],
    dedupe_key: str,
    attachments: Sequence[AttachmentRef] = (),
    case: object | None = None,
) -> OutboxMessage:
    """Write one outbox row in the caller's transaction; the worker sends it after commit.

    Queueing the same dedupe key again returns the existing row and sends nothing more, so a
    change retried by the caller never emails twice. The dedupe key should name the event and
    the recipient, e.g. ``f"certificate-issued:{certificate.pk}:family"``.
    """
    kind = message_type(template)
    kind.check_context(context)
    recipients = _recipients(to)
    if not dedupe_key or len(dedupe_key) > 200:
        raise ValueError("A dedupe key is needed, at most 200 characters long")
    # Fail in the caller, not in the worker, when the context cannot be stored.
    stored_context = json.loads(json.dumps(context, cls=DjangoJSONEncoder))
    with transaction.atomic():
        message, created = OutboxMessage.objects.get_or_create(
            dedupe_key=dedupe_key,
            defaults={
                "template": kind.name,
                "recipients": recipients,
                "context": stored_context,
                "attachments": [attachment.as_json() for attachment in attachments],
                "message_id": message_id_for(dedupe_key),
                "case_reference": _case_reference(case)[:40],
                "next_attempt_at": timezone.now(),
            },
        )
    if created:
        logger.info("Queued email id=%s template=%s", message.pk, message.template)
        transaction.on_commit(_enqueue_sender, robust=True)
    return message


def _enqueue_sender() -> None:
    from sendmediation.notifications.tasks import send_due_messages_task

    # If this fails, the worker's periodic sweep still sends the message.
    send_due_messages_task.enqueue()


def cancel_email(*, dedupe_key: str) -> bool:
    """Stop a message that has not gone yet (for example an invitation to a meeting since cancelled)."""
    cancelled = 0
    with transaction.atomic():
        for message in OutboxMessage.objects.select_for_update().filter(
            dedupe_key=dedupe_key, status__in=[Status.QUEUED, Status.FAILED]
        ):
            # It will never go, so nothing needs its private links any more.
            cancelled += OutboxMessage.objects.filter(pk=message.pk).update(
                status=Status.CANCELLED,
                claimed_by="",
                claim_expires_at=None,
                context=without_private_links(message.template, message.context),
            )
    return bool(cancelled)


class NotRetryable(Exception):
    pass


def retry_failed_email(*, message_pk: int, actor: Any) -> OutboxMessage:
    """Give a failed message a fresh set of attempts, starting now (coordinators and managers only)."""
    if not can_manage_emails(actor):
        raise PermissionDenied("Only coordinators and managers may retry emails")
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_pk)
        if message.status != Status.FAILED:
            raise NotRetryable("Only a failed message can be retried")
        message.status = Status.QUEUED
        message.attempts = 0
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
        transaction.on_commit(_enqueue_sender, robust=True)
    logger.info("Email id=%s put back in the queue by user id=%s", message.pk, getattr(actor, "pk", None))
    return message


# --- Rendering ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


def render_message(template: str, context: Mapping[str, Any]) -> RenderedMessage:
    kind = message_type(template)
    full_context = {**context, "brand": brand(), "site_url": settings.SITE_URL}
    return RenderedMessage(
        subject=render_subject(template, context),
        text=render_to_string(kind.text_template, full_context).strip() + "\n",
        html=render_to_string(kind.html_template, full_context),
    )


def build_email(message: OutboxMessage, connection: Any = None) -> EmailMultiAlternatives:
    rendered = render_message(message.template, message.context)
    email = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(message.recipients),
        reply_to=[brand()["email"]],
        headers={"Message-ID": message.message_id, "Auto-Submitted": "auto-generated"},
        connection=connection,
    )
    email.attach_alternative(rendered.html, "text/html")
    for data in message.attachments:
        attachment = AttachmentRef.from_json(data)
        email.attach(attachment.filename, attachment.read(), attachment.content_type)
    return email


# --- Sending -----------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    waiting: int = 0
    failed: int = 0
    details: list[str] = field(default_factory=list)

    def __add__(self, other: SendReport) -> SendReport:
        return SendReport(
            self.sent + other.sent,
            self.waiting + other.waiting,
            self.failed + other.failed,
            self.details + other.details,
        )


_ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>@]+>?")


def _server_text(raw: bytes | str) -> str:
    """What the mail server said, without any address in it, kept short."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return _ADDRESS.sub("[address]", " ".join(text.split()))[:200]


@dataclass(frozen=True)
class Outcome:
    error: str
    permanent: bool


def _explain(error: BaseException) -> Outcome:
    """Plain English for staff, with no personal data; and whether trying again could help."""
    if isinstance(error, AttachmentNotReady):
        return Outcome(str(error), permanent=False)
    if isinstance(error, smtplib.SMTPConnectError):
        return Outcome("Could not connect to the mail server: it refused the connection.", permanent=False)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        said = "; ".join(f"{code} {_server_text(text)}" for code, text in error.recipients.values())
        permanent = all(code >= 500 for code in codes)
        kind = "permanently" if permanent else "for now"
        return Outcome(f"The mail server refused the recipient's address {kind} ({said}).", permanent)
    if isinstance(error, smtplib.SMTPSenderRefused):
        return Outcome(
            f"The mail server refused our sender address ({error.smtp_code} "
            f"{_server_text(error.smtp_error)}). Check DEFAULT_FROM_EMAIL.",
            permanent=False,
        )
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return Outcome("The mail server did not accept our user name and password.", permanent=False)
    if isinstance(error, smtplib.SMTPDataError):
        permanent = error.smtp_code >= 500
        return Outcome(
            f"The mail server rejected the message ({error.smtp_code} {_server_text(error.smtp_error)}).",
            permanent,
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return Outcome(
            f"The mail server answered with an error ({error.smtp_code} {_server_text(error.smtp_error)}).",
            permanent=False,
        )
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return Outcome("The mail server closed the connection before the message was accepted.", False)
    if isinstance(error, ConnectionRefusedError):
        return Outcome("Could not connect to the mail server: it refused the connection.", False)
    if isinstance(error, (socket.timeout, TimeoutError)):
        return Outcome("The mail server did not answer in time.", False)
    if isinstance(error, OSError):
        return Outcome(f"Could not reach the mail server ({type(error).__name__}).", False)
    # A template or data fault: trying again will not help; staff can retry once it is fixed.
    return Outcome(f"The email could not be prepared ({type(error).__name__}).", permanent=True)


_BATCH_FAULTS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPSenderRefused,
)


def _is_batch_fault(error: BaseException) -> bool:
    """Faults that would strike every message in the batch alike (smtplib's errors are OSErrors too)."""
    if isinstance(error, _BATCH_FAULTS):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


R = TypeVar("R")


def _while_locked(operation: Callable[[], R], *, patience: float = 10.0) -> R:
    """Run a short database step again while SQLite reports the database locked by another writer."""
    deadline = time.monotonic() + patience
    pause = 0.005
    while True:
        try:
            return operation()
        except OperationalError as error:
            if "is locked" not in str(error).lower() or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _claim(*, now: datetime, limit: int, claim: str) -> list[int]:
    """Take up to ``limit`` due messages under the token ``claim``; two workers never hold the same one."""
    changes = {
        "status": Status.SENDING,
        "claimed_by": claim,
        "claim_expires_at": now + claim_duration(),
        "attempts": F("attempts") + 1,
    }
    due = OutboxMessage.objects.due(now=now).order_by("next_attempt_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(due.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
            OutboxMessage.objects.filter(id__in=ids).update(**changes)
        return ids
    # SQLite has no row locks, but one UPDATE statement is atomic: only one writer wins each row.
    OutboxMessage.objects.due(now=now).filter(id__in=Subquery(due.values("id")[:limit])).update(**changes)
    return list(
        OutboxMessage.objects.filter(claimed_by=claim, status=Status.SENDING).values_list("id", flat=True)
    )


def _record_sent(message: OutboxMessage, claim: str) -> None:
    """Delivered: from now on the row keeps a placeholder where each private link was, so nothing
    stored can open the family's page, a signing, consent or survey page (the recipient has the link)."""
    kept = without_private_links(message.template, message.context)
    _while_locked(
        lambda: OutboxMessage.objects.filter(pk=message.pk, claimed_by=claim).update(
            status=Status.SENT,
            sent_at=timezone.now(),
            claimed_by="",
            claim_expires_at=None,
            last_error="",
            context=kept,
        )
    )


def _record_failure(message: OutboxMessage, claim: str, outcome: Outcome, now: datetime) -> str:
    gave_up = outcome.permanent or message.attempts >= max_attempts()
    status = Status.FAILED if gave_up else Status.QUEUED
    error = outcome.error
    if gave_up and not outcome.permanent:
        error = f"{error} Gave up after {message.attempts} attempts."
    _while_locked(
        lambda: OutboxMessage.objects.filter(pk=message.pk, claimed_by=claim).update(
            status=status,
            last_error=error[:500],
            next_attempt_at=now + retry_delay(message.attempts),
            claimed_by="",
            claim_expires_at=None,
        )
    )
    logger.warning(
        "Email id=%s template=%s attempt %s %s: %s",
        message.pk,
        message.template,
        message.attempts,
        "failed" if gave_up else "will be retried",
        error,
    )
    return status


def _send_claimed(ids: list[int], claim: str, now: datetime) -> SendReport:
    report = SendReport()
    messages = _while_locked(
        lambda: list(OutboxMessage.objects.filter(id__in=ids).order_by("next_attempt_at", "id"))
    )
    smtp = get_connection(fail_silently=False)
    opened = False
    try:
        for index, message in enumerate(messages):
            try:
                email = build_email(message, connection=smtp)
                if not opened:
                    smtp.open()
                    opened = True
                email.send(fail_silently=False)
            except Exception as error:  # every fault is recorded on the row
                outcome = _explain(error)
                if _record_failure(message, claim, outcome, now) == Status.FAILED:
                    report.failed += 1
                else:
                    report.waiting += 1
                if _is_batch_fault(error):
                    # The server is unreachable: the rest of the batch waits too, without more timeouts.
                    for rest in messages[index + 1 :]:
                        if _record_failure(rest, claim, outcome, now) == Status.FAILED:
                            report.failed += 1
                        else:
                            report.waiting += 1
                    break
                continue
            _record_sent(message, claim)
            report.sent += 1
    finally:
        if opened:
            try:
                smtp.close()
            except Exception:  # a broken connection must not hide the results
                logger.debug("Closing the SMTP connection failed", exc_info=True)
    return report


def send_due_messages(
    *,
    now: datetime | None = None,
    batch_size: int = 20,
    max_batches: int = 50,
    worker_id: str | None = None,
    clock: Callable[[], datetime] = timezone.now,
) -> SendReport:
    """Send every message that is due, a batch at a time, over one SMTP connection per batch."""
    worker_id = (worker_id or get_random_string(24))[:50]
    report = SendReport()
    for batch in range(max_batches):
        moment = now or clock()
        claim = f"{worker_id}:{batch}"
        ids = _while_locked(partial(_claim, now=moment, limit=batch_size, claim=claim))
        if not ids:
            break
        report = report + _send_claimed(ids, claim, moment)
    if report.sent or report.waiting or report.failed:
        logger.info("Emails sent=%s waiting=%s failed=%s", report.sent, report.waiting, report.failed)
    return report


def emails_for_case(reference: str, *, limit: int = 50) -> tuple[list[OutboxMessage], int]:
    """The newest emails about one case, each with its title and audience, and how many there are
    in all. The caller decides who may see them."""
    emails = OutboxMessage.objects.filter(case_reference=reference)
    # Newest first by the order they were queued: emails queued together share a moment.
    shown = list(emails.order_by("-id")[:limit])
    for message in shown:
        describe_message(message)
    return shown, len(shown) if len(shown) < limit else emails.count()


def describe_message(message: OutboxMessage) -> OutboxMessage:
    """Give a stored message its subject line as the recipient sees it, its title and audience."""
    kind = MESSAGE_TYPES.get(message.template)
    message.title = kind.title if kind else message.template  # type: ignore[attr-defined]
    message.audience = kind.audience if kind else ""  # type: ignore[attr-defined]
    message.subject = render_subject(message.template, message.context)  # type: ignore[attr-defined]
    return message


def render_subject(template: str, context: Mapping[str, Any]) -> str:
    """The subject line alone, as it was or will be sent (the title when the template is unknown)."""
    kind = MESSAGE_TYPES.get(template)
    if kind is None:
        return template
    full_context = {**context, "brand": brand(), "site_url": settings.SITE_URL}
    return " ".join(Template(kind.subject).render(Context(full_context, autoescape=False)).split())
