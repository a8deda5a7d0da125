"""A person's diary: their meetings, advice calls and leave, for the diary pages and their private
calendar feed (``.ics``), which they can stop at any time by making a new link."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from sendmediation.accounts.models import User
from sendmediation.cases.models import AdviceCall
from sendmediation.meetings.models import DiaryFeed, Leave, Meeting

ADVICE_CALL_MINUTES = 30
FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 180


@dataclass(frozen=True)
class Entry:
    day: datetime.date
    kind: str  # "meeting", "advice call" or "leave"
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    case: str
    where: str
    uid: str


def _bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time()))
    return start, end


def entries(person: User, first: datetime.date, last: datetime.date) -> list[Entry]:
    """What is in the person's diary from ``first`` to ``last``, in time order (leave first each day)."""
    start, end = _bounds(first, last)
    found: list[Entry] = []
    meetings = (
        Meeting.objects.arranged()
        .filter(mediator=person, starts_at__lt=end, ends_at__gt=start)
        .select_related("case", "venue", "room")
    )
    for meeting in meetings:
        found.append(
            Entry(
                day=timezone.localdate(meeting.starts_at),
                kind="meeting",
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                case=meeting.case.reference,
                where=meeting.place,
                uid=meeting.uid,
            )
        )
    calls = AdviceCall.objects.filter(
        adviser=person, held_at__isnull=True, booked_for__gte=start, booked_for__lt=end
    ).select_related("case")
    for call in calls:
        assert call.booked_for is not None
        found.append(
            Entry(
                day=timezone.localdate(call.booked_for),
                kind="advice call",
                starts_at=call.booked_for,
                ends_at=call.booked_for + datetime.timedelta(minutes=ADVICE_CALL_MINUTES),
                case=call.case.reference,
                where="By phone",
                uid=f"advice-call-{call.pk}@sendmediation",
            )
        )
    for away in Leave.objects.filter(person=person, first_day__lte=last, last_day__gte=first):
        day = max(away.first_day, first)
        while day <= min(away.last_day, last):
            found.append(Entry(day, "leave", None, None, "", "", f"leave-{away.pk}-{day}@sendmediation"))
            day += datetime.timedelta(days=1)
    return sorted(found, key=lambda e: (e.day, e.starts_at is not None, e.starts_at or start, e.uid))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed(*, person: User) -> str:
    """A new private calendar link for the person; any link they had stops working."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        DiaryFeed.objects.filter(person=person).delete()
        DiaryFeed.objects.create(person=person, token_sha256=_hash(token))
    return token


def stop_feed(*, person: User) -> None:
    DiaryFeed.objects.filter(person=person).delete()


def has_feed(person: User) -> bool:
    return DiaryFeed.objects.filter(person=person).exists()


def feed(token: str, *, today: datetime.date | None = None) -> bytes | None:
    """The calendar behind a private link, or None when the link is unknown or stopped. It says
    what and where, with the case reference: never a name."""
    row = DiaryFeed.objects.filter(token_sha256=_hash(token)).select_related("person").first()
    if row is None or not row.person.is_active:
        return None
    today = today or timezone.localdate()
    calendar = Calendar()
    calendar.add("prodid", "-//Kestrel SEND Mediation//Diary//EN")
    calendar.add("version", "2.0")
    first = today - datetime.timedelta(days=FEED_DAYS_BACK)
    for entry in entries(row.person, first, today + datetime.timedelta(days=FEED_DAYS_AHEAD)):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", timezone.now())
        if entry.kind == "leave":
            event.add("summary", "Leave")
            event.add("dtstart", entry.day)
            event.add("dtend", entry.day + datetime.timedelta(days=1))
        else:
            event.add("summary", f"{entry.kind.capitalize()}: case {entry.case}")
            event.add("dtstart", entry.starts_at)
            event.add("dtend", entry.ends_at)
            event.add("location", entry.where)
        calendar.add_component(event)
    return calendar.to_ical()
