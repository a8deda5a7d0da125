"""What a schedule is proposed from, and what a proposal says: plain values, no database.

Times are wall-clock times in England (naive ``datetime``), as people read them; the layer that
reads the database and the layer that arranges the meetings convert at the edges. Places are OS
grid references (metres east and north), so distances are straight lines in kilometres.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from sendmediation.statutory.calendar import WorkingDayCalendar
from sendmediation.statutory.rules import meeting_notice

IN_PERSON = "in_person"
ONLINE = "online"
FORMATS = frozenset({IN_PERSON, ONLINE})
WEEKDAYS = frozenset(range(5))
NOTICE_WORKING_DAYS = 5


@dataclass(frozen=True)
class Point:
    """A grid reference in metres (British National Grid)."""

    easting: int
    northing: int


def km_between(a: Point | None, b: Point | None) -> float | None:
    """Straight-line kilometres, or None when either place is not known."""
    if a is None or b is None:
        return None
    return math.hypot(a.easting - b.easting, a.northing - b.northing) / 1000


@dataclass(frozen=True)
class Interval:
    starts_at: datetime.datetime
    ends_at: datetime.datetime

    def overlaps(self, starts_at: datetime.datetime, ends_at: datetime.datetime) -> bool:
        return self.starts_at < ends_at and starts_at < self.ends_at


@dataclass(frozen=True)
class Slot:
    """A time a meeting may start, and how long it is booked for."""

    day: datetime.date
    start: datetime.time
    minutes: int

    @property
    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.day, self.start)

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class CaseNeed:
    """A case waiting for its meeting, with what the family can make and needs."""

    reference: str
    authority: str
    home: Point | None
    # The last day the meeting may be held (mediation: ``mediation_by``); None when there is no limit.
    deadline: datetime.date | None
    short_notice_agreed: bool = False
    skills: frozenset[str] = frozenset()
    step_free: bool = False
    formats: frozenset[str] = frozenset({IN_PERSON})
    weekdays: frozenset[int] = WEEKDAYS
    from_time: datetime.time = datetime.time(9, 0)
    until_time: datetime.time = datetime.time(17, 0)
    # Cases of one family share this key, so that their meetings never overlap.
    family: str = ""
    busy: tuple[Interval, ...] = ()


@dataclass(frozen=True)
class Mediator:
    key: str
    name: str
    home: Point | None
    weekdays: frozenset[int] = WEEKDAYS
    from_time: datetime.time = datetime.time(9, 0)
    until_time: datetime.time = datetime.time(17, 0)
    leave: frozenset[datetime.date] = frozenset()
    max_per_day: int = 2
    # Authorities whose venues they will travel to; empty means anywhere.
    areas: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    # Meetings already in their diary.
    busy: tuple[Interval, ...] = ()


@dataclass(frozen=True)
class Room:
    key: int
    name: str
    weekdays: frozenset[int] = WEEKDAYS
    from_time: datetime.time = datetime.time(9, 0)
    until_time: datetime.time = datetime.time(17, 0)
    busy: tuple[Interval, ...] = ()


@dataclass(frozen=True)
class Venue:
    key: int
    name: str
    authority: str
    place: Point | None
    step_free: bool
    rooms: tuple[Room, ...]


@dataclass(frozen=True)
class Problem:
    today: datetime.date
    # Nothing is proposed to start before this moment.
    now: datetime.datetime
    calendar: WorkingDayCalendar
    slots: tuple[Slot, ...]
    cases: tuple[CaseNeed, ...]
    mediators: tuple[Mediator, ...]
    venues: tuple[Venue, ...]


@dataclass(frozen=True)
class Alternative:
    venue: str
    km: float | None


@dataclass(frozen=True)
class Placement:
    """One proposed meeting."""

    case: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    format: str
    mediator: str
    venue: int | None = None
    room: int | None = None
    family_km: float | None = None
    mediator_km: float | None = None
    why: str = ""
    alternatives: tuple[Alternative, ...] = ()


@dataclass(frozen=True)
class Unplaced:
    case: str
    reason: str


@dataclass
class Schedule:
    placements: list[Placement]
    unplaced: list[Unplaced]
    seconds: float = 0.0
    # What the optimiser reported: "OPTIMAL", "FEASIBLE", or "GREEDY" for the baseline.
    status: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def family_km(self) -> float:
        return sum(p.family_km or 0.0 for p in self.placements)

    @property
    def mediator_km(self) -> float:
        return sum(p.mediator_km or 0.0 for p in self.placements)

    def placed(self) -> set[str]:
        return {p.case for p in self.placements}

    def loads(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for placement in self.placements:
            counts[placement.mediator] = counts.get(placement.mediator, 0) + 1
        return counts


def earliest_day(
    today: datetime.date, calendar: WorkingDayCalendar, *, short_notice_agreed: bool
) -> datetime.date:
    """The first working day a meeting can be held on when notice is given today: the next working
    day when the family agreed to shorter notice, otherwise the first whose notice (5 working days
    before it) is not yet past."""
    day = calendar.next_working_day(today)
    if short_notice_agreed:
        return day
    while meeting_notice(day, calendar).due < today:
        day = calendar.next_working_day(day)
    return day


def sessions(
    calendar: WorkingDayCalendar,
    *,
    first: datetime.date,
    working_days: int,
    starts: Sequence[datetime.time] = (datetime.time(9, 30), datetime.time(13, 30)),
    minutes: int = 150,
) -> tuple[Slot, ...]:
    """The usual meeting times on each of ``working_days`` working days from ``first`` on."""
    slots: list[Slot] = []
    day = calendar.working_day_on_or_after(first)
    for _ in range(working_days):
        slots.extend(Slot(day, start, minutes) for start in starts)
        day = calendar.next_working_day(day)
    return tuple(slots)
