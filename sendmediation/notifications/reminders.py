"""Daily deadline reminders: one digest per person of what is overdue or due within 2 working days.

The digest builder is pure and works on anything shaped like ``DeadlineLike``; the casework app
supplies the deadlines through the function named by ``NOTIFICATIONS_DEADLINE_SOURCE``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.services import queue_email, text_setting
from sendmediation.statutory.calendar import WorkingDayCalendar
from sendmediation.statutory.rules import RULES

logger = logging.getLogger(__name__)

WORKING_DAYS_AHEAD = 2
DEFAULT_SOURCE = "sendmediation.cases.reminders.deadlines_for_reminders"


class AssigneeLike(Protocol):
    @property
    def pk(self) -> Any: ...
    @property
    def email(self) -> str: ...
    @property
    def display_name(self) -> str: ...


class DeadlineLike(Protocol):
    """A deadline on a case, as the casework app stores it, plus who should act and where the case is."""

    @property
    def rule(self) -> str: ...
    @property
    def due(self) -> date: ...
    @property
    def met_on(self) -> date | None: ...
    @property
    def agreed_override(self) -> date | None: ...
    @property
    def case_reference(self) -> str: ...
    @property
    def case_path(self) -> str: ...
    @property
    def assignee(self) -> AssigneeLike | None: ...


@dataclass(frozen=True)
class DigestItem:
    case_reference: str
    label: str
    due: date
    case_url: str

    def as_context(self) -> dict[str, str]:
        return {
            "case_reference": self.case_reference,
            "label": self.label,
            "due": self.due.isoformat(),
            "case_url": self.case_url,
        }


@dataclass(frozen=True)
class Digest:
    assignee_key: str
    email: str
    name: str
    overdue: tuple[DigestItem, ...]
    due_soon: tuple[DigestItem, ...]

    def context(self, today: date) -> dict[str, Any]:
        return {
            "name": self.name,
            "today": today.isoformat(),
            "overdue": [item.as_context() for item in self.overdue],
            "due_soon": [item.as_context() for item in self.due_soon],
        }


def effective_due(deadline: DeadlineLike) -> date:
    """A date the parties agreed in writing (reg 42(5)) replaces the statutory one for reminders."""
    return deadline.agreed_override or deadline.due


def reminder_horizon(today: date, calendar: WorkingDayCalendar) -> date:
    return calendar.add_working_days(today, WORKING_DAYS_AHEAD)


def _label(rule: str) -> str:
    known = RULES.get(rule)
    return known.label if known else rule.replace("_", " ").capitalize()


def _url(path: str, site_url: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{site_url.rstrip('/')}{path}"


def build_digests(
    deadlines: Iterable[DeadlineLike], *, today: date, calendar: WorkingDayCalendar, site_url: str = ""
) -> list[Digest]:
    """Group unmet deadlines that are overdue or due within 2 working days by the person who must act."""
    horizon = reminder_horizon(today, calendar)
    overdue: dict[str, list[DigestItem]] = {}
    due_soon: dict[str, list[DigestItem]] = {}
    people: dict[str, AssigneeLike] = {}
    unassigned = 0
    for deadline in deadlines:
        if deadline.met_on is not None:
            continue
        due = effective_due(deadline)
        if due > horizon:
            continue
        person = deadline.assignee
        if person is None or not person.email:
            unassigned += 1
            continue
        key = str(person.pk)
        people[key] = person
        item = DigestItem(
            deadline.case_reference, _label(deadline.rule), due, _url(deadline.case_path, site_url)
        )
        (overdue if due < today else due_soon).setdefault(key, []).append(item)
    if unassigned:
        logger.warning("%s deadlines due soon or overdue have nobody to remind", unassigned)

    def ordered(items: list[DigestItem]) -> tuple[DigestItem, ...]:
        return tuple(sorted(items, key=lambda item: (item.due, item.case_reference, item.label)))

    return [
        Digest(
            assignee_key=key,
            email=people[key].email,
            name=people[key].display_name,
            overdue=ordered(overdue.get(key, [])),
            due_soon=ordered(due_soon.get(key, [])),
        )
        for key in sorted(people)
    ]


def queue_deadline_digests(
    *, deadlines: Iterable[DeadlineLike], today: date, calendar: WorkingDayCalendar
) -> list[OutboxMessage]:
    """Queue today's digests; running twice on the same day queues nothing more."""
    digests = build_digests(deadlines, today=today, calendar=calendar, site_url=settings.SITE_URL)
    with transaction.atomic():
        return [
            queue_email(
                to=digest.email,
                template="deadline_digest",
                context=digest.context(today),
                dedupe_key=f"deadline-digest:{digest.assignee_key}:{today.isoformat()}",
            )
            for digest in digests
        ]


def service_calendar() -> WorkingDayCalendar:
    try:
        from sendmediation.statutory.services import current_calendar
    except ImportError:  # pragma: no cover - before staff-entered holidays existed
        from sendmediation.statutory.calendar import england_calendar

        return england_calendar()
    return current_calendar()


def deadline_source() -> Callable[..., Iterable[DeadlineLike]] | None:
    """The casework app's function ``(*, until: date) -> unmet deadlines due on or before until``."""
    path = text_setting("NOTIFICATIONS_DEADLINE_SOURCE", DEFAULT_SOURCE)
    try:
        found: Callable[..., Iterable[DeadlineLike]] = import_string(path)
    except ImportError:
        logger.warning("No deadline reminders: %s cannot be imported", path)
        return None
    return found


def send_daily_reminders(*, today: date) -> int:
    """The daily job: on working days, queue one digest per person. Returns how many were queued."""
    calendar = service_calendar()
    if not calendar.is_working_day(today):
        return 0
    source = deadline_source()
    if source is None:
        return 0
    deadlines = source(until=reminder_horizon(today, calendar))
    return len(queue_deadline_digests(deadlines=deadlines, today=today, calendar=calendar))
