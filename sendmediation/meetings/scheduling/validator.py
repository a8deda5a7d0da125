"""Check a proposed schedule against every hard rule, written apart from the optimiser.

It shares nothing with ``solver`` but the problem's values: notice is counted straight from the
working-day calendar, and overlaps are compared as times, not as the optimiser's slots. Tests and
the benchmark run every proposal (the optimiser's and the greedy rule's) through it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sendmediation.meetings.scheduling.problem import (
    IN_PERSON,
    NOTICE_WORKING_DAYS,
    ONLINE,
    Interval,
    Placement,
    Problem,
    km_between,
)

Booking = tuple[datetime.datetime, datetime.datetime, str]


def _inside(
    starts_at: datetime.datetime, ends_at: datetime.datetime, opens: datetime.time, closes: datetime.time
) -> bool:
    return starts_at.date() == ends_at.date() and starts_at.time() >= opens and ends_at.time() <= closes


def _overlapping(items: Sequence[Booking]) -> list[tuple[str, str]]:
    ordered = sorted(items)
    found = []
    for i, (_, end, name) in enumerate(ordered):
        for later_start, _, other in ordered[i + 1 :]:
            if later_start >= end:
                break
            found.append((name, other))
    return found


def _busy(intervals: Iterable[Interval], label: str) -> list[Booking]:
    return [(i.starts_at, i.ends_at, label) for i in intervals]


def violations(problem: Problem, placements: Sequence[Placement]) -> list[str]:
    """Every hard rule the placements break, one sentence each; empty when there are none."""
    found: list[str] = []
    cases = {case.reference: case for case in problem.cases}
    mediators = {m.key: m for m in problem.mediators}
    venues = {v.key: v for v in problem.venues}
    rooms = {room.key: (venue, room) for venue in problem.venues for room in venue.rooms}
    seen: set[str] = set()
    by_mediator: dict[str, list[Booking]] = defaultdict(list)
    by_room: dict[int, list[Booking]] = defaultdict(list)
    by_family: dict[str, list[Booking]] = defaultdict(list)
    per_day: dict[tuple[str, datetime.date], int] = defaultdict(int)

    for p in placements:
        case = cases.get(p.case)
        if case is None:
            found.append(f"{p.case}: not a case waiting for a meeting")
            continue
        if p.case in seen:
            found.append(f"{p.case}: given more than one meeting")
        seen.add(p.case)
        day = p.starts_at.date()
        if p.ends_at <= p.starts_at:
            found.append(f"{p.case}: ends before it starts")
        if p.starts_at <= problem.now:
            found.append(f"{p.case}: starts in the past")
        if not problem.calendar.is_working_day(day):
            found.append(f"{p.case}: {day} is not a working day")
        elif (
            not case.short_notice_agreed
            # Notice given today must be at least 5 working days before the day of the meeting.
            and problem.calendar.subtract_working_days(day, NOTICE_WORKING_DAYS) < problem.today
        ):
            found.append(f"{p.case}: less than 5 working days' notice")
        if case.deadline is not None and day > case.deadline:
            found.append(f"{p.case}: after its deadline {case.deadline}")
        if p.format not in case.formats:
            found.append(f"{p.case}: the family does not accept a meeting {p.format}")
        if day.weekday() not in case.weekdays or not _inside(
            p.starts_at, p.ends_at, case.from_time, case.until_time
        ):
            found.append(f"{p.case}: at a day or time the family cannot make")
        by_family[case.family or f"case {case.reference}"].append((p.starts_at, p.ends_at, p.case))

        mediator = mediators.get(p.mediator)
        if mediator is None:
            found.append(f"{p.case}: no such mediator {p.mediator}")
        else:
            if case.authority in mediator.excluded:
                found.append(f"{p.case}: {p.mediator} is not independent of {case.authority}")
            if not case.skills <= mediator.skills:
                found.append(f"{p.case}: {p.mediator} lacks {sorted(case.skills - mediator.skills)}")
            if day.weekday() not in mediator.weekdays or day in mediator.leave:
                found.append(f"{p.case}: {p.mediator} does not work on {day}")
            if not _inside(p.starts_at, p.ends_at, mediator.from_time, mediator.until_time):
                found.append(f"{p.case}: outside {p.mediator}'s hours")
            by_mediator[p.mediator].append((p.starts_at, p.ends_at, p.case))
            per_day[(p.mediator, day)] += 1

        if p.format == IN_PERSON:
            venue = venues.get(p.venue) if p.venue is not None else None
            if venue is None:
                found.append(f"{p.case}: a meeting in person without a venue")
                continue
            if case.step_free and not venue.step_free:
                found.append(f"{p.case}: {venue.name} has no step-free access")
            if mediator is not None and mediator.areas and venue.authority not in mediator.areas:
                found.append(f"{p.case}: {p.mediator} does not travel to {venue.name}")
            km = km_between(case.home, venue.place)
            if km is not None and (p.family_km is None or abs(p.family_km - km) > 0.06):
                found.append(f"{p.case}: the family's journey is {km:.1f} km, not {p.family_km}")
            pair = rooms.get(p.room) if p.room is not None else None
            if pair is None or pair[0].key != venue.key:
                found.append(f"{p.case}: no room at {venue.name}")
                continue
            room = pair[1]
            if day.weekday() not in room.weekdays or not _inside(
                p.starts_at, p.ends_at, room.from_time, room.until_time
            ):
                found.append(f"{p.case}: {venue.name}, {room.name} is not available then")
            by_room[room.key].append((p.starts_at, p.ends_at, p.case))
        elif p.format == ONLINE:
            if p.venue is not None or p.room is not None:
                found.append(f"{p.case}: an online meeting with a venue")
        else:
            found.append(f"{p.case}: unknown format {p.format}")

    for key, items in by_mediator.items():
        for a, b in _overlapping(items + _busy(mediators[key].busy, "their diary")):
            found.append(f"{key} is booked twice: {a} and {b}")
    for (key, day), count in per_day.items():
        mediator = mediators[key]
        total = count + sum(1 for i in mediator.busy if i.starts_at.date() == day)
        if total > mediator.max_per_day:
            found.append(f"{key} has {total} meetings on {day}, more than {mediator.max_per_day}")
    for room_key, bookings in by_room.items():
        for a, b in _overlapping(bookings + _busy(rooms[room_key][1].busy, "an earlier booking")):
            found.append(f"room {room_key} is booked twice: {a} and {b}")
    family_busy: dict[str, set[Interval]] = defaultdict(set)
    for case in problem.cases:
        family_busy[case.family or f"case {case.reference}"].update(case.busy)
    for key, items in by_family.items():
        for a, b in _overlapping(items + _busy(family_busy[key], "another meeting")):
            found.append(f"the family ({key}) is booked twice: {a} and {b}")
    return found
