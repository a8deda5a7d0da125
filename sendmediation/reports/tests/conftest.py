"""A small world with known answers: Westminster and Kent in the quarter July to September 2026.

Each figure the tests check is worked out by hand in the comments beside the rows that make it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from sendmediation.cases.models import AdviceCall, Case, Certificate
from sendmediation.intake.models import HelpRequest
from sendmediation.meetings.models import Meeting
from sendmediation.reports.periods import Period
from sendmediation.reports.tests import data
from sendmediation.statutory.rules import RuleCode

QUARTER = Period(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
TODAY = datetime.date(2026, 10, 15)
D = datetime.date


@dataclass
class World:
    personas: Any
    westminster: Any
    kent: Any


def build_world(personas: Any) -> World:
    w, k = personas.authority, personas.other_authority
    w.covered_from = D(2025, 1, 1)
    w.save()
    k.covered_from = D(2025, 1, 1)
    k.save()
    mediator, adviser = personas.mediator, personas.adviser

    # Cases received in the quarter: Westminster 7 (placement 2, needs 1, refused_assessment 5), Kent 5.
    cases = [
        data.make_case(w, received_on=D(2026, 7, 10), decisions=decisions)
        for decisions in (["placement"], ["placement", "needs"], *[["refused_assessment"]] * 5)
    ]
    late_case = data.make_case(w, received_on=D(2026, 6, 30))  # the quarter before
    kent_cases = [data.make_case(k, received_on=D(2026, 8, 1), decisions=["cease"]) for _ in range(5)]
    # Withdrawn in the quarter (received before it): 1 in Westminster.
    data.make_case(
        w,
        received_on=D(2026, 5, 1),
        status=Case.Status.WITHDRAWN,
        status_before_closing=Case.Status.LA_NOTIFIED,
        closed_on=D(2026, 8, 1),
    )
    dr_case = data.make_case(
        w, received_on=D(2026, 4, 1), kind=Case.Kind.DISAGREEMENT_RESOLUTION, decisions=[]
    )

    # Requests: Westminster 6 from the website and 2 by phone in the quarter, 1 the day before it;
    # Kent 5; 1 whose postcode matched no authority (the service's figures only).
    for _ in range(6):
        data.add_request(w, on=D(2026, 7, 2))
    for _ in range(2):
        data.add_request(
            w, on=D(2026, 9, 30), source=HelpRequest.Source.PHONE, recorded_by=personas.coordinator
        )
    data.add_request(w, on=D(2026, 6, 30))
    for _ in range(5):
        data.add_request(k, on=D(2026, 8, 3))
    data.add_request(None, on=D(2026, 8, 3))

    # Advice calls in Westminster: 5 then wanted mediation, 1 did not, 2 unanswered; 1 after the quarter.
    for answer in [AdviceCall.Outcome.WANTS_MEDIATION] * 5 + [AdviceCall.Outcome.DECLINES_MEDIATION]:
        data.add_call(cases[2], adviser, on=D(2026, 7, 20), outcome=answer)
    for _ in range(2):
        data.add_call(cases[2], adviser, on=D(2026, 7, 21), outcome=AdviceCall.Outcome.NO_ANSWER)
    data.add_call(cases[2], adviser, on=D(2026, 10, 1), outcome=AdviceCall.Outcome.WANTS_MEDIATION)

    # Certificates in Westminster: 6 after advice, 1 after mediation, 1 revoked; 1 after the quarter.
    for _ in range(6):
        data.add_certificate(cases[3], adviser, kind=Certificate.Kind.AFTER_ADVICE, on=D(2026, 8, 5))
    data.add_certificate(cases[0], mediator, kind=Certificate.Kind.AFTER_MEDIATION, on=D(2026, 8, 6))
    data.add_certificate(
        cases[4], adviser, kind=Certificate.Kind.AFTER_ADVICE, on=D(2026, 8, 6), revoked=True
    )
    data.add_certificate(cases[4], adviser, kind=Certificate.Kind.AFTER_ADVICE, on=D(2026, 10, 2))

    # Meetings held in the quarter in Westminster: 7 mediations (full 4, partial 2, none 1; the
    # authority attended 6, of which 5 could settle) and 1 disagreement resolution meeting (full).
    held = [
        (Meeting.Outcome.FULL_AGREEMENT, True, True),
        (Meeting.Outcome.FULL_AGREEMENT, True, True),
        (Meeting.Outcome.FULL_AGREEMENT, True, True),
        (Meeting.Outcome.FULL_AGREEMENT, True, True),
        (Meeting.Outcome.PARTIAL_AGREEMENT, True, True),
        (Meeting.Outcome.PARTIAL_AGREEMENT, True, False),
        (Meeting.Outcome.NO_AGREEMENT, False, False),
    ]
    for case, (outcome, attended, settle) in zip(cases, held, strict=True):
        data.add_meeting(
            case, mediator, on=D(2026, 8, 12), outcome=outcome, la_attended=attended, la_could_settle=settle
        )
    data.add_meeting(dr_case, mediator, on=D(2026, 9, 1))
    # Not counted in the quarter: one only arranged, one held in March (the same case as one above,
    # so SEN2 still counts that case once), one held in May (SEN2 counts that case too).
    data.add_meeting(cases[1], mediator, on=D(2026, 9, 2), status=Meeting.Status.CONFIRMED)
    data.add_meeting(cases[0], mediator, on=D(2026, 3, 2))
    data.add_meeting(late_case, mediator, on=D(2026, 5, 2))
    # Kent: 10 mediations, all full agreement, the authority there and able to settle.
    for case in kent_cases + kent_cases:
        data.add_meeting(case, mediator, on=D(2026, 9, 9))

    # Follow-up surveys (SEN2). Westminster's 8 mediation cases: 6 answered (1 appealed, 5 did not),
    # 1 invited and not answered, 1 never invited. Kent's 5: all answered, all appealed. Not counted:
    # the disagreement resolution case's answer (not a mediation).
    data.add_survey(cases[0], appealed="yes")
    for case in cases[1:6]:
        data.add_survey(case, appealed="no")
    data.add_survey(cases[6])
    for case in kent_cases:
        data.add_survey(case, appealed="yes")
    data.add_survey(dr_case, appealed="yes")

    # Timeliness, Westminster. Certificates due in the quarter: 2 on time (2 working days each),
    # 1 late (5 working days), 1 overdue and never issued, 1 stopped (left out).
    cert = RuleCode.CERTIFICATE_AFTER_ADVICE
    data.add_deadline(cases[0], cert, start=D(2026, 7, 1), due=D(2026, 7, 6), met_on=D(2026, 7, 3))
    data.add_deadline(cases[1], cert, start=D(2026, 7, 6), due=D(2026, 7, 9), met_on=D(2026, 7, 8))
    data.add_deadline(cases[2], cert, start=D(2026, 7, 13), due=D(2026, 7, 16), met_on=D(2026, 7, 20))
    data.add_deadline(cases[3], cert, start=D(2026, 7, 20), due=D(2026, 7, 23))
    data.add_deadline(cases[4], cert, start=D(2026, 7, 27), due=D(2026, 7, 30), stopped_on=D(2026, 7, 28))
    data.add_deadline(cases[5], cert, start=D(2026, 10, 1), due=D(2026, 10, 6))  # due after the quarter
    # Mediations: 5 on time (19, 10, 10, 10, 10 days) and 1 late (36 days): median 10 days.
    med = RuleCode.MEDIATION_BY
    data.add_deadline(cases[0], med, start=D(2026, 7, 1), due=D(2026, 7, 31), met_on=D(2026, 7, 20))
    data.add_deadline(cases[1], med, start=D(2026, 7, 5), due=D(2026, 8, 4), met_on=D(2026, 8, 10))
    for case in cases[2:6]:
        data.add_deadline(case, med, start=D(2026, 8, 1), due=D(2026, 8, 31), met_on=D(2026, 8, 11))
    # Agreement actions: 5 on time, 1 late; the late one is on a case that also has a late mediation.
    agreement = RuleCode.AGREEMENT_NON_APPEALABLE
    for number, case in enumerate(cases[:5], start=1):
        data.add_deadline(
            case,
            agreement,
            start=D(2026, 8, 1),
            due=D(2026, 8, 20),
            met_on=D(2026, 8, 15),
            step=f"item-{number}",
        )
    data.add_deadline(
        cases[1],
        RuleCode.AGREEMENT_AS_ORDER,
        start=D(2026, 8, 1),
        due=D(2026, 8, 15),
        met_on=D(2026, 8, 25),
        step="assess-notify",
    )
    # Kent: 5 mediations on time (20 days each).
    for case in kent_cases:
        data.add_deadline(case, med, start=D(2026, 8, 1), due=D(2026, 8, 31), met_on=D(2026, 8, 21))
    return World(personas, w, k)


@pytest.fixture
def world(personas: Any) -> World:
    return build_world(personas)
