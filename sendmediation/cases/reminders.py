"""The deadlines the daily reminder digests read (named by NOTIFICATIONS_DEADLINE_SOURCE)."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import reverse

from sendmediation.accounts.models import User
from sendmediation.cases.models import Deadline
from sendmediation.statutory.rules import RuleCode

# Certificates are the adviser's (or the mediator's, after mediation); everything else the coordinator's.
_ACTS: dict[str, str] = {
    RuleCode.CERTIFICATE_AFTER_ADVICE: "adviser",
    RuleCode.CERTIFICATE_WHEN_NOT_ARRANGED: "adviser",
    RuleCode.CERTIFICATE_AFTER_MEDIATION: "mediator",
}


@dataclass(frozen=True)
class ReminderDeadline:
    rule: str
    due: datetime.date
    met_on: datetime.date | None
    agreed_override: datetime.date | None
    case_reference: str
    case_path: str
    assignee: User | None


def deadlines_for_reminders(*, until: datetime.date) -> Iterator[ReminderDeadline]:
    """Running deadlines due (the agreed date where there is one) on or before ``until``."""
    deadlines = Deadline.objects.due_by(until).select_related(
        "case__coordinator", "case__adviser", "case__mediator"
    )
    for deadline in deadlines.iterator(chunk_size=2000):
        case = deadline.case
        assignee = getattr(case, _ACTS.get(deadline.rule, "coordinator")) or case.coordinator
        yield ReminderDeadline(
            rule=deadline.rule,
            due=deadline.due,
            met_on=deadline.met_on,
            agreed_override=deadline.agreed_override,
            case_reference=case.reference,
            case_path=reverse("cases:case_detail", args=[case.reference]),
            assignee=assignee,
        )
