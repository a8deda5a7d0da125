"""Propose a schedule for the cases waiting, and accept proposals through the same front door as
arranging a meeting by hand (``services.arrange_meeting``), so that every rule is checked again
and everyone invited is emailed.

Proposing changes nothing; accepting arranges one meeting per case, each in its own transaction,
so one refusal (a clash since the proposal was made, say) leaves the others arranged.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import can_arrange
from sendmediation.cases.errors import ActionNotPermitted, CaseworkError, InvalidChange
from sendmediation.cases.models import Case
from sendmediation.cases.references import normalise_reference
from sendmediation.meetings import services
from sendmediation.meetings.models import Meeting, Room, Venue
from sendmediation.meetings.scheduling import solver
from sendmediation.meetings.scheduling.from_database import aware, build_problem, waiting_cases
from sendmediation.meetings.scheduling.problem import ONLINE, Placement, Problem, Schedule
from sendmediation.statutory.services import current_calendar

# Long enough for a few hundred cases; a handful is solved in well under a second.
PROPOSAL_SECONDS = 8.0


@dataclass
class Proposal:
    problem: Problem
    schedule: Schedule
    mediator_names: dict[str, str]
    venue_names: dict[int, str]
    room_names: dict[int, str]


def _allowed(actor: User) -> None:
    if not can_arrange(actor):
        raise ActionNotPermitted(
            "Cannot propose a schedule: only coordinators and managers arrange meetings",
            action="arrange_meeting",
            role=getattr(actor, "role", ""),
        )


def propose_schedule(
    *,
    actor: User,
    references: Sequence[str] | None = None,
    now: datetime.datetime | None = None,
    seconds: float = PROPOSAL_SECONDS,
) -> Proposal:
    """Meetings proposed for every case waiting for one (or only those named) that the actor may
    see; nothing is arranged until a proposal is accepted."""
    _allowed(actor)
    now = now or timezone.now()
    if references is not None:
        references = [normalise_reference(reference) for reference in references]
    cases = waiting_cases(actor, references)
    if references is not None:
        missing = sorted(set(references) - {case.reference for case in cases})
        if missing:
            raise InvalidChange(
                f"{', '.join(missing)}: no case you can see with that reference is waiting for a meeting",
                field="cases",
            )
    problem = build_problem(cases=cases, now=now, calendar=current_calendar())
    schedule = solver.propose(problem, seconds=seconds) if problem.cases else Schedule([], [])
    users = User.objects.filter(username__in={m.key for m in problem.mediators})
    return Proposal(
        problem=problem,
        schedule=schedule,
        mediator_names={user.username: user.display_name for user in users},
        venue_names={venue.key: venue.name for venue in problem.venues},
        room_names={room.key: room.name for venue in problem.venues for room in venue.rooms},
    )


@dataclass
class Outcome:
    case: str
    meeting: Meeting | None
    problem: str = ""


def accept_proposals(
    *,
    actor: User,
    placements: Sequence[Placement],
    online_links: Mapping[str, str] | None = None,
    now: datetime.datetime | None = None,
) -> list[Outcome]:
    """Arrange each proposed meeting through ``arrange_meeting``; what it refuses is reported for
    that case, in its words, and the rest go ahead."""
    _allowed(actor)
    links = online_links or {}
    outcomes = []
    for placement in placements:
        case = Case.objects.visible_to(actor).filter(reference=placement.case).first()
        if case is None:
            outcomes.append(Outcome(placement.case, None, "There is no such case"))
            continue
        mediator = User.objects.filter(username=placement.mediator, role=User.Role.MEDIATOR).first()
        venue = Venue.objects.filter(pk=placement.venue).first() if placement.venue is not None else None
        room = Room.objects.filter(pk=placement.room).first() if placement.room is not None else None
        if mediator is None:
            outcomes.append(Outcome(placement.case, None, "Choose a mediator who works for the service"))
            continue
        try:
            meeting = services.arrange_meeting(
                actor=actor,
                case=case,
                starts_at=aware(placement.starts_at),
                minutes=round((placement.ends_at - placement.starts_at).total_seconds() / 60),
                format=placement.format,
                mediator=mediator,
                venue=venue,
                room=room,
                online_link=links.get(placement.case, "") if placement.format == ONLINE else "",
                now=now,
            )
        except CaseworkError as refused:
            outcomes.append(Outcome(placement.case, None, refused.message))
        else:
            outcomes.append(Outcome(placement.case, meeting))
    return outcomes
