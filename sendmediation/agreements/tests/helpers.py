"""A held mediation with a mediator and an officer with authority to settle, for the agreement tests."""

from __future__ import annotations

import datetime

from sendmediation.cases import services
from sendmediation.cases.models import Case, Party
from sendmediation.cases.tests.builders import case_in

ITEMS = [
    {"what": "Carry out an EHC needs assessment", "who": "Westminster local authority", "by": "2026-12-18"},
    {"what": "Share the school's reports", "who": "The parent", "by": None},
]


def held_case(personas) -> Case:
    case = case_in(personas, Case.Status.MEDIATION_HELD)
    services.assign(
        actor=personas.coordinator,
        case=case,
        coordinator=personas.coordinator,
        adviser=personas.adviser,
        mediator=personas.mediator,
    )
    services.add_party(
        actor=personas.coordinator,
        case=case,
        role=Party.Role.LA_OFFICER,
        name="Sam Lee",
        organisation="Westminster SEND team",
        email="sam.lee@westminster.example",
        has_authority_to_settle=True,
    )
    case.refresh_from_db()
    return case


def signed_on() -> datetime.date:
    return datetime.date(2026, 12, 3)
