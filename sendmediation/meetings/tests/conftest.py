"""Fixtures for the meetings tests: venues near and far from the family, and cases ready for a meeting."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sendmediation.cases import services as casework
from sendmediation.cases.models import Case, Party
from sendmediation.cases.tests.builders import case_in, open_case
from sendmediation.meetings.models import Room, Venue


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def venues(db):
    """Three venues (the family lives at SW1A 1AA): near, middling and far; one closed."""
    near = Venue.objects.create(
        name="Near Hall",
        address="1 Broadway\nLondon",
        postcode="SW1H 0ET",
        step_free=True,
        access_notes="Step-free entrance on Tothill Street. Hearing loop in the Garden Room.",
    )
    middle = Venue.objects.create(
        name="Middle House", address="2 Praed Street\nLondon", postcode="W2 1NY", step_free=False
    )
    far = Venue.objects.create(name="Far Centre", address="County Hall\nMaidstone", postcode="ME14 1XQ")
    closed = Venue.objects.create(
        name="Closed Rooms", address="3 Whitehall", postcode="SW1A 1AA", open_for_bookings=False
    )
    garden = Room.objects.create(venue=near, name="Garden Room")
    Room.objects.create(venue=near, name="Blue Room")
    return {"near": near, "middle": middle, "far": far, "closed": closed, "garden": garden}


def add_officer(personas, case: Case, *, settle: bool = True) -> Party:
    return casework.add_party(
        actor=personas.coordinator,
        case=case,
        role=Party.Role.LA_OFFICER,
        name="Olive Grant",
        email=personas.la_officer.email,
        has_authority_to_settle=settle,
    )


def dr_case(personas, *, officer: bool = True) -> Case:
    """A disagreement resolution case everyone consented to (no 30-day limit), with the local
    authority's officer as a party when ``officer``."""
    case = open_case(personas, kind=Case.Kind.DISAGREEMENT_RESOLUTION)
    casework.triage(actor=personas.coordinator, case=case)
    if officer:
        add_officer(personas, case)
    casework.add_party(
        actor=personas.coordinator, case=case, role=Party.Role.EDUCATION_PROVIDER, name="Hill Top School"
    )
    casework.seek_dr_consent(actor=personas.coordinator, case=case)
    for party in case.parties.all():
        case.refresh_from_db()
        if case.status == Case.Status.CONSENT_PENDING:
            casework.record_dr_consent(actor=personas.coordinator, case=case, party=party, consent="yes")
    case.refresh_from_db()
    assert case.status == Case.Status.CONSENT_GIVEN
    return case


def mediation_case(personas, *, officer: bool = True) -> Case:
    """A mediation case whose authority was told on 7 October 2026 (mediation by 5 November)."""
    case = case_in(personas, Case.Status.LA_NOTIFIED)
    if officer:
        add_officer(personas, case)
    case.refresh_from_db()
    return case


def soon(days: int = 14, hour: int = 10) -> datetime.datetime:
    """A time ``days`` from now, on the hour, UK time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
