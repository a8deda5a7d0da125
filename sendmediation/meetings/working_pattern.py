"""A member of staff's working pattern and leave: the front door the staff page and any other use.

A mediator keeps their own working days, hours, meetings a day and the authorities whose venues
they travel to; anyone on the service's staff keeps their own leave. Coordinators and managers may
keep them for anyone, as they arrange the meetings. The rules live on the models (``clean``), so
that the admin keeps them too; this module checks who may change what and says what is wrong in
words a person can act on.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import can_arrange, is_service_staff
from sendmediation.cases.errors import ActionNotPermitted, InvalidChange
from sendmediation.localities.models import LocalAuthority
from sendmediation.meetings.models import Leave, MediatorDiary
from sendmediation.meetings.weekly import refuse_unless_clean, set_weekdays

logger = logging.getLogger(__name__)

# Where a model's complaint about one of its fields shows on the form.
_FIELDS = {"monday": "days", "day_ends": "day_ends", "last_day": "last_day"}


def may_change(actor: User, person: User) -> bool:
    """Whether ``actor`` may change ``person``'s working pattern and leave."""
    return (
        is_service_staff(actor) and is_service_staff(person) and (actor.pk == person.pk or can_arrange(actor))
    )


def _allowed(actor: User, person: User, what: str) -> None:
    if not may_change(actor, person):
        raise ActionNotPermitted(
            "You can change your own working pattern and leave only", action=what, role=actor.role
        )


def working_pattern(person: User) -> MediatorDiary:
    """The person's diary as kept, or the defaults a mediator without one works to (not saved)."""
    diary = MediatorDiary.objects.filter(mediator=person).first()
    return diary if diary is not None else MediatorDiary(mediator=person)


@transaction.atomic
def save_working_pattern(
    *,
    actor: User,
    person: User,
    weekdays: Iterable[int],
    day_starts: datetime.time,
    day_ends: datetime.time,
    max_meetings_a_day: int,
    travels_to: Iterable[LocalAuthority],
) -> MediatorDiary:
    """Keep a mediator's working days, hours, meetings a day and where they travel to. Only a
    mediator's pattern is read by proposed schedules, as is only a mediator's leave."""
    _allowed(actor, person, "change_working_pattern")
    if person.role != User.Role.MEDIATOR:
        raise InvalidChange("Only a mediator has a working pattern for meetings")
    if day_ends <= day_starts:
        raise InvalidChange("The working day must end after it starts", field="day_ends")
    # Made first if missing (two first saves at once meet at the row, not at its unique key), then
    # locked; a refusal below rolls it back.
    MediatorDiary.objects.get_or_create(mediator=person)
    diary = MediatorDiary.objects.select_for_update().get(mediator=person)
    set_weekdays(diary, weekdays)
    diary.day_starts, diary.day_ends = day_starts, day_ends
    diary.max_meetings_a_day = max_meetings_a_day
    refuse_unless_clean(diary, fields=_FIELDS, exclude=["mediator"])
    diary.save()
    diary.travels_to.set(list(travels_to))
    logger.info("Working pattern of user id=%s kept by user id=%s", person.pk, actor.pk)
    return diary


def leave_from(person: User, *, today: datetime.date | None = None) -> list[Leave]:
    """The person's leave that has not yet ended, soonest first."""
    today = today or timezone.localdate()
    return list(Leave.objects.filter(person=person, last_day__gte=today).order_by("first_day", "id"))


@transaction.atomic
def add_leave(*, actor: User, person: User, first_day: datetime.date, last_day: datetime.date) -> Leave:
    """Keep days the person is away. Leave that has already ended is refused: it changes nothing."""
    _allowed(actor, person, "add_leave")
    if last_day < first_day:
        raise InvalidChange(
            "The last day of leave must be the same as or after the first day", field="last_day"
        )
    if last_day < timezone.localdate():
        raise InvalidChange(
            "That leave has already ended: enter leave that is still to come", field="last_day"
        )
    leave = Leave(person=person, first_day=first_day, last_day=last_day)
    refuse_unless_clean(leave, fields=_FIELDS, exclude=["person"])
    leave.save()
    logger.info("Leave id=%s of user id=%s added by user id=%s", leave.pk, person.pk, actor.pk)
    return leave


@transaction.atomic
def remove_leave(*, actor: User, person: User, leave_id: int) -> None:
    """Take back leave the person will no longer take."""
    _allowed(actor, person, "remove_leave")
    removed, _ = Leave.objects.filter(pk=leave_id, person=person).delete()
    if not removed:
        raise InvalidChange("That leave is not in the diary: it may have been taken back already")
    logger.info("Leave id=%s of user id=%s removed by user id=%s", leave_id, person.pk, actor.pk)
