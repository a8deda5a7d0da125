"""Made-up scheduling problems, seeded, for the benchmark and the tests: no real person in them.

``national_week`` spreads families, mediators and venues over the places it is given (postcodes'
grid references and authorities, drawn from the postcode index by the benchmark), with the mix of
needs and diaries a national service sees: most families meet in person, some only online; some
can make only a few days or half days; mediators work part time, take leave, travel only to the
authorities near them and are not independent of some.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass

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
    km_between,
    sessions,
)
from sendmediation.statutory.calendar import WorkingDayCalendar

MORNING = (datetime.time(9, 0), datetime.time(12, 30))
AFTERNOON = (datetime.time(13, 0), datetime.time(17, 0))
ALL_DAY = (datetime.time(9, 0), datetime.time(17, 0))
SKILLS = ("health care", "social care", "young people")


@dataclass(frozen=True)
class Place:
    point: Point
    authority: str


def _days(rng: random.Random, low: int, high: int) -> frozenset[int]:
    return frozenset(rng.sample(range(5), rng.randint(low, high)))


def national_week(
    rng: random.Random,
    *,
    homes: Sequence[Place],
    venue_places: Sequence[Place],
    mediator_homes: Sequence[Place],
    calendar: WorkingDayCalendar,
    today: datetime.date,
    working_days: int = 30,
    travel_km: float = 60.0,
    room_taken: float = 0.4,
) -> Problem:
    """One family per home, one venue per venue place, one mediator per mediator home."""
    slots = sessions(calendar, first=today + datetime.timedelta(days=1), working_days=working_days)
    venues = []
    room_key = 1
    for v, place in enumerate(venue_places):
        rooms = []
        for r in range(rng.choice((1, 1, 2, 2, 3))):
            # Rooms are hired: free to us on a few days a week, and some of those are taken by others.
            weekdays = _days(rng, 1, 3)
            taken = [
                Interval(slot.starts_at, slot.ends_at)
                for slot in slots
                if slot.day.weekday() in weekdays and rng.random() < room_taken
            ]
            rooms.append(Room(room_key, f"Room {r + 1}", weekdays=weekdays, busy=tuple(taken)))
            room_key += 1
        venues.append(
            Venue(
                key=v + 1,
                name=f"Venue {v + 1}",
                authority=place.authority,
                place=place.point,
                step_free=rng.random() < 0.7,
                rooms=tuple(rooms),
            )
        )

    first_day, last_day = slots[0].day, slots[-1].day
    authorities = sorted({place.authority for place in homes})
    mediators = []
    for m, place in enumerate(mediator_homes):
        near = frozenset(
            v.authority for v in venues if (km_between(place.point, v.place) or 0.0) <= travel_km
        ) | {place.authority}
        excluded: set[str] = {place.authority} if rng.random() < 0.3 else set()
        if rng.random() < 0.1:
            excluded.add(rng.choice(authorities))
        leave: frozenset[datetime.date] = frozenset()
        if rng.random() < 0.2:
            start = first_day + datetime.timedelta(days=rng.randrange((last_day - first_day).days))
            leave = frozenset(start + datetime.timedelta(days=d) for d in range(7))
        skills = frozenset(
            skill for skill, share in zip(SKILLS, (0.25, 0.2, 0.3), strict=True) if rng.random() < share
        )
        busy = [
            Interval(slot.starts_at, slot.ends_at) for slot in rng.sample(slots, rng.choice((0, 0, 0, 1, 2)))
        ]
        mediators.append(
            Mediator(
                key=f"mediator-{m + 1:03d}",
                name=f"Mediator {m + 1}",
                home=place.point,
                weekdays=frozenset(range(5)) if rng.random() < 0.25 else _days(rng, 1, 3),
                leave=leave,
                max_per_day=rng.choice((1, 2, 2)),
                areas=near,
                excluded=frozenset(excluded),
                skills=skills,
                busy=tuple(busy),
            )
        )

    cases = []
    for c, place in enumerate(homes):
        mediation = rng.random() < 0.85
        deadline = None
        if mediation:
            asked = today - datetime.timedelta(days=rng.randint(0, 24))
            deadline = asked + datetime.timedelta(days=30)
        roll = rng.random()
        formats = (
            frozenset({IN_PERSON})
            if roll < 0.75
            else frozenset({ONLINE})
            if roll < 0.85
            else frozenset({IN_PERSON, ONLINE})
        )
        times = rng.choices((ALL_DAY, MORNING, AFTERNOON), weights=(6, 2, 2))[0]
        needs: set[str] = set()
        if rng.random() < 0.12:
            needs.add("health care")
        if rng.random() < 0.08:
            needs.add("social care")
        if rng.random() < 0.1:
            needs.add("young people")
        cases.append(
            CaseNeed(
                reference=f"MED-2027-{c + 1:06d}",
                authority=place.authority,
                home=place.point,
                deadline=deadline,
                short_notice_agreed=rng.random() < 0.05,
                skills=frozenset(needs),
                step_free=rng.random() < 0.15,
                formats=formats,
                weekdays=frozenset(range(5)) if rng.random() < 0.6 else _days(rng, 2, 4),
                from_time=times[0],
                until_time=times[1],
                family=f"family-{c // 2}" if c % 50 < 4 else "",
            )
        )
    now = datetime.datetime.combine(today, datetime.time(17, 0))
    return Problem(
        today=today,
        now=now,
        calendar=calendar,
        slots=slots,
        cases=tuple(cases),
        mediators=tuple(mediators),
        venues=tuple(venues),
    )
