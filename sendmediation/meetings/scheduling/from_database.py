"""Build a scheduling problem from the database: the cases waiting for a meeting that the user may
see, the mediators' diaries, the venues' rooms and what each family can make.

The only module of the scheduling core that reads the database. Times go in as wall-clock times in
England; ``aware`` turns a proposal's times back into the database's.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases import workflow
from sendmediation.cases.models import Case, Deadline
from sendmediation.localities.coverage import postcode_index
from sendmediation.localities.postcodes import PostcodeError
from sendmediation.meetings.models import (
    Attendee,
    FamilyAvailability,
    Leave,
    MediatorDiary,
    MediatorProfile,
    Meeting,
    RoomAvailability,
    RoomBooking,
)
from sendmediation.meetings.models import Venue as VenueRow
from sendmediation.meetings.scheduling.problem import (
    IN_PERSON,
    ONLINE,
    CaseNeed,
    Interval,
    Mediator,
    Point,
    Problem,
    Room,
    Venue,
    sessions,
)
from sendmediation.statutory.calendar import WorkingDayCalendar
from sendmediation.statutory.rules import RuleCode

WORKING_DAYS_AHEAD = 30
ALL_WEEKDAYS = frozenset(range(5))


def _place(postcode: str) -> tuple[Point | None, str]:
    """The grid reference and authority of a postcode; (None, "") when it cannot be found."""
    if not postcode.strip():
        return None, ""
    try:
        found = postcode_index().lookup(postcode)
    except PostcodeError:
        return None, ""
    point = None
    if found.easting is not None and found.northing is not None:
        point = Point(found.easting, found.northing)
    return point, found.authority_code or ""


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def aware(moment: datetime.datetime) -> datetime.datetime:
    """A proposal's wall-clock time as the database keeps it."""
    return timezone.make_aware(moment)


def waiting_cases(user: User, references: Sequence[str] | None = None) -> list[Case]:
    """The cases in the user's scope waiting for their meeting to be arranged (those named, when
    references are given)."""
    cases = Case.objects.visible_to(user).filter(
        status__in=set(workflow.MEETING_SOURCES.values()), kind__in=workflow.MEETING_KINDS
    )
    # A case waits in the status its kind arranges a meeting from.
    found = [
        case
        for case in cases.select_related("local_authority").order_by("id")
        if workflow.MEETING_SOURCES.get(case.kind) == case.status
    ]
    if references is not None:
        wanted = set(references)
        found = [case for case in found if case.reference in wanted]
    return found


def _deadlines(cases: Sequence[Case]) -> dict[int, datetime.date]:
    rows = Deadline.objects.filter(case__in=cases, rule=RuleCode.MEDIATION_BY, step="").running()
    return {row.case_id: row.effective_due for row in rows.only("case_id", "effective_due")}


def _intervals(rows: Iterable[tuple[datetime.datetime, datetime.datetime]]) -> tuple[Interval, ...]:
    return tuple(Interval(_local(start), _local(end)) for start, end in rows)


def build_problem(
    *,
    cases: Sequence[Case],
    now: datetime.datetime,
    calendar: WorkingDayCalendar,
    working_days: int = WORKING_DAYS_AHEAD,
) -> Problem:
    today = timezone.localdate(now)
    slots = sessions(calendar, first=today + datetime.timedelta(days=1), working_days=working_days)
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    horizon = timezone.make_aware(datetime.datetime.combine(slots[-1].day, datetime.time(23, 59)))
    arranged = Meeting.objects.arranged().filter(starts_at__lt=horizon, ends_at__gt=start)

    deadlines = _deadlines(cases)
    availability = {row.case_id: row for row in FamilyAvailability.objects.filter(case__in=cases)}
    contacts = {}
    for case in cases:
        contact = case.parties.family_contact()
        contacts[case.pk] = (contact.email.strip().lower() if contact is not None else "") or ""
    family_busy: dict[str, list[tuple[datetime.datetime, datetime.datetime]]] = defaultdict(list)
    emails = {email for email in contacts.values() if email}
    for meeting in arranged.filter(attendees__role=Attendee.Role.FAMILY, attendees__email__in=emails).values(
        "starts_at", "ends_at", "attendees__email"
    ):
        family_busy[meeting["attendees__email"].lower()].append((meeting["starts_at"], meeting["ends_at"]))

    needs = []
    for case in cases:
        home, _ = _place(case.postcode)
        row = availability.get(case.pk)
        skills = set()
        if case.issues_health:
            skills.add("health care")
        if case.issues_social_care:
            skills.add("social care")
        formats = {IN_PERSON}
        if row is not None:
            formats = {f for f, on in ((IN_PERSON, row.in_person), (ONLINE, row.online)) if on}
        email = contacts[case.pk]
        needs.append(
            CaseNeed(
                reference=case.reference,
                authority=case.local_authority.code,
                home=home,
                deadline=deadlines.get(case.pk) if case.kind == Case.Kind.MEDIATION else None,
                skills=frozenset(skills),
                step_free=bool(row and row.needs_step_free),
                formats=frozenset(formats),
                weekdays=row.weekdays() if row is not None else ALL_WEEKDAYS,
                from_time=row.earliest if row is not None else datetime.time(9, 0),
                until_time=row.latest if row is not None else datetime.time(17, 0),
                family=email,
                busy=_intervals(family_busy.get(email, [])),
            )
        )

    mediators = []
    users = User.objects.filter(role=User.Role.MEDIATOR, is_active=True).order_by("username")
    profiles = {
        p.user_id: p
        for p in MediatorProfile.objects.filter(user__in=users).prefetch_related("excluded_authorities")
    }
    diaries = {
        d.mediator_id: d
        for d in MediatorDiary.objects.filter(mediator__in=users).prefetch_related("travels_to")
    }
    leave: dict[int, set[datetime.date]] = defaultdict(set)
    for away in Leave.objects.filter(person__in=users, last_day__gte=today, first_day__lte=slots[-1].day):
        day = away.first_day
        while day <= away.last_day:
            leave[away.person_id].add(day)
            day += datetime.timedelta(days=1)
    booked: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = defaultdict(list)
    for held_by, starts_at, ends_at in arranged.values_list("mediator_id", "starts_at", "ends_at"):
        booked[held_by].append((starts_at, ends_at))
    for user in users:
        profile = profiles.get(user.pk)
        diary = diaries.get(user.pk)
        home = _place(profile.home_postcode)[0] if profile is not None else None
        mediators.append(
            Mediator(
                key=user.username,
                name=user.display_name,
                home=home,
                weekdays=diary.weekdays() if diary is not None else ALL_WEEKDAYS,
                from_time=diary.day_starts if diary is not None else datetime.time(9, 0),
                until_time=diary.day_ends if diary is not None else datetime.time(17, 0),
                leave=frozenset(leave.get(user.pk, set())),
                max_per_day=diary.max_meetings_a_day if diary is not None else 2,
                areas=frozenset(a.code for a in diary.travels_to.all()) if diary is not None else frozenset(),
                excluded=(
                    frozenset(a.code for a in profile.excluded_authorities.all())
                    if profile is not None
                    else frozenset()
                ),
                skills=frozenset(profile.skills()) if profile is not None else frozenset(),
                busy=_intervals(booked.get(user.pk, [])),
            )
        )

    venues = []
    rows = VenueRow.objects.filter(open_for_bookings=True).prefetch_related("rooms").order_by("name", "id")
    room_ids = [room.pk for venue in rows for room in venue.rooms.all()]
    opening = {a.room_id: a for a in RoomAvailability.objects.filter(room_id__in=room_ids)}
    taken: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = defaultdict(list)
    for booking in RoomBooking.objects.filter(room_id__in=room_ids, starts_at__lt=horizon, ends_at__gt=start):
        taken[booking.room_id].append((booking.starts_at, booking.ends_at))
    for room_id, starts_at, ends_at in arranged.filter(room_id__in=room_ids).values_list(
        "room_id", "starts_at", "ends_at"
    ):
        if room_id is not None:
            taken[room_id].append((starts_at, ends_at))
    for venue in rows:
        place, authority = _place(venue.postcode)
        rooms = []
        for room in venue.rooms.all():
            hours = opening.get(room.pk)
            rooms.append(
                Room(
                    key=room.pk,
                    name=room.name,
                    weekdays=hours.weekdays() if hours is not None else ALL_WEEKDAYS,
                    from_time=hours.opens if hours is not None else datetime.time(9, 0),
                    until_time=hours.closes if hours is not None else datetime.time(17, 0),
                    busy=_intervals(taken.get(room.pk, [])),
                )
            )
        if rooms:  # a venue with no rooms recorded cannot be booked by the schedule
            venues.append(
                Venue(
                    key=venue.pk,
                    name=venue.name,
                    authority=authority,
                    place=place,
                    step_free=venue.step_free,
                    rooms=tuple(rooms),
                )
            )

    return Problem(
        today=today,
        now=_local(now),
        calendar=calendar,
        slots=slots,
        cases=tuple(needs),
        mediators=tuple(mediators),
        venues=tuple(venues),
    )
