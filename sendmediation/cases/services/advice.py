"""The advice route: triage, the advice call, and a request for mediation."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import is_la_officer
from sendmediation.cases import deadlines, workflow
from sendmediation.cases.errors import BookingClash, InvalidChange, TransitionNotAllowed
from sendmediation.cases.models import (
    AdviceCall,
    AuthorityContact,
    Case,
    CaseEvent,
    Deadline,
)
from sendmediation.cases.services._common import (
    Status,
    calendar_or_current,
    day_of_last,
    family_link,
    happened_on,
    locked,
    move_to,
    person,
    record_authority_contact,
    record_event,
    refreshed,
    staff_member,
    today_or_given,
)
from sendmediation.cases.timeline import format_moment
from sendmediation.notifications.services import queue_email
from sendmediation.statutory.calendar import WorkingDayCalendar
from sendmediation.statutory.rules import RULES, Binds, RuleCode

logger = logging.getLogger(__name__)

# A missed call is recorded while the family is still waiting for advice: its email asks them to
# get in touch so another call can be booked, which only makes sense before advice is given.
MISSED_CALL_STATUSES = frozenset({Status.TRIAGED, Status.ADVICE_BOOKED})

# A call is booked for now or later. The few minutes' grace lets a form filled in at 2pm for a
# call "at 2pm" through, without letting anyone book a call the family can no longer take.
BOOKING_GRACE = datetime.timedelta(minutes=5)

# An advice call takes about 20 minutes; calls for one adviser closer than this clash.
CALL_SLOT = datetime.timedelta(minutes=30)


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
            data={"from": before, "to": current.status, "kind": current.kind},
        )
    return refreshed(case, current)


def book_advice(
    *,
    actor: User,
    case: Case,
    adviser: User,
    booked_for: datetime.datetime,
    allow_clash: bool = False,
    now: datetime.datetime | None = None,
) -> AdviceCall:
    """Book the advice call with an adviser, who is then assigned to the case. Changing the
    booking tells the family the call has moved, and from when. A time within half an hour of
    another call the adviser has booked is refused with the clash, unless ``allow_clash``."""
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
        if not allow_clash:
            _check_clash(adviser, booked_for, keep=call)
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
            data={
                "from": before,
                "to": current.status,
                "booked_for": booked_for,
                "adviser": person(adviser),
                **extra,
            },
        )
        family = current.parties.family_contact()
        if family is not None and family.email and not unchanged:
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


def _check_clash(adviser: User, booked_for: datetime.datetime, *, keep: AdviceCall | None) -> None:
    clashes = (
        AdviceCall.objects.filter(
            adviser=adviser,
            held_at__isnull=True,
            booked_for__gt=booked_for - CALL_SLOT,
            booked_for__lt=booked_for + CALL_SLOT,
        )
        .exclude(pk=keep.pk if keep is not None else 0)
        .select_related("case")
        .order_by("booked_for")
    )
    clash = clashes.first()
    if clash is not None and clash.booked_for is not None:
        raise BookingClash(
            f"{adviser.display_name} already has a call booked at "
            f"{format_moment(clash.booked_for)} (case {clash.case.reference})",
            reference=clash.case.reference,
            booked_for=clash.booked_for,
        )


def record_advice_outcome(
    *,
    actor: User,
    case: Case,
    outcome: str,
    held_at: datetime.datetime | None = None,
    notes: str = "",
    calendar: WorkingDayCalendar | None = None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> AdviceCall:
    """Record the advice call. Declining mediation starts the certificate clock; asking for it
    requests mediation at once. A call that did not reach the family changes no status or date:
    it is recorded, the family is emailed to get in touch, and another call can be booked."""
    outcome = AdviceCall.Outcome(outcome)
    if held_at is not None:
        _aware(held_at, "held_at")
    now = now or timezone.now()
    moment = held_at or now
    day = timezone.localdate(moment) if held_at else today_or_given(today)
    today = today or timezone.localdate(now)
    cal = calendar_or_current(calendar)
    if day > today:
        raise InvalidChange("The date of the call must be today or in the past", field="held_at")
    if moment > now:
        raise InvalidChange(
            "The time of the call must be in the past: record the call after it ends", field="held_at"
        )
    with transaction.atomic():
        current = locked(case, actor)
        happened_on(
            day,
            field="held_at",
            what="The date of the call",
            today=max(today_or_given(today), day),
            not_before=current.received_on,
            since="when the family got in touch",
        )
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
            calendar=cal,
            data={"from": before, "to": current.status, "outcome": outcome, "held_on": day},
        )
        if outcome == AdviceCall.Outcome.WANTS_MEDIATION:
            _request_mediation(
                current, actor=actor, requested_on=day, calendar=cal, today=max(day, today_or_given(today))
            )
        deadlines.recompute_deadlines(current, calendar=cal)
    refreshed(case, current)
    return call


def _ask_the_family_to_call(case: Case, tried_at: datetime.datetime) -> None:
    family = case.parties.family_contact()
    if family is None or not family.email:
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
    case: Case,
    *,
    actor: User,
    requested_on: datetime.date,
    calendar: WorkingDayCalendar,
    today: datetime.date,
) -> None:
    workflow.check("request_mediation", case=case, user=actor, to=Status.MEDIATION_REQUESTED)
    last_call = case.advice_calls.latest_reached()
    happened_on(
        requested_on,
        field="on",
        what="The date the family asked for mediation",
        today=today,
        not_before=timezone.localdate(last_call.held_at)
        if last_call and last_call.held_at
        else case.received_on,
        since="the day of their advice call" if last_call else "when the family got in touch",
    )
    case.kind = Case.Kind.MEDIATION
    before = move_to(case, Status.MEDIATION_REQUESTED, fields=["kind"])
    record_event(
        case,
        CaseEvent.Kind.MEDIATION_REQUESTED,
        actor,
        calendar=calendar,
        data={
            "from": before,
            "to": case.status,
            "requested_on": requested_on,
            "deadlines": deadlines.started_by(CaseEvent.Kind.MEDIATION_REQUESTED, case),
        },
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
    day = today_or_given(today)
    with transaction.atomic():
        current = locked(case, actor)
        _request_mediation(current, actor=actor, requested_on=requested_on or day, calendar=cal, today=day)
        deadlines.recompute_deadlines(current, calendar=cal)
    return refreshed(case, current)


def _requested_on(case: Case) -> datetime.date:
    return day_of_last(case, CaseEvent.Kind.MEDIATION_REQUESTED, "requested_on") or case.received_on


def notify_la(
    *,
    actor: User,
    case: Case,
    how: str,
    person: str,
    notified_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Case:
    """Record that the local authority was told the family wants mediation: when, how and whom."""
    day = today_or_given(today)
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("notify_la", case=current, user=actor, to=Status.LA_NOTIFIED)
        told = happened_on(
            notified_on or day,
            field="on",
            what="The date the local authority was told",
            today=day,
            not_before=_requested_on(current),
            since="when the family asked for mediation",
        )
        evidence = record_authority_contact(
            current, actor=actor, kind=AuthorityContact.Kind.TOLD, on=told, how=how, person=person
        )
        before = move_to(current, Status.LA_NOTIFIED)
        record_event(
            current,
            CaseEvent.Kind.LA_NOTIFIED,
            actor,
            data={
                "from": before,
                "to": current.status,
                "notified_on": told,
                "how": how,
                "evidence": evidence.pk,
            },
        )
    return refreshed(case, current)


def record_mediation_not_arranged(
    *,
    actor: User,
    case: Case,
    how: str,
    person: str,
    reason: str,
    told_on: datetime.date | None = None,
    calendar: WorkingDayCalendar | None = None,
    today: datetime.date | None = None,
) -> Case:
    """The local authority says it cannot hold the mediation within 30 days: a certificate is due.
    Keeps when it said so, how, who said it and the reason it gave."""
    day = today_or_given(today)
    cal = calendar_or_current(calendar)
    if not reason.strip():
        raise InvalidChange("Enter the reason the local authority gave", field="reason")
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check(
            "record_mediation_not_arranged", case=current, user=actor, to=Status.MEDIATION_NOT_ARRANGED
        )
        said = happened_on(
            told_on or day,
            field="on",
            what="The date the local authority said so",
            today=day,
            not_before=_requested_on(current),
            since="when the family asked for mediation",
        )
        evidence = record_authority_contact(
            current,
            actor=actor,
            kind=AuthorityContact.Kind.CANNOT_HOLD,
            on=said,
            how=how,
            person=person,
            reason=reason,
        )
        before = move_to(current, Status.MEDIATION_NOT_ARRANGED)
        record_event(
            current,
            CaseEvent.Kind.MEDIATION_NOT_ARRANGED,
            actor,
            calendar=cal,
            data={"from": before, "to": current.status, "told_on": said, "how": how, "evidence": evidence.pk},
        )
        deadlines.recompute_deadlines(current, calendar=cal)
    return refreshed(case, current)


def record_mediation_held(
    *,
    actor: User,
    case: Case,
    held_on: datetime.date,
    how: str,
    person: str,
    calendar: WorkingDayCalendar | None = None,
    today: datetime.date | None = None,
) -> Case:
    """The mediation took place on ``held_on`` (who confirmed it, and how): the 30-day duty is met
    and the certificate after mediation falls due."""
    day = today_or_given(today)
    cal = calendar_or_current(calendar)
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("record_mediation_held", case=current, user=actor, to=Status.MEDIATION_HELD)
        held = happened_on(
            held_on,
            field="on",
            what="The date the mediation was held",
            today=day,
            not_before=day_of_last(current, CaseEvent.Kind.LA_NOTIFIED, "notified_on")
            or _requested_on(current),
            since="when the local authority was told",
        )
        evidence = record_authority_contact(
            current, actor=actor, kind=AuthorityContact.Kind.MEDIATION_HELD, on=held, how=how, person=person
        )
        before = move_to(current, Status.MEDIATION_HELD)
        record_event(
            current,
            CaseEvent.Kind.MEDIATION_HELD,
            actor,
            calendar=cal,
            data={"from": before, "to": current.status, "held_on": held, "how": how, "evidence": evidence.pk},
        )
        deadlines.recompute_deadlines(current, calendar=cal)
    return refreshed(case, current)


def la_duties(case: Case) -> list[Deadline]:
    """The running dates the local authority (or a health commissioner) must meet, that staff can
    record as done. Holding the mediation is recorded as the mediation being held."""
    return [
        row
        for row in case.deadlines.running().order_by("due", "id")
        if row.rule in RULES
        and RULES[row.rule].binds == Binds.LOCAL_AUTHORITY
        and row.rule != RuleCode.MEDIATION_BY
    ]


def _check_duty_recorder(case: Case, actor: User) -> None:
    """The workflow table's people may record a duty done; so may an officer of the case's own
    authority, where the case's status allows the action at all."""
    if is_la_officer(actor) and actor.local_authority_id == case.local_authority_id:
        action = workflow.ACTIONS["record_la_duty"]
        if not workflow.role_allows(action, actor):
            if case.status not in action.sources:
                raise TransitionNotAllowed(
                    f"Cannot {action.verb}: the case is '{case.get_status_display().lower()}'",
                    action=action.name,
                    status=case.status,
                )
            return
    workflow.check("record_la_duty", case=case, user=actor)


def record_la_duty(
    *,
    actor: User,
    case: Case,
    rule: str,
    on: datetime.date,
    how: str = "",
    person: str = "",
    step: str | None = None,
    note: str = "",
    calendar: WorkingDayCalendar | None = None,
    today: datetime.date | None = None,
) -> Deadline:
    """The local authority (or health commissioner) says it did what a date required: for example
    that it told each health commissioner the issues, or acted on an agreement.

    ``step`` names one date of the rule (an order's step, or "item-3" for the third item of a
    signed agreement), which is then met on its own; without it every running date of the rule is.
    An officer of the case's own authority may record it too: their word is the evidence (on the
    authority's secure portal, unless they say otherwise)."""
    day = today_or_given(today)
    cal = calendar_or_current(calendar)
    with transaction.atomic():
        current = locked(case, actor)
        _check_duty_recorder(current, actor)
        if is_la_officer(actor):
            how = how or AuthorityContact.How.SECURE_PORTAL
            person = person or actor.display_name
        rows = [row for row in la_duties(current) if row.rule == rule and (step is None or row.step == step)]
        row = next(iter(rows), None)
        if row is None:
            raise InvalidChange(
                "Choose a date the local authority still has to meet", field="step" if step else "rule"
            )
        done = happened_on(
            on,
            field="on",
            what="The date it was done",
            today=day,
            not_before=row.start,
            since="when the date started",
        )
        evidence = record_authority_contact(
            current,
            actor=actor,
            kind=AuthorityContact.Kind.DUTY_DONE,
            on=done,
            how=how,
            person=person,
            rule=rule,
        )
        record_event(
            current,
            CaseEvent.Kind.LA_DUTY_DONE,
            actor,
            calendar=cal,
            rule=rule,
            on=done,
            how=how,
            evidence=evidence.pk,
            data={
                **({"step": step} if step is not None else {}),
                **({"note": note.strip()} if note.strip() else {}),
            },
        )
        row.refresh_from_db()
    return row
