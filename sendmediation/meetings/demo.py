"""Fictional venues and mediators' profiles for the demo. Running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from sendmediation.accounts.models import User
from sendmediation.cases import services
from sendmediation.cases.models import Case, Party
from sendmediation.localities.models import LocalAuthority
from sendmediation.meetings.models import MediatorProfile, Room, Venue


@dataclass(frozen=True)
class DemoVenue:
    name: str
    address: str
    postcode: str
    step_free: bool
    access_notes: str
    rooms: tuple[str, ...]


# Real postcodes (so that distances work), fictional venues.
DEMO_VENUES = (
    DemoVenue(
        "Broadway Community Rooms",
        "14 Broadway\nLondon",
        "SW1H 0ET",
        True,
        "Step-free entrance on Tothill Street. Hearing loop in both rooms. Quiet room on request.",
        ("Garden Room", "Willow Room"),
    ),
    DemoVenue(
        "Paddington Family Centre",
        "2 Praed Street\nLondon",
        "W2 1NY",
        False,
        "Three steps at the entrance, no lift. Ask us if you need another venue.",
        ("Meeting Room 1",),
    ),
    DemoVenue(
        "Maidstone Resource Centre",
        "County Road\nMaidstone",
        "ME14 1XQ",
        True,
        "Free parking behind the building. Lift to every floor.",
        ("Room A", "Room B"),
    ),
)


@transaction.atomic
def load_demo_meetings() -> tuple[int, int]:
    """Create the demo venues and a profile for every mediator without one; returns how many of each."""
    venues = 0
    for demo in DEMO_VENUES:
        venue, created = Venue.objects.get_or_create(
            name=demo.name,
            defaults={
                "address": demo.address,
                "postcode": demo.postcode,
                "step_free": demo.step_free,
                "access_notes": demo.access_notes,
            },
        )
        venues += int(created)
        for room in demo.rooms:
            Room.objects.get_or_create(venue=venue, name=room)
    profiles = 0
    kent = LocalAuthority.objects.filter(code="E10000016").first()
    for user in User.objects.filter(role=User.Role.MEDIATOR).order_by("id"):
        profile, created = MediatorProfile.objects.get_or_create(
            user=user,
            defaults={
                "accreditation": "Civil Mediation Council registered mediator",
                "skilled_with_young_people": True,
                "skilled_in_health": profiles % 2 == 0,
                "excluded_bodies": "",
            },
        )
        if created:
            profiles += 1
            # The demo mediator once worked for Kent's SEND team, so never mediates for it.
            if kent is not None and user.username == "mediator":
                profile.excluded_authorities.add(kent)
    return venues, profiles


# The demo cases that are ready for a meeting or an agreement, and what each needs to go on: the
# authority's representative with authority to settle, and a mediator.
_READY = (Case.Status.LA_NOTIFIED, Case.Status.MEDIATION_HELD)


@transaction.atomic
def prepare_demo_cases() -> int:
    """Make the demo cases waiting for a meeting or an agreement ready to take on, through the same
    front doors as the pages: the authority's officer as a party who can settle, and the mediator
    assigned. Returns how many cases changed; running it again changes nothing."""
    coordinator = User.objects.filter(role=User.Role.COORDINATOR, is_active=True).order_by("id").first()
    mediator = User.objects.filter(role=User.Role.MEDIATOR, is_active=True).order_by("id").first()
    if coordinator is None or mediator is None:
        return 0
    changed = 0
    for case in Case.objects.filter(kind=Case.Kind.MEDIATION, status__in=_READY).order_by("id"):
        touched = False
        officers = User.objects.filter(role=User.Role.LA_OFFICER, is_active=True)
        officer = officers.filter(local_authority=case.local_authority).order_by("id").first()
        if officer is not None and not case.parties.filter(role=Party.Role.LA_OFFICER).exists():
            services.add_party(
                actor=coordinator,
                case=case,
                role=Party.Role.LA_OFFICER,
                name=officer.display_name,
                organisation=case.local_authority.name,
                email=officer.email,
                has_authority_to_settle=True,
            )
            touched = True
        if case.mediator_id is None:
            services.assign(
                actor=coordinator,
                case=case,
                coordinator=case.coordinator or coordinator,
                adviser=case.adviser,
                mediator=mediator,
            )
            touched = True
        changed += int(touched)
    return changed
