"""Disagreement resolution: asking for, and recording, every party's consent."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence

from django.db import transaction

from sendmediation.accounts.models import User
from sendmediation.cases import workflow
from sendmediation.cases.errors import InvalidChange
from sendmediation.cases.models import (
    Case,
    CaseEvent,
    Party,
)
from sendmediation.cases.services._common import (
    Status,
    day_of_last,
    happened_on,
    locked,
    move_to,
    record_event,
    refreshed,
    today_or_given,
)

logger = logging.getLogger(__name__)


def seek_dr_consent(*, actor: User, case: Case) -> Case:
    """Ask every party whether they agree to take part in disagreement resolution."""
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("seek_dr_consent", case=current, user=actor, to=Status.CONSENT_PENDING)
        before = move_to(current, Status.CONSENT_PENDING)
        record_event(
            current, CaseEvent.Kind.DR_CONSENT_SOUGHT, actor, data={"from": before, "to": current.status}
        )
    return refreshed(case, current)


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


def _consent_status(parties: Sequence[Party]) -> str:
    consenting = [party for party in parties if party.role in CONSENTING_ROLES]
    if any(party.dr_consent == Party.Consent.NO for party in consenting):
        return Status.CONSENT_REFUSED
    has_family = any(party.is_family for party in consenting)
    has_other_side = any(not party.is_family for party in consenting)
    if has_family and has_other_side and all(party.dr_consent == Party.Consent.YES for party in consenting):
        return Status.CONSENT_GIVEN
    return Status.CONSENT_PENDING


def reopen_consent_for_new_party(case: Case, party: Party, *, actor: User) -> None:
    """Everyone had agreed, and now someone new takes part: their answer is needed too."""
    if case.status != Status.CONSENT_GIVEN or party.role not in CONSENTING_ROLES:
        return
    before = move_to(case, Status.CONSENT_PENDING)
    record_event(
        case,
        CaseEvent.Kind.DR_CONSENT_REOPENED,
        actor,
        data={"from": before, "to": case.status, "party_role": party.role},
    )


def record_dr_consent(
    *,
    actor: User,
    case: Case,
    party: Party,
    consent: str,
    on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Party:
    """Record one party's answer. Everyone agreeing, or anyone refusing, settles it."""
    consent = Party.Consent(consent)
    if consent == Party.Consent.PENDING:
        raise InvalidChange("Choose whether they agreed to take part", field="consent")
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
        row.dr_consent, row.dr_consent_on = consent, day
        row.save(update_fields=["dr_consent", "dr_consent_on"])
        to = _consent_status(list(current.parties.all()))
        workflow.check("record_dr_consent", case=current, user=actor, to=to)
        before = move_to(current, to)
        record_event(
            current,
            CaseEvent.Kind.DR_CONSENT_RECORDED,
            actor,
            data={"from": before, "to": to, "party_role": row.role, "consent": consent, "on": day},
        )
    refreshed(case, current)
    return row
