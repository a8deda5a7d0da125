"""The statutory deadline rules for SEND mediation in England.

Each rule takes the date that starts its clock and a working-day calendar, and returns the due
date with the reasons behind it in plain English.  ``RULES`` describes every rule; ``compute``
runs one by its code.  ``due_date`` and ``order_due_dates`` give the same dates without the
reasons, for recomputing many cases at once (for example, after a new bank holiday).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Literal, overload

from .calendar import MONTH_NAMES, WorkingDayCalendar, add_months, format_date
from .errors import UnexpectedArgument, UnknownOrder, UnknownRule

__all__ = [
    "ORDER_TYPES",
    "PERIODS",
    "RULES",
    "Binds",
    "Deadline",
    "FamilyDeadlines",
    "OrderDeadlines",
    "OrderStep",
    "OrderType",
    "Rule",
    "RuleCode",
    "agreement_as_order",
    "agreement_health_notifies_la",
    "agreement_non_appealable",
    "appeal_by",
    "certificate_after_advice",
    "certificate_after_mediation",
    "certificate_when_not_arranged",
    "compute",
    "contact_adviser_by",
    "due_date",
    "family_deadlines",
    "health_notice",
    "mediation_by",
    "meeting_notice",
    "order_choices",
    "order_due_dates",
    "settle_appeal_date",
]


# -- result and metadata types -----------------------------------------------------------------


class RuleCode(StrEnum):
    """The code of every statutory rule; stored on a case's deadlines and used in the API."""

    CONTACT_ADVISER_BY = "contact_adviser_by"
    CERTIFICATE_AFTER_ADVICE = "certificate_after_advice"
    HEALTH_NOTICE = "health_notice"
    MEDIATION_BY = "mediation_by"
    MEETING_NOTICE = "meeting_notice"
    CERTIFICATE_WHEN_NOT_ARRANGED = "certificate_when_not_arranged"
    CERTIFICATE_AFTER_MEDIATION = "certificate_after_mediation"
    AGREEMENT_NON_APPEALABLE = "agreement_non_appealable"
    AGREEMENT_HEALTH_NOTIFIES_LA = "agreement_health_notifies_la"
    AGREEMENT_AS_ORDER = "agreement_as_order"
    APPEAL_BY = "appeal_by"


class Binds(StrEnum):
    """Whose duty a date is: pages show each person their own work, and families theirs."""

    FAMILY = "family"
    # The local authority, or a health commissioner on its side of the table.
    LOCAL_AUTHORITY = "local_authority"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class Deadline:
    """One due date, the date its clock started from, and why it falls where it does."""

    rule: str
    start: date
    due: date
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class OrderDeadlines:
    """The due dates for an agreement treated as a Tribunal order, keyed by step slug."""

    rule: str
    start: date
    order: str
    due: Mapping[str, date]
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        steps = ORDER_TYPES[self.order].steps
        return {
            "rule": self.rule,
            "start": self.start.isoformat(),
            "order": self.order,
            "due": {step.slug: self.due[step.slug].isoformat() for step in steps},
            "labels": {step.slug: step.label for step in steps},
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class FamilyDeadlines:
    """The two dates a family needs after a decision letter."""

    decision_letter_sent: date
    certificate_issued: date | None
    contact_mediation_adviser_by: Deadline
    appeal_by: Deadline

    def as_dict(self) -> dict[str, object]:
        return {
            "decision_letter_sent": self.decision_letter_sent.isoformat(),
            "certificate_issued": (
                None if self.certificate_issued is None else self.certificate_issued.isoformat()
            ),
            "contact_mediation_adviser_by": self.contact_mediation_adviser_by.as_dict(),
            "appeal_by": self.appeal_by.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class Rule:
    """What a rule is for, in words for staff and families."""

    code: RuleCode
    label: str
    who_acts: str
    binds: Binds
    starts_from: str
    period: str
    source: str
    note: str = ""
    needs_order: bool = False
    uses_certificate: bool = False
    # Regulation 42(5): the parties may agree another timescale in writing.
    may_be_varied_by_agreement: bool = False


@dataclass(frozen=True, slots=True)
class OrderStep:
    slug: str
    label: str
    weeks: int


@dataclass(frozen=True, slots=True)
class OrderType:
    slug: str
    label: str
    steps: tuple[OrderStep, ...]


# -- the order types (SEND Regulations 2014, regulation 44) ------------------------------------

_FINAL_PLAN = "Issue the final EHC plan"

ORDER_TYPES: Mapping[str, OrderType] = MappingProxyType(
    {
        order.slug: order
        for order in (
            OrderType(
                "assess",
                "Carry out an EHC needs assessment",
                (
                    OrderStep("notify", "Tell the family it will carry out the assessment", 2),
                    OrderStep("no_plan_decision", "Tell the family if it decides not to issue a plan", 10),
                    OrderStep("final_plan", _FINAL_PLAN, 14),
                ),
            ),
            OrderType(
                "make_plan",
                "Make and maintain an EHC plan",
                (
                    OrderStep("draft_plan", "Issue the draft EHC plan", 5),
                    OrderStep("final_plan", _FINAL_PLAN, 11),
                ),
            ),
            OrderType(
                "amend",
                "Amend the contents of the EHC plan",
                (OrderStep("amended_plan", "Issue the amended EHC plan", 5),),
            ),
            OrderType(
                "name_school",
                "Change only the school or college named in the plan (section I)",
                (OrderStep("amended_plan", "Issue the plan with the new school or college", 2),),
            ),
        )
    }
)


def order_choices() -> list[tuple[str, str]]:
    """(slug, label) pairs for a form's choices, in a sensible order."""
    return [(order.slug, order.label) for order in ORDER_TYPES.values()]


# -- the rule registry -------------------------------------------------------------------------

_REGS = "SEND Regulations 2014"
_VARY_NOTE = "The parties may agree a different timescale in writing (regulation 42(5))."
_SENT_NOTE = (
    "Count from the date the letter was sent, which is the date on the letter, not the day it arrived."
)

RULES: Mapping[str, Rule] = MappingProxyType(
    {
        rule.code: rule
        for rule in (
            Rule(
                code=RuleCode.CONTACT_ADVISER_BY,
                label="Contact a mediation adviser",
                who_acts="Parent or young person",
                binds=Binds.FAMILY,
                starts_from="Date the local authority sent its decision letter",
                period="2 months",
                source=f"{_REGS}, regulation 33",
                note=_SENT_NOTE,
            ),
            Rule(
                code=RuleCode.CERTIFICATE_AFTER_ADVICE,
                label="Issue the mediation certificate after advice",
                who_acts="Mediation adviser",
                binds=Binds.SERVICE,
                starts_from="Day the family says they do not want mediation",
                period="3 working days",
                source=f"{_REGS}, regulation 34 (from IPSEA guidance; to be re-checked)",
            ),
            Rule(
                code=RuleCode.HEALTH_NOTICE,
                label="Tell each health commissioner the health care issues",
                who_acts="Local authority",
                binds=Binds.LOCAL_AUTHORITY,
                starts_from="Day the family asks for mediation that includes health care issues",
                period="3 working days",
                source=f"{_REGS}, regulation 35 (inferred)",
            ),
            Rule(
                code=RuleCode.MEDIATION_BY,
                label="Hold the mediation",
                who_acts="Local authority (health commissioner for health-only mediation)",
                binds=Binds.LOCAL_AUTHORITY,
                starts_from=(
                    "Day the family tells the local authority it wants mediation "
                    "(health-only: the local authority's notice to the health commissioner)"
                ),
                period="30 days",
                source=f"{_REGS}, regulations 35 to 37 (inferred)",
            ),
            Rule(
                code=RuleCode.MEETING_NOTICE,
                label="Give notice of the mediation meeting's date and place",
                who_acts="Whoever arranges the mediation",
                binds=Binds.SERVICE,
                starts_from="Date of the mediation meeting",
                period="5 working days before",
                source="SEND Code of Practice 2015, chapter 11",
                note="Shorter notice is allowed if the family agrees to it.",
            ),
            Rule(
                code=RuleCode.CERTIFICATE_WHEN_NOT_ARRANGED,
                label="Issue the mediation certificate when mediation cannot be held in time",
                who_acts="Mediation adviser",
                binds=Binds.SERVICE,
                starts_from=(
                    "Day the local authority tells the adviser it cannot hold the mediation within 30 days"
                ),
                period="3 working days",
                source=f"{_REGS}, regulation 37 (inferred)",
            ),
            Rule(
                code=RuleCode.CERTIFICATE_AFTER_MEDIATION,
                label="Issue the mediation certificate after mediation",
                who_acts="Mediator",
                binds=Binds.SERVICE,
                starts_from="Day the mediation ends",
                period="3 working days",
                source=f"{_REGS}, regulation 39 (inferred)",
            ),
            Rule(
                code=RuleCode.AGREEMENT_NON_APPEALABLE,
                label="Do what was agreed on matters that cannot be appealed",
                who_acts="Local authority or health commissioner",
                binds=Binds.LOCAL_AUTHORITY,
                starts_from="Date of the mediation agreement",
                period="2 weeks",
                source=f"{_REGS}, regulation 42(3)",
                note=_VARY_NOTE,
                may_be_varied_by_agreement=True,
            ),
            Rule(
                code=RuleCode.AGREEMENT_HEALTH_NOTIFIES_LA,
                label="Health commissioner tells the local authority about the agreement",
                who_acts="Health commissioner",
                binds=Binds.LOCAL_AUTHORITY,
                starts_from="Date of the mediation agreement, where the local authority was not a party",
                period="1 week",
                source=f"{_REGS}, regulation 42(4)",
                note=_VARY_NOTE,
                may_be_varied_by_agreement=True,
            ),
            Rule(
                code=RuleCode.AGREEMENT_AS_ORDER,
                label="Carry out the agreement as if the Tribunal had ordered it",
                who_acts="Local authority",
                binds=Binds.LOCAL_AUTHORITY,
                starts_from="Date of the mediation agreement",
                period="As for a Tribunal order: 2 to 14 weeks, depending on what was agreed",
                source=f"{_REGS}, regulations 42(2) and 44",
                note=_VARY_NOTE,
                needs_order=True,
                may_be_varied_by_agreement=True,
            ),
            Rule(
                code=RuleCode.APPEAL_BY,
                label="Appeal to the SEND Tribunal",
                who_acts="Parent or young person",
                binds=Binds.FAMILY,
                starts_from=(
                    "Date the local authority sent its decision letter, and the date the "
                    "mediation certificate was issued"
                ),
                period=(
                    "The later of 2 months after the decision letter and 1 month after the "
                    "certificate, moved out of 25 December to 1 January and out of August, "
                    "and onto a working day"
                ),
                source=(
                    "Tribunal Procedure (First-tier Tribunal) (Health, Education and Social Care "
                    "Chamber) Rules 2008, rules 12 and 20"
                ),
                note=_SENT_NOTE + " Send form SEND35, with the mediation certificate if needed.",
                uses_certificate=True,
            ),
        )
    }
)


# -- wording -----------------------------------------------------------------------------------


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def _months_reason(start: date, n: int, due: date) -> str:
    text = f"{_count(n, 'month')} after {format_date(start)} is {format_date(due)}"
    if due.day != start.day:
        return (
            f"{text}, the last day of {MONTH_NAMES[due.month]}, as there is no "
            f"{start.day} {MONTH_NAMES[due.month]}"
        )
    return text


def _reasons_for(calendar: WorkingDayCalendar, days: Iterable[date]) -> list[str]:
    return [reason for d in days if (reason := calendar.non_working_reason(d)) is not None]


def _skipped(calendar: WorkingDayCalendar, after: date, before: date) -> list[str]:
    return _reasons_for(calendar, calendar.non_working_days_between(after, before))


# -- the simple rules: one period from one date ------------------------------------------------

Unit = Literal["months", "days", "weeks", "working_days_after", "working_days_before"]

PERIODS: Mapping[str, tuple[Unit, int]] = MappingProxyType(
    {
        RuleCode.CONTACT_ADVISER_BY: ("months", 2),
        RuleCode.CERTIFICATE_AFTER_ADVICE: ("working_days_after", 3),
        RuleCode.HEALTH_NOTICE: ("working_days_after", 3),
        RuleCode.MEDIATION_BY: ("days", 30),
        RuleCode.MEETING_NOTICE: ("working_days_before", 5),
        RuleCode.CERTIFICATE_WHEN_NOT_ARRANGED: ("working_days_after", 3),
        RuleCode.CERTIFICATE_AFTER_MEDIATION: ("working_days_after", 3),
        RuleCode.AGREEMENT_NON_APPEALABLE: ("weeks", 2),
        RuleCode.AGREEMENT_HEALTH_NOTIFIES_LA: ("weeks", 1),
    }
)

_DueFunction = Callable[[date, WorkingDayCalendar], date]


def _due_function(unit: Unit, n: int) -> _DueFunction:
    if unit == "months":
        return lambda start, calendar: add_months(start, n)
    if unit == "working_days_after":
        return lambda start, calendar: calendar.add_working_days(start, n)
    if unit == "working_days_before":
        return lambda start, calendar: calendar.subtract_working_days(start, n)
    step = timedelta(days=n * 7 if unit == "weeks" else n)
    return lambda start, calendar: start + step


_DUE: Mapping[str, _DueFunction] = MappingProxyType(
    {code: _due_function(unit, n) for code, (unit, n) in PERIODS.items()}
)


def _explained(code: str, start: date, calendar: WorkingDayCalendar) -> Deadline:
    unit, n = PERIODS[code]
    due = _DUE[code](start, calendar)
    if unit == "months":
        reasons = [_months_reason(start, n, due)]
    elif unit == "working_days_after":
        reasons = [f"{_count(n, 'working day')} after {format_date(start)} is {format_date(due)}"]
        reasons += _skipped(calendar, start, due)
    elif unit == "working_days_before":
        reasons = [f"{_count(n, 'working day')} before {format_date(start)} is {format_date(due)}"]
        reasons += _skipped(calendar, due, start)
    else:
        amount = _count(n, "week" if unit == "weeks" else "day")
        reasons = [f"{amount} after {format_date(start)} is {format_date(due)}"]
    return Deadline(code, start, due, tuple(reasons))


def contact_adviser_by(start: date, calendar: WorkingDayCalendar) -> Deadline:
    """2 months after the local authority sent its decision letter (regulation 33)."""
    return _explained(RuleCode.CONTACT_ADVISER_BY, _checked(start, "start"), calendar)


def certificate_after_advice(start: date, calendar: WorkingDayCalendar) -> Deadline:
    """3 working days after the family says they do not want mediation (regulation 34)."""
    return _explained(RuleCode.CERTIFICATE_AFTER_ADVICE, _checked(start, "start"), calendar)


def health_notice(start: date, calendar: WorkingDayCalendar) -> Deadline:
    """3 working days after a request for mediation that includes health issues (regulation 35)."""
    return _explained(RuleCode.HEALTH_NOTICE, _checked(start, "start"), calendar)


def mediation_by(start: date, calendar: WorkingDayCalendar) -> Deadline:
    """30 days after the family tells the local authority it wants mediation."""
    return _explained(RuleCode.MEDIATION_BY, _checked(start, "start"), calendar)


def meeting_notice(meeting: date, calendar: WorkingDayCalendar) -> Deadline:
    """The last day to give notice of a meeting: 5 working days before it."""
    return _explained(RuleCode.MEETING_NOTICE, _checked(meeting, "meeting"), calendar)


def certificate_when_not_arranged(start: date, calendar: WorkingDayCalendar) -> Deadline:
    """3 working days after the local authority says it cannot hold mediation in 30 days."""
    return _explained(RuleCode.CERTIFICATE_WHEN_NOT_ARRANGED, _checked(start, "start"), calendar)


def certificate_after_mediation(start: date, calendar: WorkingDayCalendar) -> Deadline:
    """3 working days after the mediation ends (regulation 39)."""
    return _explained(RuleCode.CERTIFICATE_AFTER_MEDIATION, _checked(start, "start"), calendar)


def agreement_non_appealable(start: date, calendar: WorkingDayCalendar) -> Deadline:
    """2 weeks after the agreement, for matters that cannot be appealed (regulation 42(3))."""
    return _explained(RuleCode.AGREEMENT_NON_APPEALABLE, _checked(start, "start"), calendar)


def agreement_health_notifies_la(start: date, calendar: WorkingDayCalendar) -> Deadline:
    """1 week after the agreement, for the health commissioner to tell the local authority."""
    return _explained(RuleCode.AGREEMENT_HEALTH_NOTIFIES_LA, _checked(start, "start"), calendar)


# -- agreement as a Tribunal order -------------------------------------------------------------


def _order_type(order: str | None) -> OrderType:
    if order is None:
        raise UnknownOrder("agreement_as_order needs an order type: one of " + ", ".join(ORDER_TYPES))
    try:
        return ORDER_TYPES[order]
    except (KeyError, TypeError):
        raise UnknownOrder(
            f"Unknown order type {order!r}; expected one of " + ", ".join(ORDER_TYPES)
        ) from None


def order_due_dates(start: date, order: str) -> dict[str, date]:
    """The due date of each step of an order, keyed by step slug, without reasons."""
    return {step.slug: start + timedelta(weeks=step.weeks) for step in _order_type(order).steps}


def agreement_as_order(start: date, calendar: WorkingDayCalendar, order: str | None) -> OrderDeadlines:
    """The dates by which the local authority must act, as if the Tribunal had ordered it.

    ``calendar`` is unused (every period is in weeks) but taken so all rules look alike.
    """
    _checked(start, "start")
    order_type = _order_type(order)
    due = order_due_dates(start, order_type.slug)
    reasons = tuple(
        f"{step.label}: {_count(step.weeks, 'week')} after {format_date(start)} "
        f"is {format_date(due[step.slug])}"
        for step in order_type.steps
    )
    return OrderDeadlines(RuleCode.AGREEMENT_AS_ORDER, start, order_type.slug, due, reasons)


# -- the appeal deadline -----------------------------------------------------------------------


def _in_christmas_window(d: date) -> bool:
    return (d.month == 12 and d.day >= 25) or (d.month == 1 and d.day == 1)


def _new_year(d: date) -> date:
    return date(d.year + 1 if d.month == 12 else d.year, 1, 1)


def settle_appeal_date(d: date, calendar: WorkingDayCalendar) -> date:
    """Move a raw appeal date out of 25 December to 1 January and August, onto a working day."""
    if not _in_christmas_window(d) and d.month != 8:
        if calendar.is_working_day(d):
            return d
        d = calendar.next_working_day(d)
    # Rule 12: a time ending 25 Dec to 1 Jan, or in August, runs on past 1 Jan or 31 Aug.
    if _in_christmas_window(d):
        return calendar.next_working_day(_new_year(d))
    if d.month == 8:
        return calendar.next_working_day(date(d.year, 8, 31))
    return d


def _appeal_due(
    decision_letter_sent: date, calendar: WorkingDayCalendar, certificate_issued: date | None
) -> date:
    due = add_months(decision_letter_sent, 2)
    if certificate_issued is not None:
        due = max(due, add_months(certificate_issued, 1))
    return settle_appeal_date(due, calendar)


def _moved_out_of_window(calendar: WorkingDayCalendar, d: date, reasons: list[str]) -> date:
    if _in_christmas_window(d):
        anchor = _new_year(d)
        reasons.append(
            f"{format_date(d)} falls between 25 December and 1 January, so it moves to the "
            "first working day after 1 January"
        )
        label = f"1 January {anchor.year}"
    else:
        anchor = date(d.year, 8, 31)
        reasons.append(
            f"{format_date(d)} falls in August, so it moves to the first working day after 31 August"
        )
        label = f"31 August {anchor.year}"
    due = calendar.next_working_day(anchor)
    reasons += _skipped(calendar, anchor, due)
    reasons.append(f"The first working day after {label} is {format_date(due)}")
    return due


def appeal_by(
    decision_letter_sent: date,
    calendar: WorkingDayCalendar,
    certificate_issued: date | None = None,
) -> Deadline:
    """The last day to appeal to the Tribunal (HESC Rules 2008, rules 12 and 20)."""
    _checked(decision_letter_sent, "decision_letter_sent")
    reasons: list[str] = []
    due = add_months(decision_letter_sent, 2)
    reasons.append(_months_reason(decision_letter_sent, 2, due))
    if certificate_issued is not None:
        _checked(certificate_issued, "certificate_issued")
        after_certificate = add_months(certificate_issued, 1)
        reasons.append(_months_reason(certificate_issued, 1, after_certificate))
        if after_certificate > due:
            due = after_certificate
        reasons.append(f"The later of the two is {format_date(due)}")
    if _in_christmas_window(due) or due.month == 8:
        due = _moved_out_of_window(calendar, due, reasons)
    elif not calendar.is_working_day(due):
        rolled = calendar.next_working_day(due)
        reasons += _reasons_for(calendar, [due, *calendar.non_working_days_between(due, rolled)])
        reasons.append(f"The next working day is {format_date(rolled)}")
        due = rolled
        # A roll into the window or August moves again, so the date given never falls there.
        if _in_christmas_window(due) or due.month == 8:
            due = _moved_out_of_window(calendar, due, reasons)
    return Deadline(RuleCode.APPEAL_BY, decision_letter_sent, due, tuple(reasons))


def family_deadlines(
    decision_letter_sent: date,
    certificate_issued: date | None = None,
    *,
    calendar: WorkingDayCalendar,
) -> FamilyDeadlines:
    """When a family must contact a mediation adviser, and when they must appeal."""
    return FamilyDeadlines(
        decision_letter_sent=decision_letter_sent,
        certificate_issued=certificate_issued,
        contact_mediation_adviser_by=contact_adviser_by(decision_letter_sent, calendar),
        appeal_by=appeal_by(decision_letter_sent, calendar, certificate_issued),
    )


# -- dispatch ----------------------------------------------------------------------------------


def _checked(value: object, name: str) -> date:
    # A datetime is a date subclass, but its time and zone would be silently dropped.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a date, not {type(value).__name__}")
    return value


def _unknown_rule(code: object) -> UnknownRule:
    return UnknownRule(f"Unknown deadline rule {code!r}; expected one of " + ", ".join(RULES))


def _rule(code: str) -> Rule:
    try:
        return RULES[code]
    except (KeyError, TypeError):
        raise _unknown_rule(code) from None


def _check_arguments(rule: Rule, order: str | None, certificate_issued: date | None) -> None:
    if order is not None and not rule.needs_order:
        raise UnexpectedArgument(f"{rule.code} does not take an order type")
    if certificate_issued is not None and not rule.uses_certificate:
        raise UnexpectedArgument(f"{rule.code} does not take a certificate date")


_EXPLAINED: Mapping[str, Callable[[date, WorkingDayCalendar], Deadline]] = MappingProxyType(
    {
        RuleCode.CONTACT_ADVISER_BY: contact_adviser_by,
        RuleCode.CERTIFICATE_AFTER_ADVICE: certificate_after_advice,
        RuleCode.HEALTH_NOTICE: health_notice,
        RuleCode.MEDIATION_BY: mediation_by,
        RuleCode.MEETING_NOTICE: meeting_notice,
        RuleCode.CERTIFICATE_WHEN_NOT_ARRANGED: certificate_when_not_arranged,
        RuleCode.CERTIFICATE_AFTER_MEDIATION: certificate_after_mediation,
        RuleCode.AGREEMENT_NON_APPEALABLE: agreement_non_appealable,
        RuleCode.AGREEMENT_HEALTH_NOTIFIES_LA: agreement_health_notifies_la,
    }
)


# The codes whose rule gives a single date, so that ``compute`` can be typed precisely.
SingleDateCode = Literal[
    "contact_adviser_by",
    "certificate_after_advice",
    "health_notice",
    "mediation_by",
    "meeting_notice",
    "certificate_when_not_arranged",
    "certificate_after_mediation",
    "agreement_non_appealable",
    "agreement_health_notifies_la",
    "appeal_by",
]


@overload
def compute(
    code: Literal["agreement_as_order"],
    start: date,
    calendar: WorkingDayCalendar,
    *,
    order: str | None = None,
    certificate_issued: None = None,
) -> OrderDeadlines: ...


@overload
def compute(
    code: SingleDateCode,
    start: date,
    calendar: WorkingDayCalendar,
    *,
    order: None = None,
    certificate_issued: date | None = None,
) -> Deadline: ...


@overload
def compute(
    code: str,
    start: date,
    calendar: WorkingDayCalendar,
    *,
    order: str | None = None,
    certificate_issued: date | None = None,
) -> Deadline | OrderDeadlines: ...


def compute(
    code: str,
    start: date,
    calendar: WorkingDayCalendar,
    *,
    order: str | None = None,
    certificate_issued: date | None = None,
) -> Deadline | OrderDeadlines:
    """Run the rule called ``code`` from ``start``, with its reasons.

    ``order`` is needed by ``agreement_as_order`` only; ``certificate_issued`` is used by
    ``appeal_by`` only.  Anything else raises ``UnknownRule``, ``UnknownOrder`` or
    ``UnexpectedArgument``.
    """
    rule = _rule(code)
    _check_arguments(rule, order, certificate_issued)
    if rule.needs_order:
        return agreement_as_order(start, calendar, order)
    if rule.uses_certificate:
        return appeal_by(start, calendar, certificate_issued)
    return _EXPLAINED[code](start, calendar)


def due_date(
    code: str,
    start: date,
    calendar: WorkingDayCalendar,
    *,
    certificate_issued: date | None = None,
) -> date:
    """The due date alone, for rules with one date (use ``order_due_dates`` for orders)."""
    function = _DUE.get(code)
    if function is not None:
        if certificate_issued is not None:
            raise UnexpectedArgument(f"{code} does not take a certificate date")
        return function(start, calendar)
    if code == RuleCode.APPEAL_BY:
        return _appeal_due(start, calendar, certificate_issued)
    if code == RuleCode.AGREEMENT_AS_ORDER:
        raise UnexpectedArgument("agreement_as_order has several dates; use order_due_dates")
    raise _unknown_rule(code)
