"""Hand-built rows for the report tests, each on a date the test chooses.

The reports only read, so these rows are written straight to the tables rather than through the
services (which date everything today and would need a case to pass every step to reach a
meeting): a test can then put each thing in or out of a period and know every answer by hand.
Every name and email here is one the privacy test then looks for in every export.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from sendmediation.cases.models import AdviceCall, Case, Certificate, Deadline, Party
from sendmediation.feedback.models import FollowUpSurvey
from sendmediation.intake.models import HelpRequest
from sendmediation.meetings.models import Meeting

_numbers = itertools.count(1)

CHILD_FIRST = "Zebedee"
CHILD_LAST = "Quartermaine"
PARENT_NAME = "Ottoline Quartermaine"
PARENT_EMAIL = "ottoline.quartermaine@example.org"
REQUEST_CHILD = "Peregrine Fairweather"
REQUEST_EMAIL = "p.fairweather@example.net"
POSTCODE = "SW1A 1AA"
# A family's comment in the follow-up survey: its own words, never in a report.
SURVEY_COMMENT = "Marmaduke the mediator listened to us at last"
SECRETS = (
    SURVEY_COMMENT,
    "Marmaduke",
    CHILD_FIRST,
    CHILD_LAST,
    PARENT_NAME,
    PARENT_EMAIL,
    REQUEST_CHILD,
    REQUEST_EMAIL,
    POSTCODE,
    "Ottoline",
)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_case(authority: Any, *, received_on: datetime.date, **fields: Any) -> Case:
    n = next(_numbers)
    values: dict[str, Any] = {
        "reference": f"MED-2026-{900000 + n:06d}",
        "kind": Case.Kind.MEDIATION,
        "status": Case.Status.LA_NOTIFIED,
        "local_authority": authority,
        "child_first_name": CHILD_FIRST,
        "child_last_name": CHILD_LAST,
        "child_date_of_birth": datetime.date(2015, 3, 9),
        "postcode": POSTCODE,
        "summary": f"{PARENT_NAME} disagrees about the plan for {CHILD_FIRST}.",
        "decisions": ["refused_assessment"],
        "received_on": received_on,
    }
    values.update(fields)
    case = Case.objects.create(**values)
    Party.objects.create(
        case=case, role=Party.Role.PARENT, name=PARENT_NAME, email=PARENT_EMAIL, phone="07700 900999"
    )
    return case


def add_request(
    authority: Any, *, on: datetime.date, source: str = HelpRequest.Source.WEBSITE, **fields: Any
) -> HelpRequest:
    n = next(_numbers)
    values: dict[str, Any] = {
        "reference": f"MED-2026-{800000 + n:06d}",
        "year": 2026,
        "number": 800000 + n,
        "source": source,
        "created_at": at(on),
        "who": HelpRequest.Who.PARENT,
        "help_wanted": HelpRequest.HelpWanted.MEDIATION,
        "child_name": REQUEST_CHILD,
        "child_date_of_birth": datetime.date(2014, 1, 2),
        "postcode": POSTCODE,
        "local_authority": authority,
        "contact_name": PARENT_NAME,
        "contact_by_email": True,
        "email": REQUEST_EMAIL,
        "reply_by": on,
    }
    values.update(fields)
    return HelpRequest.objects.create(**values)


def add_call(case: Case, adviser: Any, *, on: datetime.date, outcome: str) -> AdviceCall:
    return AdviceCall.objects.create(
        case=case,
        adviser=adviser,
        booked_for=at(on),
        held_at=at(on),
        outcome=outcome,
        notes=f"Spoke to {PARENT_NAME}",
    )


def add_certificate(
    case: Case, issuer: Any, *, kind: str, on: datetime.date, revoked: bool = False
) -> Certificate:
    n = next(_numbers)
    return Certificate.objects.create(
        case=case,
        number=f"MC-2026-{n:06d}",
        kind=kind,
        issued_on=on,
        issued_by=issuer,
        authority_name=case.local_authority.name,
        child_initials="ZQ",
        verification_code=f"V{n:06d}",
        revoked_on=on if revoked else None,
        revoked_by=issuer if revoked else None,
        revoked_reason="Issued in error" if revoked else "",
    )


def add_meeting(
    case: Case,
    mediator: Any,
    *,
    on: datetime.date,
    outcome: str = Meeting.Outcome.FULL_AGREEMENT,
    la_attended: bool = True,
    la_could_settle: bool = True,
    status: str = Meeting.Status.HELD,
) -> Meeting:
    starts = at(on)
    return Meeting.objects.create(
        case=case,
        route=case.kind,
        starts_at=starts,
        minutes=120,
        ends_at=starts + datetime.timedelta(minutes=120),
        format=Meeting.Format.PHONE,
        mediator=mediator,
        status=status,
        notice_given_on=on - datetime.timedelta(days=10),
        outcome=outcome if status == Meeting.Status.HELD else "",
        la_attended=la_attended if status == Meeting.Status.HELD else None,
        la_could_settle=la_could_settle if status == Meeting.Status.HELD else None,
        child_views=f"{CHILD_FIRST} wants to stay at his school",
    )


def add_deadline(
    case: Case,
    rule: str,
    *,
    start: datetime.date,
    due: datetime.date,
    met_on: datetime.date | None = None,
    stopped_on: datetime.date | None = None,
    step: str = "",
) -> Deadline:
    return Deadline.objects.create(
        case=case, rule=rule, step=step, start=start, due=due, met_on=met_on, stopped_on=stopped_on
    )


def add_survey(case: Case, *, appealed: str = "", on: datetime.date | None = None) -> FollowUpSurvey:
    """The family's follow-up survey: only invited when ``appealed`` is empty, otherwise answered
    with that answer and a comment they agreed we may publish."""
    invited = at(on or case.received_on)
    answers: dict[str, Any] = {}
    if appealed:
        answers = {
            "answered_at": invited,
            "satisfaction": FollowUpSurvey.Satisfaction.SATISFIED,
            "would_recommend": FollowUpSurvey.Recommend.YES,
            "agreement_held": FollowUpSurvey.AgreementHeld.YES,
            "appealed": appealed,
            "comment": SURVEY_COMMENT,
            "comment_may_be_published": True,
        }
    return FollowUpSurvey.objects.create(case=case, respondent="parent", invited_at=invited, **answers)
