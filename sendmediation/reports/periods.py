"""The period a report covers: any two dates, and the usual ones a click away.

Quarters are calendar quarters; the financial year runs from 1 April, the academic year from
1 September. Both ends of a period count. The page and the API read dates with ``parse_period``,
so that both refuse the same input in the same words.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        return f"{_day(self.start)} to {_day(self.end)}"

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def _day(day: datetime.date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


class PeriodError(ValueError):
    """A date a person typed that cannot make a period; ``field`` is "from" or "to"."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def quarter_of(day: datetime.date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    return Period(start, _before(_add_months(start, 3)))


def last_quarter(today: datetime.date) -> Period:
    """The last whole quarter before today's."""
    return quarter_of(quarter_of(today).start - datetime.timedelta(days=1))


def quarters_ending(period_end: datetime.date, count: int) -> list[Period]:
    """``count`` quarters, oldest first, the last one holding ``period_end``."""
    quarters = [quarter_of(period_end)]
    while len(quarters) < count:
        quarters.insert(0, quarter_of(quarters[0].start - datetime.timedelta(days=1)))
    return quarters


def last_financial_year(today: datetime.date) -> Period:
    """The last whole year from 1 April to 31 March."""
    year = today.year if today.month >= 4 else today.year - 1
    return Period(datetime.date(year - 1, 4, 1), datetime.date(year, 3, 31))


def last_academic_year(today: datetime.date) -> Period:
    """The last whole year from 1 September to 31 August."""
    year = today.year if today.month >= 9 else today.year - 1
    return Period(datetime.date(year - 1, 9, 1), datetime.date(year, 8, 31))


def calendar_year(day: datetime.date) -> Period:
    return Period(datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    return datetime.date(day.year + index // 12, index % 12 + 1, 1)


def _before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=1)


# A report reaches back no further than this: older periods are refused rather than scanned.
EARLIEST = datetime.date(2000, 1, 1)


def _parse(field: str, text: str, what: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(field, f"{what} must be a real date in the form YYYY-MM-DD") from None
    if day < EARLIEST:
        raise PeriodError(field, f"{what} must be on or after 1 January 2000")
    return day


def parse_period(from_text: str | None, to_text: str | None, *, today: datetime.date) -> Period:
    """Two dates typed as YYYY-MM-DD (either may be left out) as a period; the last whole quarter
    when both are left out. Raises ``PeriodError`` naming the field at fault."""
    from_text, to_text = (from_text or "").strip(), (to_text or "").strip()
    if not from_text and not to_text:
        return last_quarter(today)
    if not from_text:
        raise PeriodError("from", "Enter the first day of the period")
    if not to_text:
        raise PeriodError("to", "Enter the last day of the period")
    start = _parse("from", from_text, "The first day")
    end = _parse("to", to_text, "The last day")
    if start > today:
        raise PeriodError("from", "The first day must be today or in the past")
    if end > today:
        raise PeriodError("to", "The last day must be today or in the past")
    if end < start:
        raise PeriodError("to", "The last day must be the same as or after the first day")
    return Period(start, end)
