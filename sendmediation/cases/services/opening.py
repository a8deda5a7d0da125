"""Opening a case: keyed in by staff, or from a request for help (accepted or turned down)."""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import ARRANGERS
from sendmediation.cases import deadlines, workflow
from sendmediation.cases.errors import ActionNotPermitted, InvalidChange
from sendmediation.cases.models import (
    Case,
    CaseEvent,
    Decision,
    Document,
    Note,
    Party,
)
from sendmediation.cases.references import allocate_case_reference
from sendmediation.cases.search import index_names
from sendmediation.cases.services._common import (
    Status,
    calendar_or_current,
    checked_birth_date,
    checked_decisions,
    checked_letter_date,
    checked_place,
    create_party,
    family_link,
    happened_on,
    locked,
    move_to,
    record_event,
    staff_member,
    today_or_given,
)
from sendmediation.intake.models import HelpRequest
from sendmediation.intake.services import accept_request, decline_request
from sendmediation.intake.uploads import letter_content_type
from sendmediation.localities.models import LocalAuthority
from sendmediation.notifications.services import queue_email
from sendmediation.statutory.calendar import WorkingDayCalendar
from sendmediation.statutory.rules import RuleCode

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FamilyContact:
    """The parent or young person keyed in with a case."""

    role: str
    name: str
    email: str = ""
    phone: str = ""
    address: str = ""


def _check_can_open(actor: User) -> None:
    if not actor.is_active or actor.role not in workflow.OPEN_CASE_ROLES:
        raise ActionNotPermitted(
            "Cannot open a case: only coordinators and managers open cases",
            action="open_case",
            role=actor.role,
        )


def _create_case(
    *,
    actor: User,
    reference: str,
    local_authority: LocalAuthority,
    kind: str,
    child_first_name: str,
    child_last_name: str,
    child_date_of_birth: datetime.date | None,
    postcode: str,
    decisions: Iterable[str],
    decision_letter_sent: datetime.date | None,
    issues_education: bool,
    issues_health: bool,
    issues_social_care: bool,
    summary: str,
    received_on: datetime.date,
    coordinator: User | None,
    source_request: HelpRequest | None,
    calendar: WorkingDayCalendar,
    today: datetime.date,
    confirm_other_authority: bool = False,
) -> Case:
    if not child_first_name.strip():
        raise InvalidChange("Enter the child's first name", field="child_first_name")
    if not child_last_name.strip():
        raise InvalidChange("Enter the child's last name", field="child_last_name")
    happened_on(received_on, field="received_on", what="The date we heard from the family", today=today)
    child_date_of_birth = checked_birth_date(child_date_of_birth, today=today)
    decision_letter_sent = checked_letter_date(decision_letter_sent, today=today)
    postcode = checked_place(local_authority, postcode, confirmed=confirm_other_authority, today=today)
    case = Case.objects.create(
        reference=reference,
        kind=Case.Kind(kind),
        status=Status.RECEIVED,
        local_authority=local_authority,
        child_first_name=child_first_name.strip(),
        child_last_name=child_last_name.strip(),
        child_date_of_birth=child_date_of_birth,
        postcode=postcode.strip().upper(),
        decisions=checked_decisions(decisions),
        decision_letter_sent=decision_letter_sent,
        issues_education=issues_education,
        issues_health=issues_health,
        issues_social_care=issues_social_care,
        summary=summary.strip(),
        received_on=received_on,
        coordinator=staff_member(coordinator, ARRANGERS, "a coordinator", field="coordinator"),
        source_request=source_request,
    )
    record_event(
        case,
        CaseEvent.Kind.OPENED,
        actor,
        to=Status.RECEIVED,
        kind=case.kind,
        source="request" if source_request else "keyed_in",
        request=source_request.reference if source_request else "",
    )
    index_names(case)
    deadlines.recompute_deadlines(case, calendar=calendar)
    return case


def open_case(
    *,
    actor: User,
    local_authority: LocalAuthority,
    kind: str,
    child_first_name: str,
    child_last_name: str,
    child_date_of_birth: datetime.date | None = None,
    postcode: str = "",
    decisions: Iterable[str] = (),
    decision_letter_sent: datetime.date | None = None,
    issues_education: bool = True,
    issues_health: bool = False,
    issues_social_care: bool = False,
    summary: str = "",
    family: FamilyContact | None = None,
    coordinator: User | None = None,
    received_on: datetime.date | None = None,
    triage: bool = False,
    confirm_other_authority: bool = False,
    calendar: WorkingDayCalendar | None = None,
    today: datetime.date | None = None,
) -> Case:
    """Open a case keyed in by staff (for example from a phone call), with a new reference.

    With ``triage`` the person opening it has confirmed what the family needs, so it is triaged too.
    A postcode in another local authority is refused unless ``confirm_other_authority``.
    """
    _check_can_open(actor)
    day = today_or_given(today)
    with transaction.atomic():
        case = _create_case(
            actor=actor,
            reference=allocate_case_reference(on=day),
            local_authority=local_authority,
            kind=kind,
            child_first_name=child_first_name,
            child_last_name=child_last_name,
            child_date_of_birth=child_date_of_birth,
            postcode=postcode,
            decisions=decisions,
            decision_letter_sent=decision_letter_sent,
            issues_education=issues_education,
            issues_health=issues_health,
            issues_social_care=issues_social_care,
            summary=summary,
            received_on=received_on or day,
            # A coordinator who keys a case in looks after it, unless they name someone else.
            coordinator=coordinator or (actor if actor.role == User.Role.COORDINATOR else None),
            source_request=None,
            calendar=calendar_or_current(calendar),
            today=day,
            confirm_other_authority=confirm_other_authority,
        )
        if family is not None:
            create_party(
                case,
                role=family.role,
                name=family.name,
                email=family.email,
                phone=family.phone,
                address=family.address,
            )
        if triage:
            _triage_on_opening(case, actor)
        if family is not None and family.email:
            _tell_the_family(case, email=family.email, name=family.name, call_by=None)
    logger.info("Case %s opened by user id=%s", case.reference, actor.pk)
    return case


_KIND_FOR_HELP: dict[str, str] = {
    HelpRequest.HelpWanted.ADVICE: Case.Kind.ADVICE_ONLY,
    HelpRequest.HelpWanted.MEDIATION: Case.Kind.MEDIATION,
    HelpRequest.HelpWanted.DISAGREEMENT_RESOLUTION: Case.Kind.DISAGREEMENT_RESOLUTION,
    HelpRequest.HelpWanted.NOT_SURE: Case.Kind.MEDIATION,
}


def split_name(full_name: str) -> tuple[str, str]:
    """'Amara Jane Okafor' -> ('Amara Jane', 'Okafor'): staff can correct it when accepting."""
    parts = full_name.split()
    if len(parts) < 2:
        return (parts[0] if parts else "", "")
    return " ".join(parts[:-1]), parts[-1]


def kind_for_request(help_request: HelpRequest) -> str:
    return _KIND_FOR_HELP.get(help_request.help_wanted, Case.Kind.MEDIATION)


def _file_sha256(field: Any) -> str:
    digest = hashlib.sha256()
    with field.open("rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


def open_case_from_request(
    *,
    actor: User,
    help_request: HelpRequest,
    child_first_name: str | None = None,
    child_last_name: str | None = None,
    local_authority: LocalAuthority | None = None,
    kind: str | None = None,
    triage: bool = False,
    confirm_other_authority: bool = False,
    calendar: WorkingDayCalendar | None = None,
    today: datetime.date | None = None,
) -> Case:
    """Accept a request and open its case, which keeps the request's reference.

    With ``triage`` the person accepting has also confirmed what the family needs (the kind), so
    the case is triaged at once rather than asking the same question again.
    """
    _check_can_open(actor)
    first, last = split_name(help_request.child_name)
    authority = local_authority or help_request.local_authority
    if authority is None:
        raise InvalidChange("Choose the local authority", field="local_authority")
    decisions = [code for code in help_request.decisions if code in Decision.values]
    with transaction.atomic():
        accept_request(actor=actor, help_request=help_request)
        received = timezone.localdate(help_request.created_at)
        summary = ""
        if help_request.disagreement_with:
            summary = "Disagreement with: " + ", ".join(help_request.disagreement_with_labels())
        case = _create_case(
            actor=actor,
            reference=help_request.reference,
            local_authority=authority,
            kind=kind or kind_for_request(help_request),
            child_first_name=child_first_name if child_first_name is not None else first,
            child_last_name=child_last_name if child_last_name is not None else last,
            child_date_of_birth=help_request.child_date_of_birth,
            postcode=help_request.postcode,
            decisions=decisions,
            decision_letter_sent=help_request.decision_letter_date,
            issues_education=any(code not in ("health_care", "social_care") for code in decisions)
            or not decisions,
            issues_health="health_care" in decisions or "health" in help_request.disagreement_with,
            issues_social_care="social_care" in decisions,
            summary=summary,
            received_on=received,
            coordinator=actor if actor.role == User.Role.COORDINATOR else None,
            source_request=help_request,
            calendar=calendar_or_current(calendar),
            today=max(today_or_given(today), received),
            confirm_other_authority=confirm_other_authority,
        )
        role = (
            Party.Role.YOUNG_PERSON if help_request.who == HelpRequest.Who.YOUNG_PERSON else Party.Role.PARENT
        )
        create_party(
            case,
            role=role,
            name=help_request.contact_name,
            email=help_request.email,
            phone=help_request.phone,
        )
        if help_request.who == HelpRequest.Who.PROFESSIONAL and help_request.referrer_name:
            create_party(
                case,
                role=Party.Role.OTHER,
                name=help_request.referrer_name,
                organisation=help_request.referrer_organisation,
                email=help_request.referrer_email,
                phone=help_request.referrer_phone,
            )
        if help_request.decision_letter:
            Document.objects.create(
                case=case,
                file=help_request.decision_letter.name,
                name=help_request.decision_letter_name or "Decision letter",
                kind=Document.Kind.DECISION_LETTER,
                content_type=letter_content_type(help_request.decision_letter_type),
                size=help_request.decision_letter_size or 0,
                uploaded_by=actor,
                from_family=True,
                sha256=_file_sha256(help_request.decision_letter),
            )
        adjustments = _adjustments(help_request)
        if adjustments:
            Note.objects.create(case=case, author=actor, text=f"From the family's request:\n{adjustments}")
        if triage:
            _triage_on_opening(case, actor)
        if help_request.email:
            promised = help_request.reply_by
            _tell_the_family(
                case,
                email=help_request.email,
                name=help_request.contact_name,
                call_by=promised if promised >= timezone.localdate() else None,
            )
    logger.info("Request %s accepted as a case by user id=%s", case.reference, actor.pk)
    return case


def _triage_on_opening(case: Case, actor: User) -> None:
    workflow.check("triage", case=case, user=actor, to=Status.TRIAGED)
    before = move_to(case, Status.TRIAGED)
    record_event(
        case, CaseEvent.Kind.TRIAGED, actor, data={"from": before, "to": case.status, "kind": case.kind}
    )


def _tell_the_family(case: Case, *, email: str, name: str, call_by: datetime.date | None) -> None:
    """Email the family its case link, what happens next and, where it runs, the appeal time limit."""
    appeal = case.deadlines.filter(rule=RuleCode.APPEAL_BY).first()
    queue_email(
        to=email,
        template="case_opened",
        context={
            "reference": case.reference,
            "name": name,
            "case_link": family_link(case),
            "kind": case.kind,
            "appeal_by": appeal.due.isoformat() if appeal else "",
            "adviser_call_by": call_by.isoformat() if call_by else "",
        },
        dedupe_key=f"case-opened:{case.pk}",
        case=case,
    )


def _adjustments(help_request: HelpRequest) -> str:
    lines = []
    if help_request.needs_interpreter:
        lines.append(f"Needs an interpreter: {help_request.interpreter_language or 'language not given'}")
    if help_request.needs_bsl:
        lines.append("Needs a British Sign Language interpreter")
    if help_request.other_adjustments:
        lines.append(f"Other adjustments: {help_request.other_adjustments}")
    if help_request.good_times_to_call:
        lines.append(f"Good times to call: {help_request.good_times_to_call}")
    return "\n".join(lines)


def decline_help_request(
    *,
    actor: User,
    help_request: HelpRequest,
    reason: str,
    note: str = "",
    duplicate_of: Case | None = None,
) -> HelpRequest:
    """Turn a request down; a duplicate is noted on the case it repeats, so staff know they asked again."""
    with transaction.atomic():
        declined = decline_request(
            actor=actor, help_request=help_request, reason=HelpRequest.DeclineReason(reason), note=note
        )
        if duplicate_of is not None:
            case = locked(duplicate_of, actor)
            record_event(case, CaseEvent.Kind.DUPLICATE_REQUEST, actor, request=help_request.reference)
    return declined
