"""A proposed schedule over JSON, so that another system can check it: the same optimiser as the
"Propose a schedule" page, on the cases waiting for a meeting that the token's user may see.

Coordinators and managers only (403 for anyone else). Nothing is arranged: meetings are arranged
through POST /api/v1/cases/{reference}/actions/arrange_meeting, which checks every rule again.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from sendmediation.api.cases import ERRORS, In, StaffToken, _domain_errors, _user
from sendmediation.meetings.scheduling.accept import propose_schedule
from sendmediation.meetings.scheduling.from_database import aware

router = Router(auth=StaffToken())


class ProposalsIn(In):
    cases: list[str] | None = Field(
        None,
        min_length=1,
        max_length=1000,
        description="The references of the cases to propose meetings for; leave out for every case waiting",
    )


class ProposedMeetingOut(Schema):
    case: str
    mediator: str = Field(description="The mediator's username")
    venue: int | None = Field(description="The venue's id; null for a meeting online")
    room: int | None = Field(description="The room's id at the venue; null for a meeting online")
    format: str = Field(description="in_person or online")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    family_km: float | None = Field(description="Straight-line km from the family's postcode; 0 online")
    why: str = Field(description="Why this venue was chosen")


class UnplacedOut(Schema):
    case: str
    reason: str


class ProposalsOut(Schema):
    meetings: list[ProposedMeetingOut]
    unplaced: list[UnplacedOut]


@router.post(
    "/proposals",
    response={200: ProposalsOut, **ERRORS},
    summary="Propose a schedule",
    operation_id="schedule_proposals",
)
def proposals(request: HttpRequest, data: ProposalsIn) -> dict[str, Any]:
    """Meetings proposed for the cases named (or every case waiting for a meeting), each inside
    its deadline with at least 5 working days' notice, and the cases that cannot be placed with
    the reason. A reference the user cannot see, or of a case not waiting for a meeting, is a 400."""
    user = _user(request)
    with _domain_errors():
        proposal = propose_schedule(actor=user, references=data.cases)
    return {
        "meetings": [
            {
                "case": p.case,
                "mediator": p.mediator,
                "venue": p.venue,
                "room": p.room,
                "format": p.format,
                "starts_at": aware(p.starts_at),
                "ends_at": aware(p.ends_at),
                "family_km": p.family_km,
                "why": p.why,
            }
            for p in sorted(proposal.schedule.placements, key=lambda p: (p.starts_at, p.case))
        ],
        "unplaced": [{"case": u.case, "reason": u.reason} for u in proposal.schedule.unplaced],
    }


__all__ = ["router"]
