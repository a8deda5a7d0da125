"""A case's deadlines as rows: started, met, stopped and recomputed with the statutory rules.

Only the services in ``sendmediation.cases.services`` call these, inside their transactions. The
due dates come from ``sendmediation.statutory.rules`` with the calendar passed in.
"""

from __future__ import annotations

import datetime

from sendmediation.cases.models import Case, Deadline
from sendmediation.statutory.calendar import WorkingDayCalendar
from sendmediation.statutory.rules import RULES, compute
from sendmediation.statutory.rules import Deadline as Computed

# Who each rule's date binds, so pages can show staff their own work and families theirs.
FAMILY_RULES = frozenset({"contact_adviser_by", "appeal_by"})
LA_RULES = frozenset(
    {
        "health_notice",
        "mediation_by",
        "agreement_non_appealable",
        "agreement_health_notifies_la",
        "agreement_as_order",
    }
)
SERVICE_RULES = frozenset(RULES) - FAMILY_RULES - LA_RULES


def _computed(rule: str, start: datetime.date, calendar: WorkingDayCalendar, case: Case) -> Computed:
    if rule == "appeal_by":
        issued = case.certificates.order_by("-issued_on").values_list("issued_on", flat=True).first()
        return compute("appeal_by", start, calendar, certificate_issued=issued)
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
            "stopped_on": None,
        },
    )
    return deadline


def meet_deadline(case: Case, rule: str, *, on: datetime.date) -> int:
    return Deadline.objects.filter(case=case, rule=rule, met_on__isnull=True).update(met_on=on)


def stop_deadline(case: Case, rule: str, *, on: datetime.date) -> int:
    return Deadline.objects.filter(case=case, rule=rule).running().update(stopped_on=on)


def stop_all(case: Case, *, on: datetime.date) -> int:
    """A withdrawn or closed case: nobody has to act on its dates any more."""
    return Deadline.objects.filter(case=case).running().update(stopped_on=on)


def resume_all(case: Case) -> int:
    return Deadline.objects.filter(case=case, met_on__isnull=True, stopped_on__isnull=False).update(
        stopped_on=None
    )


def recompute_deadlines(case: Case, *, calendar: WorkingDayCalendar) -> list[Deadline]:
    """Bring every date on the case up to date with its facts and the calendar.

    The family's two dates follow the decision letter; the others keep the start they were given
    and are worked out again (for example after a one-off bank holiday is added).
    """
    letter = case.decision_letter_sent
    if letter is None:
        Deadline.objects.filter(case=case, rule__in=FAMILY_RULES).delete()
    else:
        for rule in sorted(FAMILY_RULES):
            existing = Deadline.objects.filter(case=case, rule=rule, step="").first()
            if existing is None or existing.start != letter:
                start_deadline(case, rule, letter, calendar=calendar)
        # Getting in touch with us is the family contacting a mediation adviser.
        Deadline.objects.filter(case=case, rule="contact_adviser_by").update(met_on=case.received_on)
    rows = list(Deadline.objects.filter(case=case, step=""))
    for row in rows:
        if RULES[row.rule].needs_order:
            continue
        computed = _computed(row.rule, row.start, calendar, case)
        if (row.due, row.reasons) != (computed.due, list(computed.reasons)):
            row.due = computed.due
            row.reasons = list(computed.reasons)
            row.save(update_fields=["due", "reasons"])
    return rows


def refresh_running(case: Case, *, calendar: WorkingDayCalendar) -> list[dict[str, str]]:
    """Work out the running dates again (met ones are history); returns what moved."""
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
