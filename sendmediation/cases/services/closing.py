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
    locked,
    move_to,
    record_event,
    refreshed,
    today_or_given,
)
from sendmediation.statutory.calendar import WorkingDayCalendar

logger = logging.getLogger(__name__)


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
    day = on or today_or_given(today)
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("withdraw_case", case=current, user=actor, to=Status.WITHDRAWN)
        current.status_before_closing = current.status
        current.closed_on = day
        before = move_to(current, Status.WITHDRAWN, fields=["status_before_closing", "closed_on"])
        deadlines.stop_all(current, on=day)
        record_event(
            current,
            CaseEvent.Kind.WITHDRAWN,
            actor,
            **{"from": before, "to": current.status, "reason": reason.strip(), "on": day},
        )
    return refreshed(case, current)


def close_case(
    *,
    actor: User,
    case: Case,
    outcome: str,
    on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Case:
    outcome = Case.Outcome(outcome)
    day = on or today_or_given(today)
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("close_case", case=current, user=actor, to=Status.CLOSED)
        current.status_before_closing = current.status
        current.closed_on, current.outcome = day, outcome
        before = move_to(current, Status.CLOSED, fields=["status_before_closing", "closed_on", "outcome"])
        deadlines.stop_all(current, on=day)
        record_event(
            current,
            CaseEvent.Kind.CLOSED,
            actor,
            **{"from": before, "to": current.status, "outcome": outcome, "on": day},
        )
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
        current.status_before_closing, current.closed_on, current.outcome = "", None, ""
        before = move_to(current, to, fields=["status_before_closing", "closed_on", "outcome"])
        deadlines.resume_all(current)
        deadlines.recompute_deadlines(current, calendar=cal)
        record_event(
            current,
            CaseEvent.Kind.REOPENED,
            actor,
            **{"from": before, "to": current.status, "reason": reason.strip()},
        )
    return refreshed(case, current)
