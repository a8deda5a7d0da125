"""The working-day calendar the service runs on, and the front doors for one-off bank holidays.

``current_calendar()`` is the England calendar plus the one-off holidays staff have added.  Each
process builds it once and keeps it.  Every ``CHECK_EVERY_SECONDS`` at most, it reads one token
from the database (a single-row table that ``add_one_off_holiday`` and
``remove_one_off_holiday`` give a new random token in the same transaction as the change) and
rebuilds only when the token differs.  So a holiday added on one server reaches every other
server within a few seconds, with no shared cache and no restart, and the process that made the
change sees it as soon as the change commits.  The database is the shared state because the
default cache is per process.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.statutory.calendar import MONTH_NAMES, WorkingDayCalendar, england_calendar, format_date
from sendmediation.statutory.models import OneOffHoliday, OneOffHolidaysVersion
from sendmediation.statutory.signals import one_off_holidays_changed

__all__ = [
    "CALENDAR_YEARS",
    "CHECK_EVERY_SECONDS",
    "CalendarCache",
    "OneOffHolidayRefused",
    "add_one_off_holiday",
    "base_calendar",
    "current_calendar",
    "fresh_calendar",
    "remove_one_off_holiday",
    "validate_one_off_holiday",
]

logger = logging.getLogger(__name__)

CALENDAR_YEARS = range(2000, 2041)
# How stale another server's calendar may be after a change; a proclamation comes months ahead.
CHECK_EVERY_SECONDS = 5.0
NAME_MAX_LENGTH = OneOffHoliday._meta.get_field("name").max_length or 100


class OneOffHolidayRefused(ValueError):
    """The holiday cannot be added; ``field`` names the input at fault for a form to show."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@functools.cache
def base_calendar() -> WorkingDayCalendar:
    """The England calendar from the ``holidays`` package alone, built once per process."""
    return england_calendar(CALENDAR_YEARS)


def _calendar_with(extra: Mapping[date, str]) -> WorkingDayCalendar:
    base = base_calendar()
    if not extra:
        return base
    if all(base.covers(d) for d in extra):
        return base.with_extra_holidays(extra)
    # Only rows written around the services can be outside the years; widen rather than fail.
    return england_calendar(CALENDAR_YEARS, extra_holidays=extra)


def _read_token() -> uuid.UUID | None:
    return OneOffHolidaysVersion.objects.filter(pk=1).values_list("token", flat=True).first()


class CalendarCache:
    """One process's calendar, rebuilt when the one-off holidays' token changes."""

    def __init__(
        self,
        *,
        check_every: float = CHECK_EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._check_every = check_every
        self._clock = clock
        self._lock = threading.Lock()
        # (calendar, token it was built for, when the token was last read); replaced whole.
        self._state: tuple[WorkingDayCalendar, uuid.UUID | None, float] | None = None

    def calendar(self) -> WorkingDayCalendar:
        now = self._clock()
        state = self._state
        if state is not None and now - state[2] < self._check_every:
            return state[0]
        with self._lock:
            state = self._state
            # Token first, then the rows: the rows are then at least as new as the token says.
            token = _read_token()
            if state is not None and state[1] == token:
                calendar = state[0]
            else:
                calendar = _calendar_with(dict(OneOffHoliday.objects.values_list("date", "name")))
            self._state = (calendar, token, now)
            return calendar

    def forget(self) -> None:
        with self._lock:
            self._state = None


_cache = CalendarCache()


def current_calendar() -> WorkingDayCalendar:
    """The England working-day calendar with the one-off holidays staff have added."""
    return _cache.calendar()


def fresh_calendar() -> WorkingDayCalendar:
    """The calendar read straight from the database, for work that must not see a stale copy."""
    return _calendar_with(dict(OneOffHoliday.objects.values_list("date", "name")))


def _announce(day: date, *, added: bool) -> None:
    transaction.on_commit(
        lambda: one_off_holidays_changed.send(sender=OneOffHoliday, day=day, added=added), robust=True
    )


def _long_date(d: date) -> str:
    return f"{d.day} {MONTH_NAMES[d.month]} {d.year}"


def validate_one_off_holiday(*, date: date, name: str) -> None:
    """Raise ``OneOffHolidayRefused`` if this holiday cannot be added (admin forms call this too)."""
    if not name.strip():
        raise OneOffHolidayRefused("Enter the name of the bank holiday", field="name")
    if len(name.strip()) > NAME_MAX_LENGTH:
        raise OneOffHolidayRefused(
            f"Name of the bank holiday must be {NAME_MAX_LENGTH} characters or fewer", field="name"
        )
    base = base_calendar()
    if not base.covers(date):
        raise OneOffHolidayRefused(
            f"Date of the bank holiday must be between {_long_date(base.first_day)} "
            f"and {_long_date(base.last_day)}",
            field="date",
        )
    if date.weekday() >= 5:
        raise OneOffHolidayRefused(
            f"{format_date(date)} is at a weekend, so a bank holiday then would change no deadline",
            field="date",
        )
    existing = base.holiday_name(date)
    if existing is not None:
        raise OneOffHolidayRefused(
            f"{format_date(date)} is already a bank holiday ({existing})", field="date"
        )
    if OneOffHoliday.objects.filter(date=date).exists():
        raise OneOffHolidayRefused(
            f"There is already a one-off bank holiday on {format_date(date)}", field="date"
        )


def _mark_changed(now: datetime) -> None:
    values = {"token": uuid.uuid4(), "changed_at": now}
    if not OneOffHolidaysVersion.objects.filter(pk=1).update(**values):
        OneOffHolidaysVersion.objects.bulk_create(
            [OneOffHolidaysVersion(pk=1, **values)], ignore_conflicts=True
        )
        # Another writer may have created the row first; the token must still change.
        OneOffHolidaysVersion.objects.filter(pk=1).update(**values)
    transaction.on_commit(_cache.forget)


def _require(actor: User, permission: str) -> None:
    if not actor.has_perm(f"statutory.{permission}"):
        raise PermissionDenied(f"You need the {permission} permission to change one-off bank holidays")


@transaction.atomic
def add_one_off_holiday(*, actor: User, date: date, name: str) -> OneOffHoliday:
    """Add a one-off bank holiday; every deadline worked out after this counts it."""
    _require(actor, "add_oneoffholiday")
    validate_one_off_holiday(date=date, name=name)
    now = timezone.now()
    holiday = OneOffHoliday.objects.create(date=date, name=name.strip(), added_by=actor, added_at=now)
    _mark_changed(now)
    _announce(date, added=True)
    logger.info("One-off bank holiday added for %s by user %s", date.isoformat(), actor.pk)
    return holiday


@transaction.atomic
def remove_one_off_holiday(*, actor: User, holiday: OneOffHoliday) -> None:
    """Remove a one-off bank holiday (for example, one entered on the wrong date)."""
    _require(actor, "delete_oneoffholiday")
    deleted, _ = OneOffHoliday.objects.filter(pk=holiday.pk).delete()
    if deleted:
        _mark_changed(timezone.now())
        _announce(holiday.date, added=False)
        logger.info("One-off bank holiday removed for %s by user %s", holiday.date.isoformat(), actor.pk)
