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
from sendmediation.statutory.rules import ORDER_TYPES, RULES, Binds, OrderDeadlines, RuleCode, compute
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


def _agreed_duty(rule: RuleCode) -> Condition:
    """A signed agreement that starts this statutory duty (the agreement says which it starts)."""

    def condition(case: Case, data: Mapping[str, Any]) -> bool:
        return rule in data.get("duties", ())

    return condition


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


def _signed(rule: RuleCode, words: str) -> On:
    return On(Event.AGREEMENT_SIGNED, "signed_on", _agreed_duty(rule), words)


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
        # Arranging (or moving) a meeting starts the clock from the meeting's date and gives the
        # notice at once: late when fewer than 5 working days are left, unless the family agreed.
        RuleCode.MEETING_NOTICE: Clock(
            starts=(On(Event.MEETING_ARRANGED, "starts_on"), On(Event.MEETING_CHANGED, "starts_on")),
            meets=(On(Event.MEETING_ARRANGED, "notice_on"), On(Event.MEETING_CHANGED, "notice_on")),
            stops=(On(Event.MEETING_CANCELLED, "on"),),
        ),
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
            starts=(_signed(RuleCode.AGREEMENT_NON_APPEALABLE, "it covers matters that cannot be appealed"),),
            meets=(On(Event.LA_DUTY_DONE, "on", _duty(RuleCode.AGREEMENT_NON_APPEALABLE), "for this date"),),
        ),
        RuleCode.AGREEMENT_HEALTH_NOTIFIES_LA: Clock(
            starts=(
                _signed(
                    RuleCode.AGREEMENT_HEALTH_NOTIFIES_LA,
                    "the health commissioner agreed something and the local authority is not a party",
                ),
            ),
            meets=(
                On(Event.LA_DUTY_DONE, "on", _duty(RuleCode.AGREEMENT_HEALTH_NOTIFIES_LA), "for this date"),
            ),
        ),
        RuleCode.AGREEMENT_AS_ORDER: Clock(
            starts=(_signed(RuleCode.AGREEMENT_AS_ORDER, "the local authority agreed to act on a decision"),),
            meets=(On(Event.LA_DUTY_DONE, "on", _duty(RuleCode.AGREEMENT_AS_ORDER), "for this date"),),
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
    | {Event.AGREEMENT_SIGNED}
)


def started_by(kind: str, case: Case, data: Mapping[str, Any] | None = None) -> list[str]:
    """The rules an event of ``kind`` starts on this case."""
    return [
        code
        for code, clock in CLOCKS.items()
        if any(trigger.event == kind and trigger.when(case, data or {}) for trigger in clock.starts)
    ]


def follow(case: Case, event: CaseEvent, *, calendar: WorkingDayCalendar) -> None:
    """Move the case's clocks for what just happened: stops first, then starts, then meets (so one
    event can start a clock and meet it, as giving notice of a meeting does when arranging it)."""
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
        for trigger in clock.starts:
            if trigger.applies(event, case):
                _start_for_event(case, code, trigger.day_of(event), event, calendar=calendar)
    if event.kind == Event.AGREEMENT_SIGNED:
        start_agreement_items(case, event)
    for code, clock in CLOCKS.items():
        for trigger in clock.meets:
            if trigger.applies(event, case):
                meet_deadline(
                    case, code, on=trigger.day_of(event), calendar=calendar, step=event.data.get("step")
                )


def _start_for_event(
    case: Case, rule: str, start: datetime.date, event: CaseEvent, *, calendar: WorkingDayCalendar
) -> None:
    """Start a clock, with the order the event names (an agreement treated as an order) and any
    date the parties agreed instead (``agreed``: {rule: {"date": ..., "note": ...}})."""
    if RULES[rule].needs_order:
        rows = start_order_deadlines(case, rule, start, str(event.data.get("order", "")), calendar=calendar)
    else:
        rows = [start_deadline(case, rule, start, calendar=calendar)]
    agreed = (event.data.get("agreed") or {}).get(rule)
    day: datetime.date | None = None
    if agreed:
        value = agreed["date"]
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    # A clock started again by a new event (a meeting moved) keeps no date agreed for the old one.
    for row in rows:
        row.agreed_override, row.agreed_override_note = day, str(agreed["note"]) if agreed else ""
        row.save(update_fields=["agreed_override", "agreed_override_note"])


def start_order_deadlines(
    case: Case, rule: str, start: datetime.date, order: str, *, calendar: WorkingDayCalendar
) -> list[Deadline]:
    """One row per step of an agreement treated as a Tribunal order (regulation 44)."""
    computed = compute(RuleCode.AGREEMENT_AS_ORDER, start, calendar, order=order)
    assert isinstance(computed, OrderDeadlines)
    steps = ORDER_TYPES[computed.order].steps
    rows = []
    for step in steps:
        reason = next((text for text in computed.reasons if text.startswith(step.label)), step.label)
        row, _ = Deadline.objects.update_or_create(
            case=case,
            rule=rule,
            step=step.slug,
            defaults={
                "start": start,
                "due": computed.due[step.slug],
                "reasons": [f"{ORDER_TYPES[computed.order].label}.", reason],
                "met_on": None,
                "working_days_late": None,
                "stopped_on": None,
            },
        )
        rows.append(row)
    return rows


def start_agreement_items(case: Case, event: CaseEvent) -> list[Deadline]:
    """What the local authority (or health commissioner) agreed to do by a date: a deadline each.

    The event lists them as ``items``: [{"number": 1, "by": "YYYY-MM-DD"}]; the words stay in the
    agreement, not in the history."""
    rows = []
    signed = event.data.get("signed_on")
    for item in event.data.get("items", ()):
        by = datetime.date.fromisoformat(str(item["by"]))
        row, _ = Deadline.objects.update_or_create(
            case=case,
            rule=RuleCode.AGREEMENT_NON_APPEALABLE,
            step=f"item-{int(item['number'])}",
            defaults={
                "start": datetime.date.fromisoformat(str(signed)) if signed else by,
                "due": by,
                "reasons": [f"Item {int(item['number'])} of the signed agreement is to be done by then."],
                "met_on": None,
                "working_days_late": None,
                "stopped_on": None,
            },
        )
        rows.append(row)
    return rows


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


def meet_deadline(
    case: Case, rule: str, *, on: datetime.date, calendar: WorkingDayCalendar, step: str | None = None
) -> int:
    """The duty was done on ``on``: the date is met, late by however many working days it was.

    ``step`` names one step of the rule (an order's step, an agreement's item); without it every
    running date of the rule is met."""
    met = 0
    rows = Deadline.objects.filter(case=case, rule=rule).running()
    if step is not None:
        rows = rows.filter(step=step)
    for row in rows:
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
