"""Disagreement resolution: asking for, and recording, every party's consent.

Every party to the disagreement must agree before a meeting is arranged. Each organisation with an
email address gets a single-purpose link to agree or decline; staff record the family's answer, and
any answer given by phone, email, letter or in person, with who gave it and how. One refusal ends the
route, and the family is told what they can do instead. Disagreement resolution never produces a
certificate.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases import workflow
from sendmediation.cases.errors import InvalidChange
from sendmediation.cases.models import (
    Case,
    CaseEvent,
    ConsentRequest,
    Party,
)
from sendmediation.cases.services._common import (
    Status,
    day_of_last,
    family_link,
    happened_on,
    locked,
    move_to,
    record_event,
    refreshed,
    today_or_given,
)
from sendmediation.notifications.services import cancel_email, queue_email
from sendmediation.statutory.rules import RuleCode

logger = logging.getLogger(__name__)

# How long an organisation's link to answer works, unless DR_CONSENT_LINK_DAYS says otherwise.
DR_CONSENT_LINK_DAYS = 21

# How an answer staff record reached us (a link answers for itself).
STAFF_HOWS = (
    Party.AnswerHow.PHONE,
    Party.AnswerHow.EMAIL,
    Party.AnswerHow.LETTER,
    Party.AnswerHow.IN_PERSON,
)

# Supporters and others attend with the parties; they are not parties whose consent is needed.
CONSENTING_ROLES = frozenset(
    {
        Party.Role.PARENT,
        Party.Role.YOUNG_PERSON,
        Party.Role.LA_OFFICER,
        Party.Role.HEALTH_COMMISSIONER,
        Party.Role.EDUCATION_PROVIDER,
    }
)


def link_days() -> int:
    return int(getattr(settings, "DR_CONSENT_LINK_DAYS", DR_CONSENT_LINK_DAYS))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def consent_url(token: str) -> str:
    """The full address of an organisation's page to answer, for emails."""
    try:
        return settings.SITE_URL + reverse("cases_public:dr_consent", args=[token])
    except NoReverseMatch:  # the public pages are not mounted in this deployment
        return ""


def asked_by_link(party: Party) -> bool:
    """Whether this party answers through a link of its own: an organisation with an email address."""
    return party.role in CONSENTING_ROLES and not party.is_family and bool(party.email)


def _link_dedupe_key(request_id: int) -> str:
    return f"dr-consent-link:{request_id}"


def _send_links(case: Case, actor: User | None, parties: Sequence[Party], *, now: datetime.datetime) -> int:
    """Send a link to each of these parties that answers by link, has not answered yet and has no
    link still working. Only the token's hash is kept; the token itself goes in the email."""
    sent = 0
    for party in parties:
        if not asked_by_link(party) or party.dr_consent != Party.Consent.PENDING:
            continue
        if party.consent_requests.outstanding().filter(expires_at__gt=now).exists():
            continue
        token = secrets.token_urlsafe(32)
        request = ConsentRequest.objects.create(
            party=party,
            token_hash=token_hash(token),
            sent_at=now,
            expires_at=now + datetime.timedelta(days=link_days()),
        )
        queue_email(
            to=party.email,
            template="dr_consent_request",
            context={
                "reference": case.reference,
                "name": party.name,
                "organisation": party.organisation,
                "link": consent_url(token),
                "answer_by": timezone.localdate(request.expires_at).isoformat(),
            },
            dedupe_key=_link_dedupe_key(request.pk),
            case=case,
        )
        # The party's role and row, never its name or address: the history is read widely.
        record_event(
            case,
            CaseEvent.Kind.DR_CONSENT_LINK_SENT,
            actor,
            data={
                "party_role": party.role,
                "party_id": party.pk,
                "expires_on": timezone.localdate(request.expires_at),
            },
        )
        sent += 1
    return sent


def void_consent_links(
    case: Case, *, party: Party | None = None, now: datetime.datetime | None = None
) -> int:
    """Stop the links still outstanding on a case (or for one party), and any of their emails not yet gone."""
    outstanding = ConsentRequest.objects.outstanding().filter(party__case=case)
    if party is not None:
        outstanding = outstanding.filter(party=party)
    ids = list(outstanding.values_list("pk", flat=True))
    if ids:
        ConsentRequest.objects.filter(pk__in=ids).update(voided_at=now or timezone.now())
        for request_id in ids:
            cancel_email(dedupe_key=_link_dedupe_key(request_id))
    return len(ids)


def void_links_when_case_stops(sender: Any, *, case: Case, **kwargs: Any) -> None:
    """A withdrawn or closed case asks nobody anything more (connected in the app's ready())."""
    void_consent_links(case)


def seek_dr_consent(*, actor: User, case: Case, now: datetime.datetime | None = None) -> Case:
    """Ask every party whether they agree to take part in disagreement resolution: each organisation
    with an email address is sent a link to answer; the others are asked by phone."""
    now = now or timezone.now()
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("seek_dr_consent", case=current, user=actor, to=Status.CONSENT_PENDING)
        before = move_to(current, Status.CONSENT_PENDING)
        record_event(
            current, CaseEvent.Kind.DR_CONSENT_SOUGHT, actor, data={"from": before, "to": current.status}
        )
        _send_links(current, actor, list(current.parties.all()), now=now)
    return refreshed(case, current)


def _consent_status(parties: Sequence[Party]) -> str:
    consenting = [party for party in parties if party.role in CONSENTING_ROLES]
    if any(party.dr_consent == Party.Consent.NO for party in consenting):
        return Status.CONSENT_REFUSED
    has_family = any(party.is_family for party in consenting)
    has_other_side = any(not party.is_family for party in consenting)
    if has_family and has_other_side and all(party.dr_consent == Party.Consent.YES for party in consenting):
        return Status.CONSENT_GIVEN
    return Status.CONSENT_PENDING


def ask_by_phone(case: Case) -> list[Party]:
    """The parties still to answer who have no link: the family, and organisations without email."""
    if case.status != Status.CONSENT_PENDING:
        return []
    return [
        party
        for party in case.parties.all()
        if party.role in CONSENTING_ROLES
        and party.dr_consent == Party.Consent.PENDING
        and not asked_by_link(party)
    ]


def reopen_consent_for_new_party(case: Case, party: Party, *, actor: User) -> None:
    """Someone new takes part while consent is being asked for, or after everyone had agreed: their
    answer is needed too, and an organisation with an email address is sent its link."""
    if party.role not in CONSENTING_ROLES:
        return
    if case.status == Status.CONSENT_GIVEN:
        before = move_to(case, Status.CONSENT_PENDING)
        record_event(
            case,
            CaseEvent.Kind.DR_CONSENT_REOPENED,
            actor,
            data={"from": before, "to": case.status, "party_role": party.role},
        )
    if case.status == Status.CONSENT_PENDING:
        _send_links(case, actor, [party], now=timezone.now())


def _checked_consent(consent: str) -> str:
    try:
        answer = Party.Consent(consent)
    except ValueError:
        answer = Party.Consent.PENDING
    if answer == Party.Consent.PENDING:
        raise InvalidChange("Choose whether they agreed to take part", field="consent")
    return answer


def _settle(
    current: Case,
    row: Party,
    *,
    actor: User | None,
    consent: str,
    day: datetime.date,
    data: dict[str, Any],
    now: datetime.datetime,
) -> Party:
    """Save one party's answer, move the case if that settles it, and write what happened. The case
    is locked and the answer checked by the caller."""
    row.dr_consent, row.dr_consent_on = consent, day
    row.save(
        update_fields=[
            "dr_consent",
            "dr_consent_on",
            "dr_consent_answered_by",
            "dr_consent_how",
            "dr_consent_reason",
        ]
    )
    to = _consent_status(list(current.parties.all()))
    if actor is not None:
        workflow.check("record_dr_consent", case=current, user=actor, to=to)
    before = move_to(current, to)
    # This party has answered: a link it still holds has nothing left to do.
    void_consent_links(current, party=row, now=now)
    if to != Status.CONSENT_PENDING:
        void_consent_links(current, now=now)
    family = current.parties.family_contact() if to == Status.CONSENT_REFUSED else None
    event = record_event(
        current,
        CaseEvent.Kind.DR_CONSENT_RECORDED,
        actor,
        data={
            "from": before,
            "to": to,
            "party_role": row.role,
            "party_id": row.pk,
            "consent": consent,
            "on": day,
            **data,
            **({"family_emailed": bool(family and family.email)} if to == Status.CONSENT_REFUSED else {}),
        },
    )
    if family is not None and family.email:
        appeal = current.deadlines.filter(rule=RuleCode.APPEAL_BY).first()
        queue_email(
            to=family.email,
            template="dr_consent_refused",
            context={
                "reference": current.reference,
                "name": family.name,
                "case_link": family_link(current),
                "appeal_by": appeal.due.isoformat() if appeal else "",
            },
            dedupe_key=f"dr-consent-refused:{event.pk}:family",
            case=current,
        )
    return row


def record_dr_consent(
    *,
    actor: User,
    case: Case,
    party: Party,
    consent: str,
    on: datetime.date | None = None,
    today: datetime.date | None = None,
    answered_by: str | None = None,
    how: str | None = None,
    reason: str = "",
) -> Party:
    """Record one party's answer, given to staff. Everyone agreeing, or anyone refusing, settles it.

    ``answered_by`` (who gave the answer) and ``how`` (phone, email, letter or in person) are needed
    together: a door that asks for one must give both. Doors written before they existed may leave
    both out. ``reason`` is why they did not agree, in their words, when they gave one."""
    consent = _checked_consent(consent)
    if answered_by is not None or how is not None:
        answered_by = (answered_by or "").strip()
        if not answered_by:
            raise InvalidChange("Enter who gave the answer", field="answered_by")
        if how not in STAFF_HOWS:
            raise InvalidChange("Choose how the answer came: phone, email, letter or in person", field="how")
    now = timezone.now()
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("record_dr_consent", case=current, user=actor)
        day = happened_on(
            on or today_or_given(today),
            field="on",
            what="The date they answered",
            today=today_or_given(today),
            not_before=day_of_last(current, CaseEvent.Kind.DR_CONSENT_SOUGHT, "on"),
            since="when their consent was asked for",
        )
        row = Party.objects.select_for_update().filter(pk=party.pk, case=current).first()
        if row is None:
            raise InvalidChange("Choose a party on this case", field="party")
        if row.role not in CONSENTING_ROLES:
            raise InvalidChange("Only the parties to the disagreement are asked for consent", field="party")
        row.dr_consent_answered_by = (answered_by or "")[:200]
        row.dr_consent_how = how or ""
        row.dr_consent_reason = reason.strip() if consent == Party.Consent.NO else ""
        _settle(
            current,
            row,
            actor=actor,
            consent=consent,
            day=day,
            data={"via": "staff", **({"how": how} if how else {})},
            now=now,
        )
    refreshed(case, current)
    return row


# --- answering through a link ---------------------------------------------------------------------


class ConsentLinkProblem(Exception):
    """A link that cannot be used to answer, and why: unknown, expired, used or voided."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    VOIDED = "voided"

    def __init__(self, problem: str, request: ConsentRequest | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.request = request


def consent_request_for(token: str, *, now: datetime.datetime | None = None) -> ConsentRequest:
    """The link a token opens, if it can still be answered; ConsentLinkProblem says why not."""
    now = now or timezone.now()
    request = (
        ConsentRequest.objects.select_related("party", "party__case", "party__case__local_authority")
        .filter(token_hash=token_hash(token))
        .first()
        if token
        else None
    )
    if request is None:
        raise ConsentLinkProblem(ConsentLinkProblem.UNKNOWN)
    if request.used_at is not None:
        raise ConsentLinkProblem(ConsentLinkProblem.USED, request)
    if request.voided_at is not None:
        raise ConsentLinkProblem(ConsentLinkProblem.VOIDED, request)
    case = request.party.case
    if case.status != Status.CONSENT_PENDING or case.kind != Case.Kind.DISAGREEMENT_RESOLUTION:
        raise ConsentLinkProblem(ConsentLinkProblem.VOIDED, request)
    if request.expires_at <= now:
        raise ConsentLinkProblem(ConsentLinkProblem.EXPIRED, request)
    return request


def answer_dr_consent(
    *,
    token: str,
    consent: str,
    reason: str = "",
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> ConsentRequest:
    """An organisation answers through its link: agree, or decline with a reason. The answer is
    recorded with no staff member as its actor, and the link is then used up."""
    now = now or timezone.now()
    consent = _checked_consent(consent)
    reason = reason.strip()
    if consent == Party.Consent.NO and not reason:
        raise InvalidChange("Tell us why you do not agree to disagreement resolution", field="reason")
    found = consent_request_for(token, now=now)
    with transaction.atomic():
        # The case first, then the link: the same order as a member of staff recording an answer.
        current = Case.objects.select_for_update().get(pk=found.party.case_id)
        ConsentRequest.objects.select_for_update().filter(pk=found.pk).first()
        request = consent_request_for(token, now=now)  # again, now nobody else can answer it
        row = Party.objects.select_for_update().get(pk=request.party_id)
        ConsentRequest.objects.filter(pk=request.pk).update(used_at=now, answered_from=ip or None)
        row.dr_consent_answered_by = ""
        row.dr_consent_how = Party.AnswerHow.LINK
        row.dr_consent_reason = reason if consent == Party.Consent.NO else ""
        _settle(
            current,
            row,
            actor=None,
            consent=consent,
            day=timezone.localdate(now),
            data={"via": "link"},
            now=now,
        )
    request.refresh_from_db()
    logger.info("Consent link id=%s answered on case %s", request.pk, current.reference)
    return request
