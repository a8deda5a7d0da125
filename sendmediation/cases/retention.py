"""Applying the retention schedule (settings.RETENTION, read by ``common.retention``).

``apply_retention`` is the daily job and ``manage.py apply_retention``: it lists (and, unless it is a
dry run, removes) what the schedule says should go today. ``anonymise_case`` removes a case's personal
data and keeps what the reports count; the meetings and agreements apps add their own parts of a
case through ``ANONYMISERS`` (registered when they start), as casework never imports them.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases import access_log
from sendmediation.cases.models import (
    AdviceCall,
    AuthorityContact,
    Case,
    CaseEvent,
    Certificate,
    ConsentRequest,
    Deadline,
    Document,
    Note,
    Party,
    SearchWord,
)
from sendmediation.cases.models.case import new_family_access_key
from sendmediation.common import retention
from sendmediation.intake.models import HelpRequest, RequestDraft
from sendmediation.intake.services import (
    anonymise_request,
    declined_requests_to_remove,
    delete_expired_drafts,
)
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.retention import purge_messages, sent_messages_to_purge

logger = logging.getLogger(__name__)

# Other apps' parts of a case: each takes the case (locked, in the caller's transaction).
ANONYMISERS: list[Callable[[Case], None]] = []
# Why a case must be kept as it is, when erasure is asked for: each returns a reason or "".
KEEPING_REASONS: list[Callable[[Case], str]] = []

# Keys in an event's data that hold staff's words, which can name people.
EVENT_FREE_TEXT = ("reason", "note", "message", "person")
REMOVED = "Removed under the retention schedule"


def delete_file_after_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def clear_fields(queryset: QuerySet[Any], names: tuple[str, ...] | frozenset[str]) -> None:
    """Empty these fields on every row (files are deleted from storage after commit)."""
    model = queryset.model
    values: dict[str, Any] = {}
    for name in names:
        model_field = model._meta.get_field(name)
        if isinstance(model_field, models.FileField):
            for stored in queryset.exclude(**{name: ""}).values_list(name, flat=True):
                delete_file_after_commit(stored)
            values[name] = ""
        elif model_field.null:
            values[name] = None
        elif isinstance(model_field, models.BooleanField):
            values[name] = model_field.default
        else:
            values[name] = ""
    if values:
        queryset.update(**values)


def _clear_event_text(case: Case) -> None:
    # History is append-only for everyone else; removing people's words under the law is the one
    # change allowed, and it keeps every code, date and status the reports read.
    for event in case.events.all():
        if any(key in event.data for key in EVENT_FREE_TEXT):
            kept = {key: value for key, value in event.data.items() if key not in EVENT_FREE_TEXT}
            models.QuerySet.update(CaseEvent.objects.filter(pk=event.pk), data=kept)


def anonymise_case(
    *, case: Case, actor: User | None, today: datetime.date, reason: str = "", on_request: bool = False
) -> bool:
    """Remove the case's personal data; keep its reference, authority, kind, dates and outcome.
    Returns False when it was already done. Call it inside a transaction with the case locked."""
    if case.anonymised_on is not None:
        return False
    case.child_first_name = case.child_last_name = case.postcode = case.summary = ""
    case.child_date_of_birth = None
    # Stops every family link sent so far.
    case.family_access_key = new_family_access_key()
    case.anonymised_on = today
    case.save(update_fields=[*Case.PERSONAL_FIELDS, "family_access_key", "anonymised_on", "updated_at"])
    clear_fields(Party.objects.filter(case=case), Party.PERSONAL_FIELDS)
    clear_fields(ConsentRequest.objects.filter(party__case=case), ConsentRequest.PERSONAL_FIELDS)
    clear_fields(AdviceCall.objects.filter(case=case), AdviceCall.PERSONAL_FIELDS)
    clear_fields(AuthorityContact.objects.filter(case=case), AuthorityContact.PERSONAL_FIELDS)
    clear_fields(Note.objects.filter(case=case), Note.PERSONAL_FIELDS)
    clear_fields(Document.objects.filter(case=case), Document.PERSONAL_FIELDS)
    # The certificate's number, date and initials stay so that /verify/ can still answer a tribunal.
    clear_fields(Certificate.objects.filter(case=case), ("pdf",))
    Deadline.objects.filter(case=case).exclude(agreed_override_note="").update(agreed_override_note=REMOVED)
    SearchWord.objects.filter(case=case).delete()
    _clear_event_text(case)
    if case.source_request is not None:
        anonymise_request(help_request=case.source_request, today=today)
    purge_messages(OutboxMessage.objects.filter(case_reference=case.reference))
    for anonymiser in ANONYMISERS:
        anonymiser(case)
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.ANONYMISED,
        actor=actor,
        at=timezone.now(),
        data={"on_request": on_request, **({"reason": reason} if reason else {})},
    )
    return True


# --- the daily job ---------------------------------------------------------------------------------


@dataclass
class Found:
    """What the schedule takes today: references (never names) by kind, and counts."""

    references: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def cases_to_anonymise(*, today: datetime.date) -> QuerySet[Case]:
    """Closed or withdrawn cases whose period has run, not yet anonymised and not under a legal hold."""
    return Case.objects.filter(
        status__in=Case.CLOSED_STATUSES,
        closed_on__lte=retention.last_day_to_go("closed_cases", today=today),
        anonymised_on__isnull=True,
        legal_hold=False,
    ).order_by("closed_on", "id")


def due(*, today: datetime.date, now: datetime.datetime) -> Found:
    found = Found()
    drafts = RequestDraft.objects.expired(now=now)
    found.counts["request_drafts"] = drafts.count()
    declined = declined_requests_to_remove(
        last_day=retention.last_day_to_go("declined_requests", today=today)
    )
    found.references["declined_requests"] = list(declined.order_by("id").values_list("reference", flat=True))
    found.references["closed_cases"] = list(
        cases_to_anonymise(today=today).values_list("reference", flat=True)
    )
    emails = sent_messages_to_purge(last_day=retention.last_day_to_go("sent_emails", today=today))
    found.counts["sent_emails"] = emails.count()
    found.references["sent_emails"] = sorted(
        set(emails.exclude(case_reference="").values_list("case_reference", flat=True))
    )
    rows = access_log.rows_to_prune(last_day=retention.last_day_to_go("access_log", today=today))
    found.counts["access_log"] = rows.count()
    for kind, references in found.references.items():
        found.counts.setdefault(kind, len(references))
    return found


def apply_retention(
    *, today: datetime.date | None = None, now: datetime.datetime | None = None, dry_run: bool = False
) -> Found:
    """Find (and, unless ``dry_run``, remove) what the schedule takes today. Idempotent."""
    moment = timezone.now() if now is None else now
    day = timezone.localdate(moment) if today is None else today
    found = due(today=day, now=moment)
    if dry_run:
        return found
    delete_expired_drafts(now=moment)
    for reference in found.references["declined_requests"]:
        with transaction.atomic():
            anonymise_request(help_request=HelpRequest.objects.get(reference=reference), today=day)
    for case_id in cases_to_anonymise(today=day).values_list("id", flat=True):
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case_id)
            # Checked again under the lock: a hold placed since the list was made stops it.
            if not case.legal_hold and case.anonymised_on is None:
                anonymise_case(case=case, actor=None, today=day)
    purge_messages(sent_messages_to_purge(last_day=retention.last_day_to_go("sent_emails", today=day)))
    access_log.prune(last_day=retention.last_day_to_go("access_log", today=day))
    logger.info("Retention applied: %s", found.counts)
    return found
