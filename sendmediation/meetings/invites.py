"""Calendar files and emails for the people invited to a meeting.

Each meeting has one UID for its whole life; every change raises its SEQUENCE, so a calendar
updates the entry it already has instead of adding another. Cancelling sends METHOD:CANCEL.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone
from icalendar import Calendar, Event, vText

from sendmediation.meetings.models import Meeting
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.services import AttachmentRef, queue_email

PRODUCT_ID = "-//SEND mediation service//Meetings//EN"
WHAT_TO_BRING = (
    "Any letters from the local authority about the decision, the education, health and care plan "
    "(or its draft) if there is one, and notes of what you want to say. You can bring one person to "
    "support you."
)


@dataclass(frozen=True)
class Invitee:
    """Someone to tell about the meeting: an attendee with an email address, or the mediator."""

    key: str
    name: str
    email: str


def invitees(meeting: Meeting) -> Iterator[Invitee]:
    for attendee in meeting.attendees.all():
        if attendee.email:
            yield Invitee(f"attendee-{attendee.pk}", attendee.name, attendee.email)
    mediator = meeting.mediator
    if mediator.email:
        yield Invitee(f"mediator-{mediator.pk}", mediator.display_name, mediator.email)


def _title(meeting: Meeting) -> str:
    what = "Mediation meeting" if meeting.case.kind == "mediation" else "Disagreement resolution meeting"
    return f"{what} ({meeting.case.reference})"


def ics(meeting: Meeting, *, cancel: bool = False) -> str:
    """The calendar file for the meeting as it stands (or its cancellation)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
    event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
    event.add("summary", _title(meeting))
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    if meeting.format == Meeting.Format.IN_PERSON and meeting.venue is not None:
        event["location"] = vText(meeting.place)
    elif meeting.format == Meeting.Format.ONLINE:
        event["location"] = vText(meeting.online_link)
    lines = [f"Reference: {meeting.case.reference}"]
    if meeting.venue is not None and meeting.venue.access_notes:
        lines.append(f"Access: {meeting.venue.access_notes}")
    if meeting.format == Meeting.Format.ONLINE:
        lines.append(f"Join online: {meeting.online_link}")
    lines.append(f"What to bring: {WHAT_TO_BRING}")
    event.add("description", "\n".join(lines))
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def _attachment(meeting: Meeting, *, cancel: bool = False) -> AttachmentRef:
    method = "CANCEL" if cancel else "REQUEST"
    return AttachmentRef.inline(
        ics(meeting, cancel=cancel),
        filename="cancelled-meeting.ics" if cancel else "meeting.ics",
        content_type=f"text/calendar; method={method}",
    )


def _details(meeting: Meeting) -> dict[str, object]:
    venue = meeting.venue if meeting.format == Meeting.Format.IN_PERSON else None
    return {
        "reference": meeting.case.reference,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "place": meeting.place,
        "online_link": meeting.online_link if meeting.format == Meeting.Format.ONLINE else "",
        "access_notes": venue.access_notes if venue is not None else "",
        "step_free": venue.step_free if venue is not None else None,
        "by_phone": meeting.format == Meeting.Format.PHONE,
        "what_to_bring": WHAT_TO_BRING,
    }


def send_invitations(meeting: Meeting, *, updated: bool, reply_by: datetime.date | None = None) -> int:
    """Invite everyone with an email address (again, after a change), each with the calendar file."""
    attachment = _attachment(meeting)
    sent = 0
    for person in invitees(meeting):
        queue_email(
            to=person.email,
            template="meeting_invitation",
            context={
                **_details(meeting),
                "name": person.name,
                "updated": updated,
                "reply_by": reply_by.isoformat() if reply_by else "",
            },
            dedupe_key=f"meeting-invitation:{meeting.uid}:{meeting.sequence}:{person.key}",
            attachments=[attachment],
            case=meeting.case,
        )
        sent += 1
    return sent


def send_cancellations(meeting: Meeting) -> int:
    attachment = _attachment(meeting, cancel=True)
    sent = 0
    for person in invitees(meeting):
        queue_email(
            to=person.email,
            template="meeting_cancelled",
            context={
                "reference": meeting.case.reference,
                "name": person.name,
                "starts_at": meeting.starts_at.isoformat(),
            },
            dedupe_key=f"meeting-cancelled:{meeting.uid}:{meeting.sequence}:{person.key}",
            attachments=[attachment],
            case=meeting.case,
        )
        sent += 1
    return sent


def send_reminder(meeting: Meeting) -> int:
    """The reminder a couple of working days before; once per meeting time and person."""
    stamp = meeting.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M")
    sent = 0
    for person in invitees(meeting):
        key = f"meeting-reminder:{meeting.uid}:{stamp}:{person.key}"
        if OutboxMessage.objects.filter(dedupe_key=key).exists():
            continue
        queue_email(
            to=person.email,
            template="meeting_reminder",
            context={**_details(meeting), "name": person.name},
            dedupe_key=key,
            case=meeting.case,
        )
        sent += 1
    return sent
