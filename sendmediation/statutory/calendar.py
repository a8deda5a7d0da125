"""The working-day calendar for England.

A working day is any day except a Saturday, a Sunday, Christmas Day, Good Friday or a bank
holiday in England and Wales (substitute days included).  The calendar covers a fixed range of
whole years and refuses dates outside it rather than guess.  Every deadline function takes the
calendar as an argument; nothing here is global.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from types import MappingProxyType

from .errors import OutsideCalendar

__all__ = [
    "MONTH_NAMES",
    "WorkingDayCalendar",
    "add_months",
    "days_in_month",
    "easter_sunday",
    "england_calendar",
    "format_date",
    "good_friday",
    "is_leap_year",
]

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBREVIATIONS = (
    "", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
MONTH_NAMES = (
    "",
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_ONE_DAY = timedelta(days=1)


def format_date(d: date) -> str:
    """Format a date as "Fri 25 Dec 2026" (independent of the process locale)."""
    return f"{_DAY_NAMES[d.weekday()]} {d.day} {_MONTH_ABBREVIATIONS[d.month]} {d.year}"


def is_leap_year(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2 and is_leap_year(year):
        return 29
    return _DAYS_IN_MONTH[month]


def add_months(d: date, n: int) -> date:
    """The corresponding date ``n`` months later, or the last day of that month if it is shorter."""
    months = d.month - 1 + n
    year = d.year + months // 12
    month = months % 12 + 1
    day = d.day
    if day > 28:
        day = min(day, days_in_month(year, month))
    return date(year, month, day)


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def good_friday(year: int) -> date:
    return easter_sunday(year) - timedelta(days=2)


def _plain_name(name: str) -> str:
    # The holidays library says "observed"; people in England say "substitute day".
    return "; ".join(
        part[: -len(" (observed)")] + " (substitute day)" if part.endswith(" (observed)") else part
        for part in name.split("; ")
    )


class WorkingDayCalendar:
    """Working days between 1 January ``first_year`` and 31 December ``last_year``.

    Counting is done with tables built once, so adding or subtracting working days is a couple
    of list look-ups however far apart the dates are.
    """

    __slots__ = (
        "_base",
        "_days",
        "_first",
        "_holiday_years",
        "_holidays",
        "_last",
        "_non_working",
        "_size",
        "_upto",
        "_working",
        "_working_dates",
    )

    def __init__(self, holidays: Mapping[date, str], *, first_year: int, last_year: int) -> None:
        if first_year > last_year:
            raise ValueError(f"first_year {first_year} is after last_year {last_year}")
        self._first = date(first_year, 1, 1)
        self._last = date(last_year, 12, 31)
        outside = sorted(d for d in holidays if not self._first <= d <= self._last)
        if outside:
            raise OutsideCalendar(
                f"The holiday on {format_date(outside[0])} is outside the calendar's years "
                f"({first_year} to {last_year}); widen the years to include it"
            )
        self._holidays: Mapping[date, str] = MappingProxyType({d: holidays[d] for d in sorted(holidays)})
        self._holiday_years = frozenset(d.year for d in holidays)
        self._base = self._first.toordinal()
        self._size = self._last.toordinal() - self._base + 1

        working = bytearray(self._size)
        upto = [0] * self._size
        days: list[date] = []
        working_dates: list[date] = []
        non_working: list[int] = []
        count = 0
        day = self._first
        for i in range(self._size):
            days.append(day)
            if day.weekday() < 5 and day not in holidays:
                working[i] = 1
                count += 1
                working_dates.append(day)
            else:
                non_working.append(self._base + i)
            upto[i] = count
            day += _ONE_DAY
        self._days = tuple(days)
        self._working = bytes(working)
        # upto[i]: working days from the first day up to and including day i.
        self._upto = upto
        self._working_dates = working_dates
        self._non_working = non_working

    # -- what the calendar covers -------------------------------------------------------------

    @property
    def first_day(self) -> date:
        return self._first

    @property
    def last_day(self) -> date:
        return self._last

    @property
    def holidays(self) -> Mapping[date, str]:
        """Every holiday, date to name, in date order (including those that fall at a weekend)."""
        return self._holidays

    @property
    def days(self) -> tuple[date, ...]:
        """Every day the calendar covers, in order."""
        return self._days

    def covers(self, d: date) -> bool:
        return self._first <= d <= self._last

    def has_holidays_for(self, year: int) -> bool:
        """Whether the calendar knows any bank holidays in ``year`` (a year without any is suspect)."""
        return year in self._holiday_years

    def with_extra_holidays(self, extra: Mapping[date, str]) -> WorkingDayCalendar:
        """A new calendar with one-off holidays added (for example, a royal proclamation).

        The years stay the same; a holiday outside them raises ``OutsideCalendar`` (use
        ``england_calendar(extra_holidays=...)`` to widen the years with their bank holidays).
        """
        merged = dict(self._holidays)
        for d, name in extra.items():
            merged[d] = f"{merged[d]}; {name}" if d in merged and merged[d] != name else name
        return WorkingDayCalendar(merged, first_year=self._first.year, last_year=self._last.year)

    def _index(self, d: date) -> int:
        i = d.toordinal() - self._base
        if i < 0 or i >= self._size:
            raise self._outside(d)
        return i

    def _outside(self, d: date) -> OutsideCalendar:
        return OutsideCalendar(
            f"{format_date(d)} is outside the working-day calendar, which covers "
            f"{format_date(self._first)} to {format_date(self._last)}"
        )

    # -- single days -------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        return self._working[self._index(d)] == 1

    def holiday_name(self, d: date) -> str | None:
        self._index(d)
        return self._holidays.get(d)

    def non_working_reason(self, d: date) -> str | None:
        """Why ``d`` is not a working day, in a sentence, or None if it is one."""
        i = self._index(d)
        if self._working[i]:
            return None
        if d.weekday() >= 5:
            return f"{format_date(d)} is a weekend"
        return f"{self._holidays[d]}, {format_date(d)}, is not a working day"

    def non_working_days_between(self, after: date, before: date) -> list[date]:
        """Non-working days strictly after ``after`` and strictly before ``before``."""
        lo = self._index(after) + self._base
        hi = self._index(before) + self._base
        start = bisect_right(self._non_working, lo)
        stop = bisect_left(self._non_working, hi)
        return [date.fromordinal(o) for o in self._non_working[start:stop]]

    # -- counting ----------------------------------------------------------------------------

    def add_working_days(self, d: date, n: int) -> date:
        """The date ``n`` working days after ``d``; ``d`` itself is not counted."""
        if n < 0:
            return self.subtract_working_days(d, -n)
        i = d.toordinal() - self._base
        if i < 0 or i >= self._size:
            raise self._outside(d)
        if n == 0:
            return d
        j = self._upto[i] + n - 1
        if j >= len(self._working_dates):
            raise OutsideCalendar(
                f"{n} working days after {format_date(d)} is beyond the end of the working-day "
                f"calendar ({format_date(self._last)})"
            )
        return self._working_dates[j]

    def subtract_working_days(self, d: date, n: int) -> date:
        """The date ``n`` working days before ``d``; ``d`` itself is not counted."""
        if n < 0:
            return self.add_working_days(d, -n)
        i = d.toordinal() - self._base
        if i < 0 or i >= self._size:
            raise self._outside(d)
        if n == 0:
            return d
        j = self._upto[i] - self._working[i] - n
        if j < 0:
            raise OutsideCalendar(
                f"{n} working days before {format_date(d)} is before the start of the "
                f"working-day calendar ({format_date(self._first)})"
            )
        return self._working_dates[j]

    def next_working_day(self, d: date) -> date:
        """The first working day after ``d`` (never ``d`` itself)."""
        return self.add_working_days(d, 1)

    def working_day_on_or_after(self, d: date) -> date:
        """``d`` if it is a working day, otherwise the next working day."""
        if self._working[self._index(d)]:
            return d
        return self.add_working_days(d, 1)

    def working_days_between(self, after: date, until: date) -> int:
        """How many working days fall after ``after`` up to and including ``until``."""
        return self._upto[self._index(until)] - self._upto[self._index(after)]

    def day_index(self, d: date) -> int:
        """The position of ``d`` in ``days`` (0 for 1 January of the first year)."""
        return self._index(d)

    def working_day_lookup(self, n: int) -> tuple[int, list[date]]:
        """For each day index, the day ``n`` working days after it (before, if ``n`` is negative).

        Returns ``(first, dates)``: ``dates[i]`` is the answer for ``days[i]``, valid only for
        ``first <= i < len(dates)``; the other starts would give an answer outside the calendar.
        """
        if n == 0:
            return 0, list(self._days)
        upto, found = self._upto, self._working_dates
        if n > 0:
            stop = bisect_left(upto, len(found) - n + 1)
            return 0, [found[upto[i] + n - 1] for i in range(stop)]
        working = self._working
        first = 0
        while first < self._size and upto[first] - working[first] + n < 0:
            first += 1
        placeholder = [self._first] * first
        return first, placeholder + [found[upto[i] - working[i] + n] for i in range(first, self._size)]

    @staticmethod
    def add_months(d: date, n: int) -> date:
        return add_months(d, n)

    def __repr__(self) -> str:
        return f"<WorkingDayCalendar {self._first.year}-{self._last.year}, {len(self._holidays)} holidays>"


def england_calendar(
    years: Iterable[int] = range(2000, 2041),
    extra_holidays: Mapping[date, str] | None = None,
) -> WorkingDayCalendar:
    """The England calendar from the ``holidays`` package, plus any one-off holidays.

    The range runs from the earliest to the latest year given (widened to take in any extra
    holiday), with no gaps, so a missing year can never pass for a year without holidays.
    """
    # Imported here so that a calendar built from its own holidays never loads the library.
    import holidays as holidays_package

    extra = dict(extra_holidays or {})
    wanted = {*years, *(d.year for d in extra)}
    if not wanted:
        raise ValueError("Give at least one year for the calendar")
    first, last = min(wanted), max(wanted)
    source = holidays_package.country_holidays(
        "GB", subdiv="ENG", years=range(first, last + 1), observed=True
    )
    named: dict[date, str] = {d: _plain_name(str(name)) for d, name in source.items()}
    for year in range(first, last + 1):
        # Named in the definition of a working day, so never left to the library alone.
        named.setdefault(date(year, 12, 25), "Christmas Day")
        named.setdefault(good_friday(year), "Good Friday")
    for d, name in extra.items():
        named[d] = f"{named[d]}; {name}" if d in named and named[d] != name else name
    return WorkingDayCalendar(named, first_year=first, last_year=last)
