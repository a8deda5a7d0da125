"""Changes that keep the status: details, staff, parties, notes, documents, agreed dates."""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import ARRANGERS
from sendmediation.cases import deadlines, workflow
from sendmediation.cases.errors import InvalidChange
from sendmediation.cases.models import (
    Case,
    CaseEvent,
    Deadline,
    Document,
    Note,
    Party,
)
from sendmediation.cases.search import index_names
from sendmediation.cases.services._common import (
    KEEP,
    Keep,
    calendar_or_current,
    checked_birth_date,
    checked_decisions,
    checked_letter_date,
    checked_place,
    create_party,
    locked,
    person,
    record_event,
    refreshed,
    staff_member,
    today_or_given,
)
from sendmediation.cases.services.resolution import reopen_consent_for_new_party
from sendmediation.common.uploads import FileKind, UploadRefused, check_upload
from sendmediation.localities.models import LocalAuthority
from sendmediation.statutory.calendar import WorkingDayCalendar
from sendmediation.statutory.rules import RULES
from sendmediation.statutory.services import fresh_calendar

logger = logging.getLogger(__name__)


# Facts that may be emptied; the others can be corrected but not removed. The decisions and the
# letter's date can be emptied only while no certificate rests on them.
CLEARABLE = frozenset({"child_date_of_birth", "postcode", "summary"})
CERTIFIED = frozenset({"decisions", "decision_letter_sent"})


def update_details(
    *,
    actor: User,
    case: Case,
    child_first_name: str | Keep = KEEP,
    child_last_name: str | Keep = KEEP,
    child_date_of_birth: datetime.date | Keep | None = KEEP,
    postcode: str | Keep | None = KEEP,
    local_authority: LocalAuthority | Keep = KEEP,
    decisions: Iterable[str] | Keep | None = KEEP,
    decision_letter_sent: datetime.date | Keep | None = KEEP,
    issues_education: bool | Keep = KEEP,
    issues_health: bool | Keep = KEEP,
    issues_social_care: bool | Keep = KEEP,
    summary: str | Keep | None = KEEP,
    confirm_other_authority: bool = False,
    calendar: WorkingDayCalendar | None = None,
    today: datetime.date | None = None,
) -> Case:
    """Correct or complete the case's facts. Facts left out stay as they are; ``None`` empties one
    where that is allowed. The family's dates follow the decision letter."""
    given: dict[str, Any] = {
        name: value
        for name, value in {
            "child_first_name": child_first_name,
            "child_last_name": child_last_name,
            "child_date_of_birth": child_date_of_birth,
            "postcode": postcode,
            "local_authority": local_authority,
            "decisions": decisions,
            "decision_letter_sent": decision_letter_sent,
            "issues_education": issues_education,
            "issues_health": issues_health,
            "issues_social_care": issues_social_care,
            "summary": summary,
        }.items()
        if value is not KEEP
    }
    day = today_or_given(today)
    cal = calendar_or_current(calendar)
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("update_details", case=current, user=actor)
        certified = current.certificates.filter(revoked_on__isnull=True).exists()
        for name, value in given.items():
            if value is None and not (name in CLEARABLE or (name in CERTIFIED and not certified)):
                why = "a certificate has been issued with it" if name in CERTIFIED else "the case needs it"
                raise InvalidChange(f"This cannot be emptied: {why}", field=name)
        values: dict[str, Any] = {}
        for name in ("child_first_name", "child_last_name"):
            if name in given:
                values[name] = str(given[name]).strip()
                if not values[name]:
                    raise InvalidChange(f"Enter the child's {name.split('_')[1]} name", field=name)
        if "child_date_of_birth" in given:
            values["child_date_of_birth"] = checked_birth_date(given["child_date_of_birth"], today=day)
        if "decision_letter_sent" in given:
            values["decision_letter_sent"] = checked_letter_date(given["decision_letter_sent"], today=day)
        if "decisions" in given:
            values["decisions"] = checked_decisions(given["decisions"] or [])
        for name in ("issues_education", "issues_health", "issues_social_care"):
            if name in given:
                values[name] = bool(given[name])
        if "summary" in given:
            values["summary"] = (given["summary"] or "").strip()
        authority = given.get("local_authority", current.local_authority)
        if "local_authority" in given:
            values["local_authority_id"] = authority.pk
        if {"postcode", "local_authority"} & set(given):
            values["postcode"] = checked_place(
                authority,
                given["postcode"] or "" if "postcode" in given else current.postcode,
                confirmed=confirm_other_authority,
                today=day,
            )
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        if not changed:
            return refreshed(case, current)
        for name in changed:
            setattr(current, name, values[name])
        current.save(update_fields=[*changed, "updated_at"])
        if {"child_first_name", "child_last_name"} & set(changed):
            index_names(current)
        deadlines.recompute_deadlines(current, calendar=cal)
        # Field names only: the values can be personal.
        record_event(
            current,
            CaseEvent.Kind.DETAILS_CHANGED,
            actor,
            fields=[name.removesuffix("_id") for name in changed],
        )
    return refreshed(case, current)


def assign(
    *,
    actor: User,
    case: Case,
    coordinator: User | None,
    adviser: User | None,
    mediator: User | None,
) -> Case:
    """Set who coordinates, advises and mediates (None for nobody)."""
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("assign", case=current, user=actor)
        values = {
            "coordinator": staff_member(coordinator, ARRANGERS, "a coordinator", field="coordinator"),
            "adviser": staff_member(adviser, [User.Role.ADVISER], "an adviser", field="adviser"),
            "mediator": staff_member(mediator, [User.Role.MEDIATOR], "a mediator", field="mediator"),
        }
        changes = {
            slot: person(user)
            for slot, user in values.items()
            if getattr(current, f"{slot}_id") != (user.pk if user else None)
        }
        if changes:
            for slot, user in values.items():
                setattr(current, slot, user)
            current.save(update_fields=["coordinator", "adviser", "mediator", "updated_at"])
            record_event(current, CaseEvent.Kind.ASSIGNED, actor, data=changes)
    return refreshed(case, current)


def add_party(
    *,
    actor: User,
    case: Case,
    role: str,
    name: str,
    organisation: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    has_authority_to_settle: bool | None = None,
    contact_shared_with_la: bool = False,
) -> Party:
    """Add a party. ``contact_shared_with_la``: a parent or young person agreed that the local
    authority may have their email and phone; without it, the authority's officers never see them."""
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("add_party", case=current, user=actor)
        party = create_party(
            current,
            role=role,
            name=name,
            organisation=organisation,
            email=email,
            phone=phone,
            address=address,
            has_authority_to_settle=has_authority_to_settle,
            contact_shared_with_la=contact_shared_with_la,
        )
        record_event(
            current,
            CaseEvent.Kind.PARTY_ADDED,
            actor,
            party_role=party.role,
            contact_shared_with_la=party.contact_shared_with_la,
        )
        reopen_consent_for_new_party(current, party, actor=actor)
    return party


def add_note(*, actor: User, case: Case, text: str) -> Note:
    """A confidential note for the service's staff (never shown to local authority officers)."""
    if not text.strip():
        raise InvalidChange("Enter the note", field="text")
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("add_note", case=current, user=actor)
        note = Note.objects.create(case=current, author=actor, text=text.strip())
        record_event(current, CaseEvent.Kind.NOTE_ADDED, actor)
    return note


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# The same kinds a family's decision letter may be, checked the same way.
DOCUMENT_TYPES = frozenset(FileKind)
DOCUMENT_WRONG_TYPE = "The selected file must be a PDF, JPG, PNG or DOCX"


def add_document(*, actor: User, case: Case, upload: UploadedFile, name: str, kind: str) -> Document:
    kind = Document.Kind(kind)
    try:
        checked = check_upload(
            upload,
            allowed=DOCUMENT_TYPES,
            max_bytes=MAX_DOCUMENT_BYTES,
            wrong_type=DOCUMENT_WRONG_TYPE,
            too_big="The selected file must be smaller than 20MB",
        )
    except UploadRefused as refused:
        raise InvalidChange(refused.message, field="file") from None
    digest = hashlib.sha256(checked.content)
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("add_document", case=current, user=actor)
        document = Document(
            case=current,
            name=(name.strip() or "Document")[:200],
            kind=kind,
            content_type=checked.kind.content_type,
            size=checked.size,
            uploaded_by=actor,
            sha256=digest.hexdigest(),
        )
        document.file.save(digest.hexdigest()[:16], ContentFile(checked.content), save=False)
        document.save()
        record_event(
            current, CaseEvent.Kind.DOCUMENT_ADDED, actor, document_kind=kind, sha256=document.sha256
        )
    return document


def record_agreed_override(
    *,
    actor: User,
    case: Case,
    deadline: Deadline,
    agreed_date: datetime.date,
    note: str,
) -> Deadline:
    """A date the parties agreed in writing instead of the statutory one (regulation 42(5)).

    The statutory date stays on the row and is shown beside the agreed one.
    """
    if not note.strip():
        raise InvalidChange("Enter where and when the parties agreed the date", field="note")
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("record_agreed_override", case=current, user=actor)
        row = Deadline.objects.select_for_update().filter(pk=deadline.pk, case=current).first()
        if row is None:
            raise InvalidChange("Choose a deadline on this case", field="deadline")
        if row.met_on is not None or row.stopped_on is not None:
            raise InvalidChange("Choose a date that is still running: this one is history", field="deadline")
        if agreed_date < row.start:
            raise InvalidChange(
                "The agreed date must be after the date the clock started from", field="agreed_date"
            )
        if not RULES[row.rule].may_be_varied_by_agreement:
            raise InvalidChange(
                f"The parties cannot agree a different date for: {RULES[row.rule].label}", field="deadline"
            )
        row.agreed_override, row.agreed_override_note = agreed_date, note.strip()
        row.save(update_fields=["agreed_override", "agreed_override_note"])
        record_event(
            current,
            CaseEvent.Kind.OVERRIDE_AGREED,
            actor,
            rule=row.rule,
            statutory_due=row.due,
            agreed=agreed_date,
        )
    return row


def refresh_deadlines_for_holiday(
    *, day: datetime.date, added: bool, calendar: WorkingDayCalendar | None = None
) -> int:
    """After a one-off bank holiday on ``day`` is added or removed, move the running dates it affects.

    Only a date whose count runs across ``day`` can move, forwards (start to due) or backwards (a
    notice due before the date it counts back from); each case changed gets an event that says from
    what to what. Not a person's action, so it has no actor. Without ``calendar`` the holidays are read
    afresh for each case, so a second change made while this runs is not undone. Returns how many
    cases changed.
    """
    affected = (
        Deadline.objects.running()
        .filter(Q(start__lte=day, due__gte=day) | Q(due__lte=day, start__gte=day), step="")
        .values_list("case_id", flat=True)
        .distinct()
    )
    changed = 0
    for case_id in sorted(set(affected)):
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case_id)
            moved = deadlines.recompute_deadlines(case, calendar=calendar or fresh_calendar())
            if moved:
                record_event(
                    case, CaseEvent.Kind.DEADLINES_RECALCULATED, None, holiday=day, added=added, moved=moved
                )
                changed += 1
    logger.info("One-off bank holiday change on %s moved deadlines on %s cases", day.isoformat(), changed)
    return changed
