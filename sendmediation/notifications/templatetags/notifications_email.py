"""Dates in emails, GOV.UK style ("1 December 2026", "10am"), in UK time, from dates or stored ISO text."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import template

from sendmediation.common.clock_times import format_clock_time

register = template.Library()
LONDON = ZoneInfo("Europe/London")
_MONTHS = (
    "", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.astimezone(LONDON).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return _as_date(datetime.fromisoformat(value)) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _as_datetime(value: object) -> datetime | None:
    if isinstance(value, str) and value:
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime):
        return value.astimezone(LONDON) if value.tzinfo else value.replace(tzinfo=LONDON)
    return None


@register.filter
def long_date(value: object) -> str:
    """1 December 2026"""
    day = _as_date(value)
    return f"{day.day} {_MONTHS[day.month]} {day.year}" if day else str(value or "")


@register.filter
def weekday_date(value: object) -> str:
    """Tuesday 1 December 2026"""
    day = _as_date(value)
    return f"{_DAYS[day.weekday()]} {long_date(day)}" if day else str(value or "")


@register.filter
def clock_time(value: object) -> str:
    """10am, 2:30pm, midday, midnight (UK time)."""
    moment = _as_datetime(value)
    return str(value or "") if moment is None else format_clock_time(moment)


@register.filter
def day_and_time(value: object) -> str:
    """Monday 30 November 2026 at 10am (UK time)."""
    moment = _as_datetime(value)
    if moment is None:
        return str(value or "")
    return f"{weekday_date(moment)} at {clock_time(moment)}"
