"""A case's deadlines as rows, and the one table of what starts, meets and stops each of them.

Services never start or meet a deadline by hand: they record what happened (a ``CaseEvent``) and
``follow`` reads ``CLOCKS`` to move the clocks. The family's two dates follow the case's facts (the
decision letter and the certificate) and are worked out by ``recompute_deadlines``. Met dates are
history: nothing here works them out again.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sendmediation.cases.models import AdviceCall, Case, CaseEvent, Certificate, Deadline
from sendmediation.statutory.calendar import WorkingDayCalendar
from sendmediation.statutory.rules import RULES, Binds, RuleCode, compute
from sendmediation.statutory.rules import Deadline as Computed

Event = CaseEvent.Kind

# Who each rule's date binds, read from the rule itself.
FAMILY_RULES = frozenset(code for code, rule in RULES.items() if rule.binds == Binds.FAMILY)
LA_RULES = frozenset(code for code, rule in RULES.items() if rule.binds == Binds.LOCAL_AUTHORITY)
SERVICE_RULES = frozenset(code for code, rule in RULES.items() if rule.binds == Binds.SERVICE)

Condition = Callable[[Case, Mapping[str, Any]], bool]


def _always(case: Case, data: Mapping[str, Any]) -> bool:
    return True


def _outcome(*outcomes: str, negate: bool = False) -> Condition:
    def condition(case: Case, data: Mapping[str, Any]) -> bool:
        return (data.get("outcome") in outcomes) != negate

    return condition


def _certificate(kind: str) -> Condition:
    def condition(case: Case, data: Mapping[str, Any]) -> bool:
        return data.get("certificate_kind") == kind

    return condition


def _duty(rule: RuleCode) -> Condition:
    def condition(case: Case, data: Mapping[str, Any]) -> bool:
        return data.get("rule") == rule

    return condition


def _health_issues(case: Case, data: Mapping[str, Any]) -> bool:
    return case.issues_health


@dataclass(frozen=True)
class On:
    """An event that moves a clock, the key in its data that holds the day, and when it applies."""

    event: str
    day: str
    when: Condition = _always
    # The condition in words, for the documentation.
    words: str = ""

    def applies(self, event: CaseEvent, case: Case) -> bool:
        return event.kind == self.event and self.when(case, event.data)

    def day_of(self, event: CaseEvent) -> datetime.date:
        value = event.data.get(self.day)
        if isinstance(value, datetime.date):
            return value
        return datetime.date.fromisoformat(str(value))


@dataclass(frozen=True)
class Clock:
    """What starts a rule's clock, what meets the duty and what makes it unnecessary."""

    starts: tuple[On, ...] = ()
    meets: tuple[On, ...] = ()
    stops: tuple[On, ...] = ()
    # Follows the case's facts (the decision letter), not an event.
    from_facts: bool = False
    # Why nothing starts it yet, where nothing does.
    note: str = ""


_AGREEMENT_NOTE = "Started by a signed mediation agreement."

CLOCKS: Mapping[RuleCode, Clock] = MappingProxyType(
    {
        # Met by the family getting in touch with us: the day the case was received.
        RuleCode.CONTACT_ADVISER_BY: Clock(from_facts=True),
        RuleCode.CERTIFICATE_AFTER_ADVICE: Clock(
            starts=(
                On(
                    Event.ADVICE_GIVEN,
                    "held_on",
                    _outcome(AdviceCall.Outcome.DECLINES_MEDIATION),
                    "the family does not want mediation",
                ),
            ),
            meets=(
                On(
                    Event.CERTIFICATE_ISSUED,
                    "issued_on",
                    _certificate(Certificate.Kind.AFTER_ADVICE),
                    "after advice",
                ),
            ),
            stops=(
                On(
                    Event.ADVICE_GIVEN,
                    "held_on",
                    _outcome(AdviceCall.Outcome.DECLINES_MEDIATION, negate=True),
                    "the family now wants something else",
                ),
                On(Event.MEDIATION_REQUESTED, "requested_on"),
            ),
        ),
        RuleCode.MEDIATION_BY: Clock(
            starts=(On(Event.MEDIATION_REQUESTED, "requested_on"),),
            meets=(On(Event.MEDIATION_HELD, "held_on"),),
            stops=(On(Event.MEDIATION_NOT_ARRANGED, "told_on"),),
        ),
        RuleCode.HEALTH_NOTICE: Clock(
            starts=(
                On(
                    Event.MEDIATION_REQUESTED, "requested_on", _health_issues, "health care issues are raised"
                ),
            ),
            meets=(On(Event.LA_DUTY_DONE, "on", _duty(RuleCode.HEALTH_NOTICE), "for this date"),),
        ),
        RuleCode.MEETING_NOTICE: Clock(note="Started by arranging a meeting."),
        RuleCode.CERTIFICATE_WHEN_NOT_ARRANGED: Clock(
            starts=(On(Event.MEDIATION_NOT_ARRANGED, "told_on"),),
            meets=(
                On(
                    Event.CERTIFICATE_ISSUED,
                    "issued_on",
                    _certificate(Certificate.Kind.NOT_ARRANGED),
                    "when mediation could not be arranged",
                ),
            ),
        ),
        RuleCode.CERTIFICATE_AFTER_MEDIATION: Clock(
            starts=(On(Event.MEDIATION_HELD, "held_on"),),
            meets=(
                On(
                    Event.CERTIFICATE_ISSUED,
                    "issued_on",
                    _certificate(Certificate.Kind.AFTER_MEDIATION),
                    "after mediation",
                ),
            ),
        ),
        RuleCode.AGREEMENT_NON_APPEALABLE: Clock(
            meets=(On(Event.LA_DUTY_DONE, "on", _duty(RuleCode.AGREEMENT_NON_APPEALABLE), "for this date"),),
            note=_AGREEMENT_NOTE,
        ),
        RuleCode.AGREEMENT_HEALTH_NOTIFIES_LA: Clock(
            meets=(
                On(Event.LA_DUTY_DONE, "on", _duty(RuleCode.AGREEMENT_HEALTH_NOTIFIES_LA), "for this date"),
            ),
            note=_AGREEMENT_NOTE,
        ),
        RuleCode.AGREEMENT_AS_ORDER: Clock(
            meets=(On(Event.LA_DUTY_DONE, "on", _duty(RuleCode.AGREEMENT_AS_ORDER), "for this date"),),
            note=_AGREEMENT_NOTE,
        ),
        RuleCode.APPEAL_BY: Clock(from_facts=True),
    }
)

# Withdrawing or closing a case stops every running date (nobody has to act on them any more);
# reopening it starts them again.
STOPS_ALL: Mapping[str, str] = MappingProxyType({Event.WITHDRAWN: "on", Event.CLOSED: "on"})
RESUMES_ALL = frozenset({Event.REOPENED})

# The events this module acts on, so that other events cost nothing.
EVENTS = frozenset(
    {trigger.event for clock in CLOCKS.values() for trigger in (*clock.starts, *clock.meets, *clock.stops)}
    | set(STOPS_ALL)
    | RESUMES_ALL
)


def started_by(kind: str, case: Case, data: Mapping[str, Any] | None = None) -> list[str]:
    """The rules an event of ``kind`` starts on this case."""
    return [
        code
        for code, clock in CLOCKS.items()
        if any(trigger.event == kind and trigger.when(case, data or {}) for trigger in clock.starts)
    ]


def follow(case: Case, event: CaseEvent, *, calendar: WorkingDayCalendar) -> None:
    """Move the case's clocks for what just happened: stops first, then meets, then starts."""
    if event.kind not in EVENTS:
        return
    if event.kind in STOPS_ALL:
        stop_all(case, on=On(event.kind, STOPS_ALL[event.kind]).day_of(event))
    if event.kind in RESUMES_ALL:
        resume(case, event.data.get("resumes", []))
    for code, clock in CLOCKS.items():
        for trigger in clock.stops:
            if trigger.applies(event, case):
                stop_deadline(case, code, on=trigger.day_of(event))
    for code, clock in CLOCKS.items():
        for trigger in clock.meets:
            if trigger.applies(event, case):
                meet_deadline(case, code, on=trigger.day_of(event), calendar=calendar)
    for code, clock in CLOCKS.items():
        for trigger in clock.starts:
            if trigger.applies(event, case):
                start_deadline(case, code, trigger.day_of(event), calendar=calendar)


def _computed(rule: str, start: datetime.date, calendar: WorkingDayCalendar, case: Case) -> Computed:
    if rule == RuleCode.APPEAL_BY:
        issued = (
            case.certificates.filter(revoked_on__isnull=True)
            .order_by("-issued_on")
            .values_list("issued_on", flat=True)
            .first()
        )
        result = compute(RuleCode.APPEAL_BY, start, calendar, certificate_issued=issued)
    else:
        result = compute(rule, start, calendar)
    assert isinstance(result, Computed)
    return result


def start_deadline(case: Case, rule: str, start: datetime.date, *, calendar: WorkingDayCalendar) -> Deadline:
    """Start (or restart) the clock for ``rule`` from ``start``."""
    computed = _computed(rule, start, calendar, case)
    deadline, _ = Deadline.objects.update_or_create(
        case=case,
        rule=rule,
        step="",
        defaults={
            "start": start,
            "due": computed.due,
            "reasons": list(computed.reasons),
            "met_on": None,
            "working_days_late": None,
            "stopped_on": None,
        },
    )
    return deadline


def working_days_late(due: datetime.date, done: datetime.date, *, calendar: WorkingDayCalendar) -> int:
    """How many working days after ``due`` the thing was done (0 when on time)."""
    return calendar.working_days_between(due, done) if done > due else 0


def meet_deadline(case: Case, rule: str, *, on: datetime.date, calendar: WorkingDayCalendar) -> int:
    """The duty was done on ``on``: the date is met, late by however many working days it was."""
    met = 0
    for row in Deadline.objects.filter(case=case, rule=rule).running():
        row.met_on = on
        row.working_days_late = working_days_late(row.effective_due, on, calendar=calendar)
        row.save(update_fields=["met_on", "working_days_late"])
        met += 1
    return met


def stop_deadline(case: Case, rule: str, *, on: datetime.date) -> int:
    return Deadline.objects.filter(case=case, rule=rule).running().update(stopped_on=on)


def stop_all(case: Case, *, on: datetime.date) -> int:
    """A withdrawn or closed case: nobody has to act on its dates any more."""
    return Deadline.objects.filter(case=case).running().update(stopped_on=on)


def running_keys(case: Case) -> list[list[str]]:
    """The running dates as [rule, step] pairs, for a closing event to record what it stops."""
    return [
        [rule, step]
        for rule, step in Deadline.objects.filter(case=case).running().values_list("rule", "step")
    ]


def resume(case: Case, keys: list[list[str]]) -> int:
    """Run again exactly the dates a closing stopped (the closing event recorded which)."""
    resumed = 0
    for rule, step in keys:
        resumed += Deadline.objects.filter(
            case=case, rule=rule, step=step, met_on__isnull=True, stopped_on__isnull=False
        ).update(stopped_on=None)
    return resumed


def _follow_facts(case: Case, calendar: WorkingDayCalendar) -> None:
    """The family's two dates follow the decision letter; getting in touch with us meets the first."""
    letter = case.decision_letter_sent
    family = [code for code, clock in CLOCKS.items() if clock.from_facts]
    if letter is None:
        Deadline.objects.filter(case=case, rule__in=family).delete()
        return
    for rule in family:
        existing = Deadline.objects.filter(case=case, rule=rule, step="").first()
        if existing is None or existing.start != letter:
            start_deadline(case, rule, letter, calendar=calendar)
    meet_deadline(case, RuleCode.CONTACT_ADVISER_BY, on=case.received_on, calendar=calendar)


def recompute_deadlines(case: Case, *, calendar: WorkingDayCalendar) -> list[dict[str, str]]:
    """Bring the case's running dates up to date with its facts and the calendar; returns what moved.

    Met and stopped dates are history and stay as they are.
    """
    _follow_facts(case, calendar)
    moved = []
    for row in Deadline.objects.filter(case=case, step="").running().order_by("due", "id"):
        if RULES[row.rule].needs_order:
            continue
        computed = _computed(row.rule, row.start, calendar, case)
        if (row.due, row.reasons) == (computed.due, list(computed.reasons)):
            continue
        if row.due != computed.due:
            moved.append({"rule": row.rule, "from": row.due.isoformat(), "to": computed.due.isoformat()})
        row.due, row.reasons = computed.due, list(computed.reasons)
        row.save(update_fields=["due", "reasons"])
    return moved
