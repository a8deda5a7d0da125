"""The system check that warns before the calendar runs out of known bank holidays."""

from __future__ import annotations

from datetime import date

from django.core import checks

from sendmediation.statutory.calendar import WorkingDayCalendar, england_calendar
from sendmediation.statutory.checks import (
    NO_HOLIDAYS_NEXT_YEAR,
    check_calendar_knows_next_year,
    next_year_warnings,
)


def test_a_calendar_that_stops_this_year_warns():
    calendar = england_calendar(years=[2026])
    warnings = next_year_warnings(calendar, today=date(2026, 11, 28))

    assert [w.id for w in warnings] == [NO_HOLIDAYS_NEXT_YEAR]
    assert warnings[0].level == checks.WARNING
    assert "no bank holidays for 2027" in warnings[0].msg


def test_a_calendar_whose_next_year_has_no_holidays_warns():
    holidays = {date(2026, 12, 25): "Christmas Day", date(2028, 12, 25): "Christmas Day"}
    calendar = WorkingDayCalendar(holidays, first_year=2026, last_year=2028)

    assert [w.id for w in next_year_warnings(calendar, today=date(2026, 1, 1))] == [NO_HOLIDAYS_NEXT_YEAR]
    assert next_year_warnings(calendar, today=date(2027, 6, 1)) == []


def test_next_year_is_a_year_after_today_even_on_new_years_eve():
    calendar = england_calendar(years=range(2026, 2028))
    assert next_year_warnings(calendar, today=date(2026, 12, 31)) == []
    assert [w.id for w in next_year_warnings(calendar, today=date(2027, 1, 1))] == [NO_HOLIDAYS_NEXT_YEAR]


def test_the_england_calendar_passes_the_check_today():
    assert next_year_warnings(england_calendar(), today=date(2026, 11, 28)) == []


def test_the_check_is_registered_and_quiet_with_the_calendar_the_service_uses():
    messages = checks.run_checks()
    assert not [m for m in messages if m.id == NO_HOLIDAYS_NEXT_YEAR]
    assert check_calendar_knows_next_year in checks.registry.registry.get_checks()
