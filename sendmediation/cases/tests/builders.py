"""Cases built through the front doors, in any status, for the tests."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from sendmediation.cases import services
from sendmediation.cases.models import Case, Party
from sendmediation.statutory.services import base_calendar

Status = Case.Status

LETTER_SENT = datetime.date(2026, 10, 1)


def open_case(personas, *, kind=Case.Kind.MEDIATION, **changes: Any) -> Case:
    values: dict[str, Any] = {
        "actor": personas.coordinator,
        "local_authority": personas.authority,
        "kind": kind,
        "child_first_name": "Amir",
        "child_last_name": "Khan",
        "child_date_of_birth": datetime.date(2017, 5, 4),
        "postcode": "SW1A 1AA",
        "decisions": ["refused_assessment"] if kind != Case.Kind.DISAGREEMENT_RESOLUTION else [],
        "decision_letter_sent": LETTER_SENT if kind != Case.Kind.DISAGREEMENT_RESOLUTION else None,
        "family": services.FamilyContact(
            role=Party.Role.PARENT,
            name=f"{personas.parent.first_name} {personas.parent.last_name}",
            email=personas.parent.email,
            phone=personas.parent.phone,
        ),
        # The family got in touch the day after the letter; the call is booked on 2 October.
        "received_on": datetime.date(2026, 10, 2),
        "calendar": base_calendar(),
    }
    values.update(changes)
    if values["local_authority"] != personas.authority and "postcode" not in changes:
        values["postcode"] = POSTCODES.get(values["local_authority"].code, "")
    return services.open_case(**values)


# A postcode in each authority the tests use, so that a case's postcode and authority agree.
POSTCODES = {"E09000033": "SW1A 1AA", "E10000016": "ME14 1XQ"}


# Cases are built as they stood in the autumn: the call was booked on 2 October for 5 October, a
# time still to come then. Tests that change that booking pass now=BOOKED_AT to stay in that autumn.
BOOKED_AT = timezone.make_aware(datetime.datetime(2026, 10, 2, 9, 0))
CALL_BOOKED_FOR = timezone.make_aware(datetime.datetime(2026, 10, 5, 10, 0))


def _triage(personas, case):
    return services.triage(actor=personas.coordinator, case=case)


def _book(personas, case):
    services.book_advice(
        actor=personas.coordinator,
        case=case,
        adviser=personas.adviser,
        booked_for=CALL_BOOKED_FOR,
        now=BOOKED_AT,
    )
    return case


def _advice(outcome):
    def step(personas, case):
        services.record_advice_outcome(
            actor=personas.adviser,
            case=case,
            outcome=outcome,
            held_at=timezone.make_aware(datetime.datetime(2026, 10, 6, 10, 0)),
            calendar=base_calendar(),
        )
        return case

    return step


def _notify(personas, case):
    return services.notify_la(
        actor=personas.coordinator,
        case=case,
        notified_on=datetime.date(2026, 10, 7),
        how="email",
        person="Sam Lee, SEND team",
    )


def _not_arranged(personas, case):
    return services.record_mediation_not_arranged(
        actor=personas.coordinator,
        case=case,
        told_on=datetime.date(2026, 10, 20),
        how="email",
        person="Sam Lee, SEND team",
        reason="No officer with authority to settle is free before 6 November",
        calendar=base_calendar(),
    )


def _held(personas, case):
    return services.record_mediation_held(
        actor=personas.coordinator,
        case=case,
        held_on=datetime.date(2026, 10, 28),
        how="email",
        person="Sam Lee, SEND team",
        calendar=base_calendar(),
    )


# Meetings are arranged on 8 October for 20 October: 5 working days' notice, inside the 30 days.
MEETING_ARRANGED_AT = timezone.make_aware(datetime.datetime(2026, 10, 8, 9, 0))
MEETING_STARTS_AT = timezone.make_aware(datetime.datetime(2026, 10, 20, 10, 0))
MEETING_LINK = "https://meet.example/mediation-room"


def _arrange(personas, case):
    from sendmediation.meetings import services as meetings

    meetings.arrange_meeting(
        actor=personas.coordinator,
        case=case,
        starts_at=MEETING_STARTS_AT,
        minutes=150,
        format="online",
        online_link=MEETING_LINK,
        mediator=personas.mediator,
        now=MEETING_ARRANGED_AT,
    )
    return case


def _meeting_held(personas, case):
    from sendmediation.meetings import services as meetings

    meetings.record_meeting_held(
        actor=personas.coordinator,
        case=case,
        la_attended=True,
        la_could_settle=True,
        outcome="full_agreement",
        now=MEETING_STARTS_AT + datetime.timedelta(hours=3),
    )
    return case


def _certificate(personas, case):
    services.issue_certificate(
        actor=personas.adviser, case=case, today=datetime.date(2026, 10, 7), calendar=base_calendar()
    )
    return case


def _seek(personas, case):
    services.add_party(
        actor=personas.coordinator, case=case, role=Party.Role.EDUCATION_PROVIDER, name="Hill Top School"
    )
    return services.seek_dr_consent(actor=personas.coordinator, case=case)


def _consent(answer):
    def step(personas, case):
        for party in case.parties.all():
            if case.status == Status.CONSENT_PENDING:
                services.record_dr_consent(
                    actor=personas.coordinator,
                    case=case,
                    party=party,
                    consent=answer,
                )
        return case

    return step


def _withdraw(personas, case):
    return services.withdraw_case(actor=personas.coordinator, case=case, reason="The family asked us to stop")


def _close(personas, case):
    return services.close_case(actor=personas.coordinator, case=case, outcome=Case.Outcome.ADVICE_ONLY)


Step = Callable[[Any, Case], Case]

# How to bring a case to each status through the front doors: (kind, steps after opening).
ROUTES: dict[str, tuple[str, list[Step]]] = {
    Status.RECEIVED: (Case.Kind.MEDIATION, []),
    Status.TRIAGED: (Case.Kind.MEDIATION, [_triage]),
    Status.ADVICE_BOOKED: (Case.Kind.MEDIATION, [_triage, _book]),
    Status.ADVICE_GIVEN: (Case.Kind.MEDIATION, [_triage, _book, _advice("declines_mediation")]),
    Status.MEDIATION_REQUESTED: (Case.Kind.MEDIATION, [_triage, _book, _advice("wants_mediation")]),
    Status.LA_NOTIFIED: (Case.Kind.MEDIATION, [_triage, _book, _advice("wants_mediation"), _notify]),
    Status.MEDIATION_NOT_ARRANGED: (
        Case.Kind.MEDIATION,
        [_triage, _book, _advice("wants_mediation"), _notify, _not_arranged],
    ),
    Status.MEDIATION_HELD: (
        Case.Kind.MEDIATION,
        [_triage, _book, _advice("wants_mediation"), _notify, _held],
    ),
    Status.CERTIFICATE_ISSUED: (
        Case.Kind.MEDIATION,
        [_triage, _book, _advice("declines_mediation"), _certificate],
    ),
    Status.MEETING_ARRANGED: (
        Case.Kind.MEDIATION,
        [_triage, _book, _advice("wants_mediation"), _notify, _arrange],
    ),
    Status.MEETING_HELD: (
        Case.Kind.DISAGREEMENT_RESOLUTION,
        [_triage, _seek, _consent("yes"), _arrange, _meeting_held],
    ),
    Status.CONSENT_PENDING: (Case.Kind.DISAGREEMENT_RESOLUTION, [_triage, _seek]),
    Status.CONSENT_GIVEN: (Case.Kind.DISAGREEMENT_RESOLUTION, [_triage, _seek, _consent("yes")]),
    Status.CONSENT_REFUSED: (Case.Kind.DISAGREEMENT_RESOLUTION, [_triage, _seek, _consent("no")]),
    Status.WITHDRAWN: (Case.Kind.MEDIATION, [_triage, _withdraw]),
    Status.CLOSED: (Case.Kind.MEDIATION, [_triage, _book, _advice("declines_mediation"), _close]),
}


# The routes to these statuses work for a case of any kind.
ANY_KIND = (Status.RECEIVED, Status.TRIAGED, Status.WITHDRAWN)


def case_in(personas, status: str, *, kind: str | None = None, **changes: Any) -> Case:
    default_kind, steps = ROUTES[status]
    assert kind is None or kind == default_kind or status in ANY_KIND
    case = open_case(personas, kind=kind or default_kind, **changes)
    for step in steps:
        step(personas, case)
        case.refresh_from_db()
    assert case.status == status, (case.status, status)
    return case
