"""Proposing a schedule from the database and accepting it through arrange_meeting, by the service
and through the "Propose a schedule" page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sendmediation.cases.models import Case, CaseEvent
from sendmediation.cases.tests.builders import MEETING_ARRANGED_AT
from sendmediation.meetings import services
from sendmediation.meetings.models import FamilyAvailability, Leave, MediatorDiary, Meeting
from sendmediation.meetings.scheduling import validator
from sendmediation.meetings.scheduling.accept import accept_proposals, propose_schedule
from sendmediation.meetings.tests.conftest import dr_case, mediation_case
from sendmediation.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

NOW = MEETING_ARRANGED_AT  # Thursday 8 October 2026, 9am; the mediation is due by 5 November


def test_a_proposal_is_inside_the_deadline_with_notice_at_the_nearest_venue_with_a_room(personas, venues):
    case = mediation_case(personas)
    proposal = propose_schedule(actor=personas.coordinator, now=NOW, seconds=2)
    [placement] = proposal.schedule.placements
    assert placement.case == case.reference
    assert placement.venue == venues["near"].pk  # the middle and far venues have no rooms recorded
    # 5 working days' notice from Thursday 8 October: Thursday 15 October at the earliest.
    assert datetime.date(2026, 10, 15) <= placement.starts_at.date() <= datetime.date(2026, 11, 5)
    assert placement.mediator == personas.mediator.username
    assert placement.family_km is not None and placement.family_km < 2
    assert "nearest suitable venue" in placement.why
    assert validator.violations(proposal.problem, proposal.schedule.placements) == []
    assert Meeting.objects.count() == 0  # proposing arranges nothing


def test_the_diaries_are_followed(personas, venues):
    case = mediation_case(personas)
    MediatorDiary.objects.create(mediator=personas.mediator, monday=False, tuesday=False, wednesday=False)
    Leave.objects.create(
        person=personas.mediator, first_day=datetime.date(2026, 10, 15), last_day=datetime.date(2026, 10, 16)
    )
    FamilyAvailability.objects.create(
        case=case, earliest=datetime.time(13, 0), latest=datetime.time(17, 0), needs_step_free=True
    )
    [placement] = propose_schedule(actor=personas.coordinator, now=NOW, seconds=2).schedule.placements
    # Thursday 22 October is the first Thursday or Friday after the leave; afternoons only.
    assert placement.starts_at == datetime.datetime(2026, 10, 22, 13, 30)
    assert placement.venue == venues["near"].pk  # step-free


def test_accepting_arranges_through_the_front_door_and_invites_everyone(personas, venues):
    case = mediation_case(personas)
    proposal = propose_schedule(actor=personas.coordinator, now=NOW, seconds=2)
    [outcome] = accept_proposals(actor=personas.coordinator, placements=proposal.schedule.placements, now=NOW)
    assert outcome.problem == "" and outcome.meeting is not None
    case.refresh_from_db()
    assert case.status == Case.Status.MEETING_ARRANGED
    assert case.events.filter(kind=CaseEvent.Kind.MEETING_ARRANGED).count() == 1
    invitations = OutboxMessage.objects.filter(case_reference=case.reference, template__contains="meeting")
    assert invitations.count() >= 2  # the family and the authority's representative at least
    assert outcome.meeting.venue == venues["near"] and outcome.meeting.room is not None


def test_a_proposal_that_has_gone_stale_is_refused_in_the_services_words(personas, venues):
    case = mediation_case(personas)
    proposal = propose_schedule(actor=personas.coordinator, now=NOW, seconds=2)
    [placement] = proposal.schedule.placements
    other = dr_case(personas)
    services.arrange_meeting(
        actor=personas.coordinator,
        case=other,
        starts_at=timezone.make_aware(placement.starts_at),
        minutes=150,
        format="online",
        online_link="https://meet.example/x",
        mediator=personas.mediator,
        now=NOW,
    )
    [outcome] = accept_proposals(actor=personas.coordinator, placements=[placement], now=NOW)
    assert outcome.meeting is None
    assert "already has a meeting" in outcome.problem
    case.refresh_from_db()
    assert case.status == Case.Status.LA_NOTIFIED


def test_only_coordinators_and_managers_propose(personas):
    from sendmediation.cases.errors import ActionNotPermitted

    for who in (personas.adviser, personas.mediator, personas.la_officer):
        with pytest.raises(ActionNotPermitted):
            propose_schedule(actor=who, now=NOW)
    assert propose_schedule(actor=personas.manager, now=NOW).schedule.placements == []


def test_a_case_past_its_deadline_is_listed_with_the_reason(personas, venues):
    case = mediation_case(personas)
    late = timezone.make_aware(datetime.datetime(2026, 11, 2, 9, 0))
    proposal = propose_schedule(actor=personas.coordinator, now=late, seconds=1)
    assert proposal.schedule.placements == []
    [unplaced] = proposal.schedule.unplaced
    assert unplaced.case == case.reference
    assert "5 November 2026" in unplaced.reason and "cannot be held in time" in unplaced.reason


# --- the page --------------------------------------------------------------------------------------


def test_the_page_proposes_and_arranges_the_meetings_ticked(personas, client, venues):
    case = dr_case(personas)  # no 30-day limit, so the real clock is fine
    client.force_login(personas.coordinator)
    page = client.get(reverse("meetings:schedule"))
    assert page.status_code == 200 and b"1 case waiting for a meeting" in page.content

    proposed = client.post(reverse("meetings:schedule"), {"step": "propose", "reference": ""})
    assert proposed.status_code == 200
    text = proposed.content.decode()
    assert case.reference in text and "Near Hall" in text and "Arrange the meetings ticked" in text
    plan = proposed.context["rows"][0]["plan"]

    done = client.post(
        reverse("meetings:schedule"), {"step": "accept", "plan": [plan], "accept": [case.reference]}
    )
    assert done.status_code == 200
    assert b"1 meeting arranged" in done.content
    case.refresh_from_db()
    assert case.status == Case.Status.MEETING_ARRANGED


def test_the_page_refuses_a_tampered_plan_and_an_unknown_reference(personas, client, venues):
    dr_case(personas)
    client.force_login(personas.coordinator)
    response = client.post(reverse("meetings:schedule"), {"step": "accept", "plan": ["x"], "accept": ["MED"]})
    assert response.status_code == 400 and b"Tick at least one proposed meeting" in response.content
    response = client.post(reverse("meetings:schedule"), {"step": "propose", "reference": "MED-2026-999999"})
    assert response.status_code == 400
    assert b"There is no case MED-2026-999999 waiting for a meeting" in response.content
    assert Meeting.objects.count() == 0


def test_the_page_is_for_coordinators_and_managers(personas, client):
    for who, status in ((personas.adviser, 403), (personas.mediator, 403), (personas.manager, 200)):
        client.force_login(who)
        assert client.get(reverse("meetings:schedule")).status_code == status
