"""Calendar invitations for meetings (RFC 5545 / iTIP): REQUEST to invite or update, CANCEL to withdraw.

The UID stays the same for the life of a meeting and SEQUENCE goes up with every change, so
calendar programs update the entry they already hold instead of adding a second one. Times are
written in Europe/London with the VTIMEZONE they refer to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vRecur,
    vText,
)

from sendmediation.notifications.services import AttachmentRef

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Kestrel SEND Mediation//Meetings//EN"


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str = ""


@dataclass(frozen=True)
class MeetingInvite:
    """What a calendar needs to know about one meeting. ``sequence`` is 0 at first, then +1 per change."""

    uid: str
    sequence: int
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    description: str = ""
    url: str = ""
    attendees: Sequence[Attendee] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError("Meeting times must carry a time zone")
        if self.ends_at <= self.starts_at:
            raise ValueError("A meeting must end after it starts")
        if self.sequence < 0:
            raise ValueError("The sequence starts at 0")


def london_timezone() -> Timezone:
    """Europe/London as recurring rules (last Sunday of March and October), valid beyond 2038."""
    timezone = Timezone()
    timezone.add("tzid", "Europe/London")
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("tzoffsetfrom", timedelta(0))
    summer.add("tzoffsetto", timedelta(hours=1))
    summer.add("dtstart", datetime(1981, 3, 29, 1, 0))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("tzoffsetfrom", timedelta(hours=1))
    winter.add("tzoffsetto", timedelta(0))
    winter.add("dtstart", datetime(1996, 10, 27, 2, 0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    timezone.add_component(summer)
    timezone.add_component(winter)
    return timezone


def meeting_uid(meeting_pk: object) -> str:
    """The one UID a meeting keeps through every change and its cancellation."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"meeting-{meeting_pk}@{domain}"


def _calendar(invite: MeetingInvite, *, method: str, stamp: datetime | None) -> str:
    organiser_name, organiser_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    event = Event()
    event.add("uid", invite.uid)
    event.add("sequence", invite.sequence)
    event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", invite.starts_at.astimezone(LONDON))
    event.add("dtend", invite.ends_at.astimezone(LONDON))
    event.add("summary", invite.summary)
    if invite.location:
        event.add("location", invite.location)
    if invite.description:
        event.add("description", invite.description)
    if invite.url:
        event.add("url", invite.url)
    organiser = vCalAddress(f"mailto:{organiser_email}")
    if organiser_name:
        organiser.params["cn"] = vText(organiser_name)
    event.add("organizer", organiser)
    for person in invite.attendees:
        attendee = vCalAddress(f"mailto:{person.email}")
        if person.name:
            attendee.params["cn"] = vText(person.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee, encode=False)
    if method == "CANCEL":
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
    calendar.add_component(london_timezone())
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def invitation_ics(invite: MeetingInvite, *, stamp: datetime | None = None) -> str:
    """METHOD:REQUEST: a new invitation, or an update when the sequence has gone up."""
    return _calendar(invite, method="REQUEST", stamp=stamp)


def cancellation_ics(invite: MeetingInvite, *, stamp: datetime | None = None) -> str:
    """METHOD:CANCEL: give the sequence after the last invitation's (sequence + 1)."""
    return _calendar(invite, method="CANCEL", stamp=stamp)


def invitation_attachment(invite: MeetingInvite, *, cancel: bool = False) -> AttachmentRef:
    """The .ics file to pass to queue_email's attachments."""
    if cancel:
        return AttachmentRef.inline(
            cancellation_ics(invite), filename="cancelled.ics", content_type="text/calendar; method=CANCEL"
        )
    return AttachmentRef.inline(
        invitation_ics(invite), filename="invite.ics", content_type="text/calendar; method=REQUEST"
    )
