"""The advice route: triage, the advice call, and a request for mediation."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases import deadlines, workflow
from sendmediation.cases.errors import InvalidChange
from sendmediation.cases.models import (
    AdviceCall,
    Case,
    CaseEvent,
    Party,
)
from sendmediation.cases.services._common import (
    Status,
    calendar_or_current,
    family_link,
    locked,
    move_to,
    person,
    record_event,
    refreshed,
    staff_member,
    today_or_given,
)
from sendmediation.notifications.services import queue_email
from sendmediation.statutory.calendar import WorkingDayCalendar

logger = logging.getLogger(__name__)

# A missed call is recorded while the family is still waiting for advice: its email asks them to
# get in touch so another call can be booked, which only makes sense before advice is given.
MISSED_CALL_STATUSES = frozenset({Status.TRIAGED, Status.ADVICE_BOOKED})

# A call is booked for now or later. The few minutes' grace lets a form filled in at 2pm for a
# call "at 2pm" through, without letting anyone book a call the family can no longer take.
BOOKING_GRACE = datetime.timedelta(minutes=5)


def _aware(moment: datetime.datetime, field: str) -> None:
    """A time without its offset could be an hour out half the year, so it is refused, not guessed."""
    if timezone.is_naive(moment):
        raise InvalidChange(
            "Give the time with its offset from UTC, for example 2026-12-04T14:30:00+00:00", field=field
        )


def triage(
    *,
    actor: User,
    case: Case,
    kind: str | None = None,
    today: datetime.date | None = None,
) -> Case:
    """Confirm what the family needs (advice, mediation or disagreement resolution)."""
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("triage", case=current, user=actor, to=Status.TRIAGED)
        if kind is not None:
            current.kind = Case.Kind(kind)
        before = move_to(current, Status.TRIAGED, fields=["kind"])
        record_event(
            current,
            CaseEvent.Kind.TRIAGED,
            actor,
            **{"from": before, "to": current.status, "kind": current.kind},
        )
    return refreshed(case, current)


def book_advice(
    *,
    actor: User,
    case: Case,
    adviser: User,
    booked_for: datetime.datetime,
    now: datetime.datetime | None = None,
) -> AdviceCall:
    """Book the advice call with an adviser, who is then assigned to the case. Changing the
    booking tells the family the call has moved, and from when."""
    _aware(booked_for, "booked_for")
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("book_advice", case=current, user=actor, to=Status.ADVICE_BOOKED)
        if booked_for < (now or timezone.now()) - BOOKING_GRACE:
            raise InvalidChange(
                "The call must be booked for a time that has not passed yet", field="booked_for"
            )
        staff_member(adviser, [User.Role.ADVISER], "an adviser", field="adviser")
        call = current.advice_calls.filter(held_at__isnull=True).order_by("-id").first()
        # The same booking again (a form sent twice) tells the family nothing new.
        unchanged = call is not None and (call.adviser_id, call.booked_for) == (adviser.pk, booked_for)
        previous = call.booked_for if call is not None and call.booked_for != booked_for else None
        extra: dict[str, object] = {}
        if previous is not None:
            extra["previous_booked_for"] = previous
        if call is not None and call.adviser_id != adviser.pk and call.adviser is not None:
            extra["previous_adviser"] = person(call.adviser)
        if call is None:
            call = AdviceCall.objects.create(case=current, adviser=adviser, booked_for=booked_for)
        else:
            call.adviser, call.booked_for = adviser, booked_for
            call.save(update_fields=["adviser", "booked_for"])
        current.adviser = adviser
        before = move_to(current, Status.ADVICE_BOOKED, fields=["adviser"])
        event = record_event(
            current,
            CaseEvent.Kind.ADVICE_BOOKED,
            actor,
            **{
                "from": before,
                "to": current.status,
                "booked_for": booked_for,
                "adviser": person(adviser),
                **extra,
            },
        )
        family = current.parties.filter(role__in=Party.FAMILY_ROLES).exclude(email="").order_by("id").first()
        if family is not None and not unchanged:
            queue_email(
                to=family.email,
                template="advice_call_booked",
                context={
                    "reference": current.reference,
                    "name": family.name,
                    "starts_at": booked_for.isoformat(),
                    "adviser_name": adviser.display_name,
                    "case_link": family_link(current),
                    **({"previous_starts_at": previous.isoformat()} if previous is not None else {}),
                },
                # Every change is a new message, even back to an earlier booking.
                dedupe_key=f"advice-call-booked:{call.pk}:{event.pk}",
                case=current,
            )
    refreshed(case, current)
    return call


def record_advice_outcome(
    *,
    actor: User,
    case: Case,
    outcome: str,
    held_at: datetime.datetime | None = None,
    notes: str = "",
    calendar: WorkingDayCalendar | None = None,
    today: datetime.date | None = None,
) -> AdviceCall:
    """Record the advice call. Declining mediation starts the certificate clock; asking for it
    requests mediation at once. A call that did not reach the family changes no status or date:
    it is recorded, the family is emailed to get in touch, and another call can be booked."""
    outcome = AdviceCall.Outcome(outcome)
    if held_at is not None:
        _aware(held_at, "held_at")
    moment = held_at or timezone.now()
    day = timezone.localdate(moment) if held_at else today_or_given(today)
    cal = calendar_or_current(calendar)
    with transaction.atomic():
        current = locked(case, actor)
        missed = outcome == AdviceCall.Outcome.NO_ANSWER
        workflow.check(
            "record_advice_outcome", case=current, user=actor, to=None if missed else Status.ADVICE_GIVEN
        )
        if missed and current.status not in MISSED_CALL_STATUSES:
            raise InvalidChange(
                "The family has already had advice. Record a call that did not reach them in the notes",
                field="outcome",
            )
        call = current.advice_calls.filter(held_at__isnull=True).order_by("-id").first()
        adviser = actor if actor.role == User.Role.ADVISER else (current.adviser or actor)
        if call is None:
            call = AdviceCall(case=current, adviser=adviser)
        call.held_at, call.outcome, call.notes = moment, outcome, notes.strip()
        call.save()
        if missed:
            record_event(
                current, CaseEvent.Kind.ADVICE_CALL_MISSED, actor, tried_at=moment, status=current.status
            )
            _ask_the_family_to_call(current, moment)
            refreshed(case, current)
            return call
        if current.adviser_id is None and adviser.role == User.Role.ADVISER:
            current.adviser = adviser
        before = move_to(current, Status.ADVICE_GIVEN, fields=["adviser"])
        record_event(
            current,
            CaseEvent.Kind.ADVICE_GIVEN,
            actor,
            **{"from": before, "to": current.status, "outcome": outcome, "held_on": day},
        )
        if outcome == AdviceCall.Outcome.DECLINES_MEDIATION:
            deadlines.start_deadline(current, "certificate_after_advice", day, calendar=cal)
        else:
            deadlines.stop_deadline(current, "certificate_after_advice", on=day)
        if outcome == AdviceCall.Outcome.WANTS_MEDIATION:
            _request_mediation(current, actor=actor, requested_on=day, calendar=cal)
        deadlines.recompute_deadlines(current, calendar=cal)
    refreshed(case, current)
    return call


def _ask_the_family_to_call(case: Case, tried_at: datetime.datetime) -> None:
    family = case.parties.filter(role__in=Party.FAMILY_ROLES).exclude(email="").order_by("id").first()
    if family is None:
        return
    queue_email(
        to=family.email,
        template="advice_call_missed",
        context={
            "reference": case.reference,
            "name": family.name,
            "tried_at": tried_at.isoformat(),
            "case_link": family_link(case),
        },
        dedupe_key=f"advice-call-missed:{case.pk}:{tried_at.isoformat()}",
        case=case,
    )


def _request_mediation(
    case: Case, *, actor: User, requested_on: datetime.date, calendar: WorkingDayCalendar
) -> None:
    workflow.check("request_mediation", case=case, user=actor, to=Status.MEDIATION_REQUESTED)
    case.kind = Case.Kind.MEDIATION
    before = move_to(case, Status.MEDIATION_REQUESTED, fields=["kind"])
    deadlines.stop_deadline(case, "certificate_after_advice", on=requested_on)
    deadlines.start_deadline(case, "mediation_by", requested_on, calendar=calendar)
    started = ["mediation_by"]
    if case.issues_health:
        deadlines.start_deadline(case, "health_notice", requested_on, calendar=calendar)
        started.append("health_notice")
    record_event(
        case,
        CaseEvent.Kind.MEDIATION_REQUESTED,
        actor,
        **{"from": before, "to": case.status, "requested_on": requested_on, "deadlines": started},
    )


def request_mediation(
    *,
    actor: User,
    case: Case,
    requested_on: datetime.date | None = None,
    calendar: WorkingDayCalendar | None = None,
    today: datetime.date | None = None,
) -> Case:
    """The family wants mediation: the 30 days start, and 3 working days for health notice."""
    cal = calendar_or_current(calendar)
    with transaction.atomic():
        current = locked(case, actor)
        _request_mediation(
            current, actor=actor, requested_on=requested_on or today_or_given(today), calendar=cal
        )
        deadlines.recompute_deadlines(current, calendar=cal)
    return refreshed(case, current)


def notify_la(
    *,
    actor: User,
    case: Case,
    notified_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Case:
    """Record that the local authority was told the family wants mediation."""
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("notify_la", case=current, user=actor, to=Status.LA_NOTIFIED)
        before = move_to(current, Status.LA_NOTIFIED)
        record_event(
            current,
            CaseEvent.Kind.LA_NOTIFIED,
            actor,
            **{"from": before, "to": current.status, "notified_on": notified_on or today_or_given(today)},
        )
    return refreshed(case, current)


def record_mediation_not_arranged(
    *,
    actor: User,
    case: Case,
    told_on: datetime.date | None = None,
    calendar: WorkingDayCalendar | None = None,
    today: datetime.date | None = None,
) -> Case:
    """The local authority says it cannot hold the mediation within 30 days: a certificate is due."""
    day = told_on or today_or_given(today)
    cal = calendar_or_current(calendar)
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check(
            "record_mediation_not_arranged", case=current, user=actor, to=Status.MEDIATION_NOT_ARRANGED
        )
        before = move_to(current, Status.MEDIATION_NOT_ARRANGED)
        deadlines.stop_deadline(current, "mediation_by", on=day)
        deadlines.start_deadline(current, "certificate_when_not_arranged", day, calendar=cal)
        record_event(
            current,
            CaseEvent.Kind.MEDIATION_NOT_ARRANGED,
            actor,
            **{"from": before, "to": current.status, "told_on": day},
        )
        deadlines.recompute_deadlines(current, calendar=cal)
    return refreshed(case, current)
