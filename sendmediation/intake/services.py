"""Front doors for requests for help: keep answers between pages, send, and accept or decline.

``accept_request`` and ``decline_request`` only change the request's status; the casework app
calls them in its own transaction when it turns a request into a case or turns it down.
"""

from __future__ import annotations

import datetime
import logging
import os
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import can_record_phone_requests, can_triage_requests
from sendmediation.common import retention
from sendmediation.common.uploads import UploadRefused
from sendmediation.intake import facts
from sendmediation.intake.journey import PREFILL, RequestAnswers, answers_from, with_answer
from sendmediation.intake.models import HelpRequest, ReferenceCounter, RequestDraft, Who
from sendmediation.intake.uploads import check_letter
from sendmediation.notifications.services import queue_email

logger = logging.getLogger(__name__)

# settings.RETENTION, read once: a draft's expiry is set when it is saved.
DRAFT_LIFETIME = datetime.timedelta(days=retention.days("request_drafts") or 7)


class DraftGone(Exception):
    """The answers were deleted (they expire) before the request was sent."""


class RequestAlreadyDecided(Exception):
    """Only a new request can be accepted or declined."""

    def __init__(self, help_request: HelpRequest, action: str) -> None:
        super().__init__(
            f"Request {help_request.reference} is already {help_request.get_status_display().lower()}: "
            f"it cannot be {action}"
        )
        self.help_request = help_request
        self.action = action


class InvalidAnswers(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return timezone.now() if now is None else now


# --- Answers between pages ---------------------------------------------------------------------


def start_draft(*, prefill_postcode: str = "", now: datetime.datetime | None = None) -> RequestDraft:
    """A new, empty set of answers with a random token for the session to hold."""
    moment = _now(now)
    answers: dict[str, Any] = {PREFILL: {"postcode": prefill_postcode}} if prefill_postcode else {}
    return RequestDraft.objects.create(
        token=secrets.token_urlsafe(32),
        answers=answers,
        created_at=moment,
        updated_at=moment,
        expires_at=moment + DRAFT_LIFETIME,
    )


def save_answer(
    *, draft: RequestDraft, slug: str, answer: Mapping[str, Any], now: datetime.datetime | None = None
) -> RequestDraft:
    """Keep one page's answer; the draft lives on for another DRAFT_LIFETIME from now.

    A professional's confirmation that the family agreed is stamped with the time it was first given.
    """
    moment = _now(now)
    with transaction.atomic():
        # Two tabs saving at once each add their own page: the row is read again under a lock.
        current = RequestDraft.objects.select_for_update().get(pk=draft.pk)
        if slug == "family-agreed" and answer.get("agreed"):
            agreed_at = current.answers.get("family-agreed", {}).get("agreed_at") or moment.isoformat()
            answer = {**answer, "agreed_at": agreed_at}
        draft.answers = with_answer(current.answers, slug, answer)
        draft.updated_at = moment
        draft.expires_at = moment + DRAFT_LIFETIME
        draft.save(update_fields=["answers", "updated_at", "expires_at"])
    return draft


def prefill_postcode(
    *, draft: RequestDraft, postcode: str, now: datetime.datetime | None = None
) -> RequestDraft:
    """Offer a postcode (from the coverage checker) as the answer to the postcode question."""
    if "postcode" in draft.answers:
        return draft
    return save_answer(draft=draft, slug=PREFILL, answer={"postcode": postcode}, now=now)


def _delete_file_after_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def _original_name(name: str | None) -> str:
    base = os.path.basename((name or "").replace("\\", "/"))
    cleaned = "".join(ch for ch in base if ch.isprintable())
    return cleaned[-255:] or "decision letter"


# Shown on the letter question, where the family can still continue without a letter.
LETTERS_PER_DAY_MESSAGE = (
    "You cannot upload any more letters from this connection today. Continue without the letter: "
    "when we contact you, we will tell you how to send it to us by email or post"
)
LETTERS_BUDGET_MESSAGE = (
    "We cannot take uploaded letters at the moment. Continue without the letter: "
    "when we contact you, we will tell you how to send it to us by email or post"
)
_ADDRESS_SALT = "sendmediation.intake.letter-address"


def letter_address_hash(address: str) -> str:
    """A keyed hash of the client's address, so the daily limit needs no address kept."""
    return salted_hmac(_ADDRESS_SALT, address, algorithm="sha256").hexdigest()


def _check_letter_quota(*, draft: RequestDraft, address_hash: str, size: int, now: datetime.datetime) -> None:
    """Refuse when this address has uploaded letters to its limit of other drafts in the last day,
    or when the letters held in unsent drafts would pass the total budget."""
    per_day = int(getattr(settings, "INTAKE_LETTERS_PER_ADDRESS_PER_DAY", 10))
    if per_day > 0:
        others = (
            RequestDraft.objects.filter(
                letter_address_hash=address_hash, letter_uploaded_at__gt=now - datetime.timedelta(days=1)
            )
            .exclude(pk=draft.pk)
            .count()
        )
        if others >= per_day:
            logger.warning("Decision letter refused: the daily limit for one address was reached")
            raise UploadRefused(LETTERS_PER_DAY_MESSAGE, code="letters_per_day")
    budget = int(getattr(settings, "INTAKE_LETTER_BUDGET_BYTES", 1024**3))
    if budget > 0:
        held = (
            RequestDraft.objects.filter(submitted_at__isnull=True)
            .exclude(decision_letter="")
            .exclude(pk=draft.pk)
            .aggregate(total=Sum("decision_letter_size"))["total"]
            or 0
        )
        if held + size > budget:
            logger.error("Decision letter refused: letters in unsent requests fill the budget")
            raise UploadRefused(LETTERS_BUDGET_MESSAGE, code="letters_budget")


def attach_decision_letter(
    *,
    draft: RequestDraft,
    upload: UploadedFile,
    client_address: str,
    now: datetime.datetime | None = None,
) -> RequestDraft:
    """Check the letter (the quota first, then the file itself) and store it under a random name.

    Raises UploadRefused, with words for the family, and stores nothing, when it is not taken.
    """
    moment = _now(now)
    address_hash = letter_address_hash(client_address)
    _check_letter_quota(draft=draft, address_hash=address_hash, size=upload.size or 0, now=moment)
    checked = check_letter(upload)
    with transaction.atomic():
        current = RequestDraft.objects.select_for_update().get(pk=draft.pk)
        _delete_file_after_commit(current.decision_letter.name)
        draft.decision_letter.save(
            f"{secrets.token_urlsafe(24)}.{checked.kind.value}", ContentFile(checked.content), save=False
        )
        draft.decision_letter_name = _original_name(upload.name)
        draft.decision_letter_type = checked.kind.value
        draft.decision_letter_size = checked.size
        draft.letter_address_hash = address_hash
        draft.letter_uploaded_at = moment
        draft.answers = with_answer(current.answers, "letter", {"uploaded": True})
        draft.updated_at = moment
        draft.expires_at = moment + DRAFT_LIFETIME
        draft.save()
    return draft


def remove_decision_letter(*, draft: RequestDraft, now: datetime.datetime | None = None) -> RequestDraft:
    moment = _now(now)
    with transaction.atomic():
        current = RequestDraft.objects.select_for_update().get(pk=draft.pk)
        _delete_file_after_commit(current.decision_letter.name)
        draft.decision_letter = ""
        draft.decision_letter_name = ""
        draft.decision_letter_type = ""
        draft.decision_letter_size = None
        draft.answers = {key: value for key, value in current.answers.items() if key != "letter"}
        draft.updated_at = moment
        draft.save()
    return draft


def delete_expired_drafts(*, now: datetime.datetime | None = None) -> int:
    """Delete answers nobody finished (or sent) within DRAFT_LIFETIME, with any uploaded letter."""
    moment = _now(now)
    deleted = 0
    with transaction.atomic():
        expired = RequestDraft.objects.expired(now=moment)
        for name in expired.exclude(decision_letter="").values_list("decision_letter", flat=True):
            _delete_file_after_commit(name)
        deleted, _ = expired.delete()
    logger.info("Deleted %d expired requests in progress", deleted)
    return deleted


def declined_requests_to_remove(*, last_day: datetime.date) -> Any:
    """Requests turned down on or before ``last_day`` (local time) whose details are still kept."""
    day_after = timezone.make_aware(
        datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time())
    )
    return HelpRequest.objects.filter(
        status=HelpRequest.Status.DECLINED, status_changed_at__lt=day_after, anonymised_on__isnull=True
    )


def anonymise_request(*, help_request: HelpRequest, today: datetime.date) -> None:
    """Remove the request's personal details and its letter; keep what the figures count (its
    reference, route, dates, status and local authority). Call it inside the caller's transaction."""
    current = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    if current.anonymised_on is not None:
        return
    _delete_file_after_commit(current.decision_letter.name)
    for name in HelpRequest.PERSONAL_FIELDS:
        field = HelpRequest._meta.get_field(name)
        setattr(current, name, None if getattr(field, "null", False) else "")
    current.decision_letter_type = ""
    current.decision_letter_size = None
    current.anonymised_on = today
    current.save()


# --- Sending -----------------------------------------------------------------------------------


def _create_help_request(
    answers: RequestAnswers,
    *,
    source: HelpRequest.Source,
    now: datetime.datetime,
    recorded_by: User | None = None,
    letter: Mapping[str, Any] | None = None,
) -> HelpRequest:
    problems = answers.problems()
    if problems:
        raise InvalidAnswers(problems)
    today = timezone.localdate(now)
    area = facts.area_for(answers.postcode, on=today)
    number, reference = ReferenceCounter.take_next(today.year)
    limit = (
        facts.time_limit(answers.decision_letter_date, today=today) if answers.decision_letter_date else None
    )
    contact_by = limit.contact_by if limit else None
    appeal_by = limit.appeal_by if limit and limit.appeal_by and limit.appeal_by >= today else None
    help_request = HelpRequest.objects.create(
        reference=reference,
        year=today.year,
        number=number,
        source=source,
        created_at=now,
        recorded_by=recorded_by,
        who=answers.who,
        referrer_name=answers.referrer_name,
        referrer_organisation=answers.referrer_organisation,
        referrer_email=answers.referrer_email,
        referrer_phone=answers.referrer_phone,
        family_agreed_at=answers.family_agreed_at,
        help_wanted=answers.help_wanted,
        decisions=[str(code) for code in answers.decisions],
        disagreement_with=[str(code) for code in answers.disagreement_with],
        decision_letter_date=answers.decision_letter_date,
        contact_adviser_by=contact_by,
        child_name=answers.child_name,
        child_date_of_birth=answers.child_date_of_birth,
        postcode=area.postcode,
        local_authority=area.local_authority,
        postcode_country=str(area.country or ""),
        contact_name=answers.contact_name,
        contact_by_phone=bool(answers.phone),
        phone=answers.phone,
        good_times_to_call=answers.good_times_to_call,
        contact_by_email=bool(answers.email),
        email=answers.email,
        needs_interpreter=answers.needs_interpreter,
        interpreter_language=answers.interpreter_language,
        needs_bsl=answers.needs_bsl,
        other_adjustments=answers.other_adjustments,
        reply_by=facts.reply_by(today),
        **(letter or {}),
    )
    if help_request.email:
        queue_email(
            to=help_request.email,
            template="request_received",
            context={
                "reference": reference,
                "name": help_request.contact_name,
                "contact_by": help_request.reply_by.isoformat(),
                "help_wanted": help_request.get_help_wanted_display(),
                "by_phone": help_request.contact_by_phone,
                "appeal_by": appeal_by.isoformat() if appeal_by else "",
            },
            dedupe_key=f"request-received:{reference}",
        )
    logger.info("Request %s received (%s)", reference, source)
    return help_request


def submit_request(*, draft: RequestDraft, now: datetime.datetime | None = None) -> HelpRequest:
    """Send the answers as one request. Sending the same draft again returns the same request.

    Raises IncompleteRequest (naming the page to go back to) if a question has no answer, and
    DraftGone if the answers have expired.
    """
    moment = _now(now)
    with transaction.atomic():
        # The claim: of two sends of one draft, only one changes the row; the other waits for it.
        claimed = RequestDraft.objects.filter(
            pk=draft.pk, submitted_at__isnull=True, expires_at__gt=moment
        ).update(submitted_at=moment, updated_at=moment)
        current = RequestDraft.objects.filter(pk=draft.pk).select_related("help_request").first()
        if not claimed:
            if current is not None and current.help_request is not None:
                return current.help_request
            raise DraftGone()
        assert current is not None
        answers = answers_from(current.answers)
        letter = None
        if current.decision_letter and answers.decision_letter_date:
            letter = {
                "decision_letter": current.decision_letter.name,
                "decision_letter_name": current.decision_letter_name,
                "decision_letter_type": current.decision_letter_type,
                "decision_letter_size": current.decision_letter_size,
            }
        elif current.decision_letter:
            _delete_file_after_commit(current.decision_letter.name)
        help_request = _create_help_request(
            answers, source=HelpRequest.Source.WEBSITE, now=moment, letter=letter
        )
        RequestDraft.objects.filter(pk=current.pk).update(
            help_request=help_request,
            answers={},
            decision_letter="",
            decision_letter_name="",
            decision_letter_type="",
            decision_letter_size=None,
        )
    return help_request


def record_phone_request(
    *, actor: User, answers: RequestAnswers, now: datetime.datetime | None = None
) -> HelpRequest:
    """A request a member of staff took on the phone."""
    if not can_record_phone_requests(actor):
        raise PermissionDenied("Only coordinators, advisers and managers record phone requests")
    if answers.who == Who.PROFESSIONAL and answers.family_agreed_at is None:
        raise InvalidAnswers(["A professional can refer a family only with the family's agreement"])
    with transaction.atomic():
        return _create_help_request(
            answers, source=HelpRequest.Source.PHONE, now=_now(now), recorded_by=actor
        )


# --- Triage ------------------------------------------------------------------------------------


def _decide(
    *,
    actor: User,
    help_request: HelpRequest,
    status: HelpRequest.Status,
    action: str,
    now: datetime.datetime | None,
    reason: str = "",
    note: str = "",
) -> HelpRequest:
    if not can_triage_requests(actor):
        raise PermissionDenied("Only coordinators and managers accept or decline requests")
    with transaction.atomic():
        current = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        if current.status != HelpRequest.Status.NEW:
            raise RequestAlreadyDecided(current, action)
        current.status = status
        current.status_changed_at = _now(now)
        current.status_changed_by = actor
        current.decline_reason = reason
        current.decline_note = note
        current.save(
            update_fields=[
                "status",
                "status_changed_at",
                "status_changed_by",
                "decline_reason",
                "decline_note",
            ]
        )
    for field in ("status", "status_changed_at", "status_changed_by", "decline_reason", "decline_note"):
        setattr(help_request, field, getattr(current, field))
    logger.info("Request %s %s by user id=%s", current.reference, current.status, actor.pk)
    return current


def accept_request(
    *, actor: User, help_request: HelpRequest, now: datetime.datetime | None = None
) -> HelpRequest:
    """Mark a new request accepted (the casework app opens its case in the same transaction)."""
    return _decide(
        actor=actor, help_request=help_request, status=HelpRequest.Status.ACCEPTED, action="accepted", now=now
    )


def decline_request(
    *,
    actor: User,
    help_request: HelpRequest,
    reason: HelpRequest.DeclineReason,
    note: str = "",
    now: datetime.datetime | None = None,
) -> HelpRequest:
    """Turn down a new request, saying why (a duplicate, outside our area, or another reason)."""
    reason = HelpRequest.DeclineReason(reason)
    if reason == HelpRequest.DeclineReason.OTHER and not note.strip():
        raise InvalidAnswers(["Say why the request is declined"])
    return _decide(
        actor=actor,
        help_request=help_request,
        status=HelpRequest.Status.DECLINED,
        action="declined",
        now=now,
        reason=reason,
        note=note.strip(),
    )
