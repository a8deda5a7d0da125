"""Calendar invitations parse back with a stable UID, rising SEQUENCE and London times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from sendmediation.notifications.calendar_invites import (
    Attendee,
    MeetingInvite,
    cancellation_ics,
    invitation_attachment,
    invitation_ics,
    meeting_uid,
)

LONDON = ZoneInfo("Europe/London")


def invite(*, sequence: int = 0, starts_at: datetime | None = None) -> MeetingInvite:
    start = starts_at or datetime(2026, 7, 14, 10, 0, tzinfo=LONDON)
    return MeetingInvite(
        uid=meeting_uid(42),
        sequence=sequence,
        summary="Mediation meeting MED-2026-000042",
        starts_at=start,
        ends_at=start + timedelta(hours=2, minutes=30),
        location="Anytown Community Centre",
        description="Reference MED-2026-000042",
        attendees=[Attendee("parent@example.org", "Alex Example"), Attendee("officer@example.org")],
    )


def parse(text: str) -> tuple[Calendar, dict]:
    calendar = Calendar.from_ical(text)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_an_invitation_is_a_request_in_london_time() -> None:
    calendar, event = parse(invitation_ics(invite()))

    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "meeting-42@kestrel-mediation.example"
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt == datetime(2026, 7, 14, 9, 0, tzinfo=UTC)  # BST
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(hours=2, minutes=30)
    assert str(event["STATUS"]) == "CONFIRMED"
    attendees = sorted(str(address) for address in event["ATTENDEE"])
    assert attendees == ["mailto:officer@example.org", "mailto:parent@example.org"]
    assert str(event["ORGANIZER"]) == "mailto:no-reply@kestrel-mediation.example"


@pytest.mark.parametrize(
    ("moment", "offset_hours"),
    [(datetime(2026, 1, 15, 10, 0), 0), (datetime(2026, 7, 15, 10, 0), 1), (datetime(2045, 7, 15, 10, 0), 1)],
)
def test_the_vtimezone_gives_the_right_offset_in_winter_summer_and_far_ahead(
    moment: datetime, offset_hours: int
) -> None:
    calendar, event = parse(invitation_ics(invite(starts_at=moment.replace(tzinfo=LONDON))))
    [timezone] = cast(Any, calendar.walk("VTIMEZONE"))

    assert str(timezone["TZID"]) == "Europe/London"
    assert moment.replace(tzinfo=timezone.to_tz()).utcoffset() == timedelta(hours=offset_hours)
    assert event["DTSTART"].dt.utcoffset() == timedelta(hours=offset_hours)


def test_a_change_keeps_the_uid_and_raises_the_sequence() -> None:
    _, first = parse(invitation_ics(invite()))
    moved = datetime(2026, 7, 21, 14, 0, tzinfo=LONDON)
    _, second = parse(invitation_ics(invite(sequence=1, starts_at=moved)))

    assert second["UID"] == first["UID"]
    assert second["SEQUENCE"] > first["SEQUENCE"]
    assert second["DTSTART"].dt == moved


def test_a_cancellation_names_the_same_meeting() -> None:
    calendar, event = parse(cancellation_ics(invite(sequence=2)))

    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["UID"]) == "meeting-42@kestrel-mediation.example"
    assert event["SEQUENCE"] == 2
    assert str(event["STATUS"]) == "CANCELLED"


def test_attachments_carry_the_method_in_the_content_type() -> None:
    assert invitation_attachment(invite()).content_type == "text/calendar; method=REQUEST"
    cancelled = invitation_attachment(invite(sequence=1), cancel=True)
    assert cancelled.content_type == "text/calendar; method=CANCEL"
    assert "METHOD:CANCEL" in cancelled.content


def test_meeting_times_must_be_sensible() -> None:
    start = datetime(2026, 7, 14, 10, 0)
    with pytest.raises(ValueError, match="time zone"):
        MeetingInvite(uid="u", sequence=0, summary="s", starts_at=start, ends_at=start + timedelta(hours=1))
    aware = start.replace(tzinfo=LONDON)
    with pytest.raises(ValueError, match="end after it starts"):
        MeetingInvite(uid="u", sequence=0, summary="s", starts_at=aware, ends_at=aware)
