"""Domain errors from casework. Views turn them into messages, the API into JSON errors."""

from __future__ import annotations

import datetime


class CaseworkError(Exception):
    """Something the person asked for cannot be done. ``message`` is fit to show them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionNotAllowed(CaseworkError):
    """The case's status does not allow this action (HTTP 409)."""

    def __init__(self, message: str, *, action: str, status: str) -> None:
        super().__init__(message)
        self.action = action
        self.status = status


class ActionNotPermitted(CaseworkError):
    """This person's role may not do this (HTTP 403)."""

    def __init__(self, message: str, *, action: str, role: str) -> None:
        super().__init__(message)
        self.action = action
        self.role = role


class CaseNotVisible(CaseworkError):
    """The case is outside this person's scope: to them it does not exist (HTTP 404)."""

    def __init__(self) -> None:
        super().__init__("Case not found")


class InvalidChange(CaseworkError):
    """The change is allowed, but something it needs is missing or wrong (HTTP 422).

    ``field`` names the input at fault, for a form to show the message beside it.
    """

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class BookingClash(CaseworkError):
    """The person already has something booked then (HTTP 409 unless the clash is accepted)."""

    def __init__(self, message: str, *, reference: str, booked_for: datetime.datetime) -> None:
        super().__init__(message)
        self.reference = reference
        self.booked_for = booked_for


class OtherAuthority(InvalidChange):
    """The postcode is in another local authority: confirm the case's authority, or correct it."""

    def __init__(self, message: str, *, field: str, postcode_authority: str) -> None:
        super().__init__(message, field=field)
        self.postcode_authority = postcode_authority


class MeetingClash(CaseworkError):
    """The mediator, the room or the family already has a meeting then (HTTP 409).

    ``field`` names the input at fault (mediator, room or starts_at), for a form to show the
    message beside it."""

    def __init__(self, message: str, *, field: str, reference: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.reference = reference


class MustKeep(CaseworkError):
    """Erasure asked for where the law requires us to keep the record; the message says why (HTTP 409)."""
