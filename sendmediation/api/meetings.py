"""Meetings over JSON: arrange, change, cancel and record a case's meeting through the same services
as the pages. Mounted beside the cases router, under /api/v1/cases/{reference}/actions/.

A clash with another meeting of the mediator, the room or the family is a 409 ``meeting_clash``
naming the field; everything else is mapped as for the other actions.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Field, Router
from pydantic import AwareDatetime

from sendmediation.accounts.models import User
from sendmediation.api.cases import ERRORS, CaseOut, In, StaffToken, _act, _described, null_refused
from sendmediation.api.errors import ApiError
from sendmediation.meetings import services
from sendmediation.meetings.models import Meeting, Room, Venue

router = Router(auth=StaffToken())


if TYPE_CHECKING:
    MeetingFormat = Meeting.Format
    MeetingOutcome = Meeting.Outcome
else:
    MeetingFormat = StrEnum("MeetingFormat", {m.name: m.value for m in Meeting.Format})
    MeetingOutcome = StrEnum("MeetingOutcome", {m.name: m.value for m in Meeting.Outcome})


def _mediator(username: str) -> User:
    if not username.strip():
        raise ApiError(
            400, "invalid_change", "Choose a mediator", fields={"mediator": "Enter their username"}
        )
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ApiError(
            400,
            "invalid_change",
            f"There is no mediator called {username}",
            fields={"mediator": "Unknown mediator"},
        )
    return user


def _venue(venue_id: int | None) -> Venue | None:
    if venue_id is None:
        return None
    venue = Venue.objects.filter(pk=venue_id).first()
    if venue is None:
        raise ApiError(400, "invalid_change", "There is no such venue", fields={"venue": "Unknown venue"})
    return venue


def _room(room_id: int | None) -> Room | None:
    if room_id is None:
        return None
    room = Room.objects.filter(pk=room_id).first()
    if room is None:
        raise ApiError(400, "invalid_change", "There is no such room", fields={"room": "Unknown room"})
    return room


class ArrangeMeetingIn(In):
    starts_at: AwareDatetime = Field(description="When it starts, with its offset from UTC")
    minutes: int = Field(description="How long it is booked for", ge=30, le=480)
    format: MeetingFormat
    venue: int | None = Field(None, description="The venue's id: needed for a meeting in person")
    room: int | None = Field(None, description="The room's id, at the venue")
    online_link: str = Field("", max_length=500, description="Needed for an online meeting")
    mediator: str = Field(description="The mediator's username")
    short_notice_agreed: bool = Field(
        False, description="The family agreed to less than 5 working days' notice"
    )
    short_notice_agreed_by: str = Field("", max_length=200, description="Who in the family agreed")
    supporters: list[str] = Field(default_factory=list, description="Supporters' names; one by right")
    supporter_consent_by: str = Field(
        "", max_length=200, description="Who in the family agreed to more than one supporter"
    )
    child_views: str = Field("", max_length=5000)


class ChangeMeetingIn(In):
    """Only the fields sent change; only the venue and the room can be taken away with null."""

    model_config = null_refused(
        "starts_at",
        "minutes",
        "format",
        "online_link",
        "mediator",
        "short_notice_agreed",
        "short_notice_agreed_by",
        "supporters",
        "supporter_consent_by",
        "child_views",
    )

    starts_at: AwareDatetime | None = None
    minutes: int | None = Field(None, ge=30, le=480)
    format: MeetingFormat | None = None
    venue: int | None = None
    room: int | None = None
    online_link: str | None = Field(None, max_length=500)
    mediator: str | None = None
    short_notice_agreed: bool | None = None
    short_notice_agreed_by: str | None = Field(None, max_length=200)
    supporters: list[str] | None = None
    supporter_consent_by: str | None = Field(None, max_length=200)
    child_views: str | None = Field(None, max_length=5000)


class CancelMeetingIn(In):
    reason: str = Field(min_length=1, max_length=2000)


class MeetingHeldIn(In):
    la_attended: bool = Field(description="Whether someone from the local authority attended")
    la_could_settle: bool | None = Field(None, description="Whether they had authority to settle")
    minutes_taken: int | None = Field(None, ge=1, le=720)
    outcome: MeetingOutcome


@router.post(
    "/{reference}/actions/arrange_meeting",
    response={200: CaseOut, **ERRORS},
    **_described("arrange_meeting"),
)
def arrange_meeting(request: HttpRequest, reference: str, data: ArrangeMeetingIn) -> dict[str, Any]:
    def change(user: User, case: Any) -> None:
        services.arrange_meeting(
            actor=user,
            case=case,
            starts_at=data.starts_at,
            minutes=data.minutes,
            format=data.format,
            mediator=_mediator(data.mediator),
            venue=_venue(data.venue),
            room=_room(data.room),
            online_link=data.online_link,
            short_notice_agreed=data.short_notice_agreed,
            short_notice_agreed_by=data.short_notice_agreed_by,
            supporters=data.supporters,
            supporter_consent_by=data.supporter_consent_by,
            child_views=data.child_views,
        )

    return _act(request, reference, change)


@router.post(
    "/{reference}/actions/change_meeting",
    response={200: CaseOut, **ERRORS},
    **_described("change_meeting"),
)
def change_meeting(request: HttpRequest, reference: str, data: ChangeMeetingIn) -> dict[str, Any]:
    sent = data.dict(exclude_unset=True)

    # Only the venue and the room can be taken away with null; anything else sent as null is
    # refused naming it, rather than quietly kept as it was.
    nulls = sorted(name for name, value in sent.items() if value is None and name not in ("venue", "room"))
    if nulls:
        raise ApiError(
            400,
            "invalid_input",
            "Leave out what does not change; it cannot be null",
            fields={name: "Leave this out to keep it as it is; it cannot be null" for name in nulls},
        )

    def change(user: User, case: Any) -> None:
        fields: dict[str, Any] = {}
        for name, value in sent.items():
            if name == "mediator":
                fields[name] = _mediator(value)
            elif name == "venue":
                fields[name] = _venue(value)
            elif name == "room":
                fields[name] = _room(value)
            else:
                fields[name] = value
        services.change_meeting(actor=user, case=case, **fields)

    return _act(request, reference, change)


@router.post(
    "/{reference}/actions/cancel_meeting",
    response={200: CaseOut, **ERRORS},
    **_described("cancel_meeting"),
)
def cancel_meeting(request: HttpRequest, reference: str, data: CancelMeetingIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.cancel_meeting(actor=user, case=case, reason=data.reason),
    )


@router.post(
    "/{reference}/actions/record_meeting_held",
    response={200: CaseOut, **ERRORS},
    **_described("record_meeting_held"),
)
def record_meeting_held(request: HttpRequest, reference: str, data: MeetingHeldIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.record_meeting_held(
            actor=user,
            case=case,
            la_attended=data.la_attended,
            la_could_settle=data.la_could_settle,
            minutes_taken=data.minutes_taken,
            outcome=data.outcome,
        ),
    )


__all__ = ["router"]
