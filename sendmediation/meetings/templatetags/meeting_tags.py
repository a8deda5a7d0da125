"""Meetings on the pages casework owns (the case page, My work, the family's page), by template
include: casework's Python never imports meetings."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import can_arrange, is_la_officer, role_of, sees_every_case
from sendmediation.cases.models import Case
from sendmediation.meetings.models import FamilyAvailability, Meeting
from sendmediation.meetings.services import link_visible_to

register = template.Library()

MY_WORK_LIMIT = 20


@register.simple_tag
def case_meetings(case: Case, user: Any) -> list[dict[str, Any]]:
    """The case's meetings, newest first, each with whether this person may see its online link."""
    meetings = case.meetings.select_related("venue", "room", "mediator").prefetch_related("attendees")
    return [
        {
            "meeting": meeting,
            "show_link": bool(meeting.online_link) and meeting.is_arranged and link_visible_to(meeting, user),
            "attendees": list(meeting.attendees.all()),
        }
        for meeting in meetings.order_by("-starts_at", "-id")
    ]


@register.simple_tag
def family_can_make_for(case: Case, user: Any) -> str:
    """What the family can make, in a line, for those who arrange meetings; "" for anyone else."""
    if not can_arrange(user):
        return ""
    record = FamilyAvailability.objects.filter(case=case).first()
    if record is None:
        taken_as = FamilyAvailability(case=case).summary()
        return f"Not recorded: taken as {taken_as[0].lower()}{taken_as[1:]}"
    return record.summary()


@register.simple_tag
def upcoming_meetings(user: Any) -> list[Meeting]:
    """Meetings still to come that this person has a part in: an officer's authority's cases, a
    mediator's own meetings, a coordinator's cases, every meeting for a manager."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    meetings = Meeting.objects.upcoming(timezone.now())
    if sees_every_case(user):
        pass
    elif is_la_officer(user):
        meetings = meetings.filter(_case_visible(user))
    elif role_of(user) == User.Role.MEDIATOR:
        meetings = meetings.filter(mediator=user)
    elif can_arrange(user):
        meetings = meetings.filter(case__coordinator=user)
    else:
        meetings = meetings.filter(_case_visible(user))
    # The first few found alone, then joined to what the page shows: asked in one go, SQLite
    # started from the mediators and read every meeting each had ever held (190 ms at 100,000).
    first = meetings.values("pk")[:MY_WORK_LIMIT]
    shown = Meeting.objects.filter(pk__in=first).select_related("case", "venue", "room", "mediator")
    return list(shown.order_by("starts_at", "id"))


def _case_visible(user: Any) -> Exists:
    """Each meeting to come checks its own case: not a list of every case the person may see first,
    which for a large authority is thousands of cases for a handful of meetings."""
    return Exists(Case.objects.visible_to(user).filter(pk=OuterRef("case_id")))


@register.simple_tag
def family_meetings(case: Case) -> list[Meeting]:
    """The family's meetings still to come, for their own page: they are invited, so they see the link."""
    return list(case.meetings.upcoming(timezone.now()).select_related("venue", "room"))
