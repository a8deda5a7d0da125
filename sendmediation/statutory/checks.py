"""System checks: warn before the calendar runs out of known bank holidays."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.checks import CheckMessage, Warning
from django.utils import timezone

from sendmediation.statutory.calendar import WorkingDayCalendar

NO_HOLIDAYS_NEXT_YEAR = "statutory.W001"


def next_year_warnings(calendar: WorkingDayCalendar, *, today: date) -> list[CheckMessage]:
    """A warning if ``calendar`` knows no bank holidays in the year after ``today``."""
    year = today.year + 1
    if calendar.has_holidays_for(year):
        return []
    return [
        Warning(
            f"The working-day calendar knows no bank holidays for {year}, so deadlines that run "
            f"into {year} would count every weekday as a working day.",
            hint=(
                "Upgrade the holidays package, or widen CALENDAR_YEARS in "
                "sendmediation/statutory/services.py, then add any one-off holidays in the admin."
            ),
            obj="statutory",
            id=NO_HOLIDAYS_NEXT_YEAR,
        )
    ]


def check_calendar_knows_next_year(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    # The base calendar needs no database, so this runs even before migrations.
    from sendmediation.statutory.services import base_calendar

    return next_year_warnings(base_calendar(), today=timezone.localdate())
