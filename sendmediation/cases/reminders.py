"""The deadlines the daily reminder digests read (named by NOTIFICATIONS_DEADLINE_SOURCE)."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import reverse

from sendmediation.accounts.models import User
from sendmediation.cases.deadlines import LA_RULES
from sendmediation.cases.models import Case, Deadline
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
    """Running deadlines due (the agreed date where there is one) on or before ``until``: each for
    the member of staff who acts on it, and the local authority's own dates also for its officers,
    on the cases their authority takes part in (the cases they can see)."""
    yield from _for_staff(until)
    yield from _for_officers(until)


def _for_staff(until: datetime.date) -> Iterator[ReminderDeadline]:
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


def _for_officers(until: datetime.date) -> Iterator[ReminderDeadline]:
    rows = list(
        Deadline.objects.due_by(until)
        .filter(rule__in=LA_RULES)
        .values_list(
            "rule", "due", "agreed_override", "case_id", "case__reference", "case__local_authority_id"
        )
    )
    if not rows:
        return
    by_authority: dict[int, set[int]] = {}
    for _, _, _, case_id, _, authority_id in rows:
        by_authority.setdefault(authority_id, set()).add(case_id)
    officers: dict[int, list[User]] = {}
    for officer in User.objects.filter(
        role=User.Role.LA_OFFICER, is_active=True, local_authority_id__in=by_authority
    ).order_by("id"):
        assert officer.local_authority_id is not None
        officers.setdefault(officer.local_authority_id, []).append(officer)
    seen: set[int] = set()
    for authority_id, case_ids in by_authority.items():
        if authority_id in officers:
            seen |= set(
                Case.objects.filter(pk__in=case_ids).taking_part(authority_id).values_list("pk", flat=True)
            )
    for rule, due, agreed, case_id, reference, authority_id in rows:
        if case_id not in seen:
            continue
        for officer in officers.get(authority_id, []):
            yield ReminderDeadline(
                rule=rule,
                due=due,
                met_on=None,
                agreed_override=agreed,
                case_reference=reference,
                case_path=reverse("cases:case_detail", args=[reference]),
                assignee=officer,
            )
