"""Withdrawing, closing and reopening a case."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction

from sendmediation.accounts.models import User
from sendmediation.cases import deadlines, workflow
from sendmediation.cases.errors import InvalidChange
from sendmediation.cases.models import (
    Case,
    CaseEvent,
)
from sendmediation.cases.services._common import (
    Status,
    calendar_or_current,
    happened_on,
    last_step_day,
    locked,
    move_to,
    record_event,
    refreshed,
    today_or_given,
)
from sendmediation.cases.services.family_link import stop_family_link
from sendmediation.cases.signals import case_stopped
from sendmediation.statutory.calendar import WorkingDayCalendar

logger = logging.getLogger(__name__)


def _closing_day(case: Case, on: datetime.date | None, today: datetime.date | None) -> datetime.date:
    day = today_or_given(today)
    return happened_on(
        on or day,
        field="on",
        what="The closing date",
        today=day,
        not_before=last_step_day(case),
        since="the case's last step",
    )


def withdraw_case(
    *,
    actor: User,
    case: Case,
    reason: str,
    on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Case:
    """The family (or the service) stops the case; its deadlines stop with it."""
    if not reason.strip():
        raise InvalidChange("Enter why the case is withdrawn", field="reason")
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("withdraw_case", case=current, user=actor, to=Status.WITHDRAWN)
        day = _closing_day(current, on, today)
        current.status_before_closing = current.status
        current.closed_on = day
        before = move_to(current, Status.WITHDRAWN, fields=["status_before_closing", "closed_on"])
        # A withdrawn case is no longer the family's to follow: links sent so far stop working.
        stop_family_link(current)
        record_event(
            current,
            CaseEvent.Kind.WITHDRAWN,
            actor,
            stops=deadlines.running_keys(current),
            family_link_stopped=True,
            data={"from": before, "to": current.status, "reason": reason.strip(), "on": day},
        )
        case_stopped.send(sender=Case, case=current, actor=actor, on=day)
    return refreshed(case, current)


def _check_against_agreement(case: Case, outcome: str) -> None:
    """The outcome must match what happened: an agreement reached is one everybody signed.

    The agreements app keeps the agreement; casework reads it through the reverse relation."""
    signed = case.agreements.filter(status="signed").exists()
    if outcome == Case.Outcome.AGREEMENT_REACHED and not signed:
        raise InvalidChange(
            "The case cannot close as 'Agreement reached': nobody has signed an agreement yet. Send the "
            "agreement for signature, or choose another outcome",
            field="outcome",
        )
    if outcome == Case.Outcome.NO_AGREEMENT and signed:
        raise InvalidChange(
            "The case cannot close as 'No agreement reached': everybody signed an agreement. Close it as "
            "'Agreement reached'",
            field="outcome",
        )


def close_case(
    *,
    actor: User,
    case: Case,
    outcome: str,
    on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Case:
    outcome = Case.Outcome(outcome)
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("close_case", case=current, user=actor, to=Status.CLOSED)
        allowed = workflow.close_outcomes(current)
        if outcome not in allowed:
            labels = ", ".join(f"'{Case.Outcome(choice).label}'" for choice in allowed)
            raise InvalidChange(
                f"A case that is '{current.get_status_display().lower()}' cannot close as "
                f"'{outcome.label}'. Choose from: {labels}",
                field="outcome",
            )
        _check_against_agreement(current, outcome)
        day = _closing_day(current, on, today)
        current.status_before_closing = current.status
        current.closed_on, current.outcome = day, outcome
        before = move_to(current, Status.CLOSED, fields=["status_before_closing", "closed_on", "outcome"])
        record_event(
            current,
            CaseEvent.Kind.CLOSED,
            actor,
            stops=deadlines.running_keys(current),
            data={"from": before, "to": current.status, "outcome": outcome, "on": day},
        )
        case_stopped.send(sender=Case, case=current, actor=actor, on=day)
    return refreshed(case, current)


def reopen_case(
    *,
    actor: User,
    case: Case,
    reason: str,
    calendar: WorkingDayCalendar | None = None,
) -> Case:
    """Back to where it was before it was withdrawn or closed, with its deadlines running again."""
    if not reason.strip():
        raise InvalidChange("Enter why the case is reopened", field="reason")
    cal = calendar_or_current(calendar)
    with transaction.atomic():
        current = locked(case, actor)
        to = current.status_before_closing or Status.TRIAGED
        workflow.check("reopen_case", case=current, user=actor, to=to)
        closing = (
            current.events.filter(kind__in=[CaseEvent.Kind.WITHDRAWN, CaseEvent.Kind.CLOSED])
            .order_by("-at", "-id")
            .first()
        )
        closed_on = current.closed_on
        if closing is not None and "stops" in closing.data:
            resumes = closing.data["stops"]
        else:  # closed before closings recorded what they stopped: those stopped on its closing day
            resumes = [
                [row.rule, row.step]
                for row in current.deadlines.filter(met_on__isnull=True, stopped_on=current.closed_on)
            ]
        current.status_before_closing, current.closed_on, current.outcome = "", None, ""
        before = move_to(current, to, fields=["status_before_closing", "closed_on", "outcome"])
        record_event(
            current,
            CaseEvent.Kind.REOPENED,
            actor,
            calendar=cal,
            # The dates the closing stopped run again; any stopped for another reason stay stopped.
            resumes=resumes,
            data={"from": before, "to": current.status, "reason": reason.strip(), "closed_on": closed_on},
        )
        deadlines.recompute_deadlines(current, calendar=cal)
    return refreshed(case, current)
