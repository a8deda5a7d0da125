"""Properties of the calendar and the rules, against plain day-by-day versions written here."""

from __future__ import annotations

import calendar as stdlib_calendar
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sendmediation.statutory.bulk import DeadlineTable
from sendmediation.statutory.calendar import add_months, england_calendar
from sendmediation.statutory.rules import PERIODS, RULES, Deadline, appeal_by, compute, due_date

CALENDAR = england_calendar()
TABLE = DeadlineTable(CALENDAR)
HOLIDAYS = set(CALENDAR.holidays)
ONE_DAY = timedelta(days=1)

dates = st.dates(min_value=date(2001, 1, 1), max_value=date(2039, 6, 30))
working_days = dates.filter(CALENDAR.is_working_day)
counts = st.integers(min_value=0, max_value=60)
single_date_codes = st.sampled_from(sorted(code for code, rule in RULES.items() if not rule.needs_order))
WORKING_DAY_CODES = sorted(c for c, (unit, _) in PERIODS.items() if unit.startswith("working_days"))


# -- plain versions, one day at a time ---------------------------------------------------------


def plain_is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in HOLIDAYS


def plain_add_working_days(d: date, n: int) -> date:
    while n > 0:
        d += ONE_DAY
        if plain_is_working_day(d):
            n -= 1
    return d


def plain_subtract_working_days(d: date, n: int) -> date:
    while n > 0:
        d -= ONE_DAY
        if plain_is_working_day(d):
            n -= 1
    return d


def plain_add_months(d: date, n: int) -> date:
    year, month = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(year, month + 1, min(d.day, stdlib_calendar.monthrange(year, month + 1)[1]))


def in_window(d: date) -> bool:
    return (d.month, d.day) >= (12, 25) or (d.month, d.day) == (1, 1)


def plain_appeal_by(sent: date, certificate: date | None) -> date:
    """Rule 12 read literally: move out of the window or August, else onto the next working day."""
    due = plain_add_months(sent, 2)
    if certificate is not None:
        due = max(due, plain_add_months(certificate, 1))
    while True:
        if in_window(due):
            return plain_add_working_days(date(due.year + (due.month == 12), 1, 1), 1)
        if due.month == 8:
            return plain_add_working_days(date(due.year, 8, 31), 1)
        if plain_is_working_day(due):
            return due
        due = plain_add_working_days(due, 1)


# -- properties --------------------------------------------------------------------------------


@given(single_date_codes, dates)
def test_a_due_date_is_never_before_its_start(code: str, start: date) -> None:
    due = due_date(code, start, CALENDAR)
    if code == "meeting_notice":
        assert due < start  # notice is due before the meeting, by definition
    else:
        assert due > start


@given(st.sampled_from([*WORKING_DAY_CODES, "appeal_by"]), dates)
def test_working_day_results_are_working_days(code: str, start: date) -> None:
    assert CALENDAR.is_working_day(due_date(code, start, CALENDAR))


@given(dates, st.none() | st.integers(min_value=-30, max_value=120))
def test_appeal_never_lands_in_august_or_at_christmas(sent: date, gap: int | None) -> None:
    certificate = None if gap is None else sent + timedelta(days=gap)
    due = due_date("appeal_by", sent, CALENDAR, certificate_issued=certificate)
    assert due.month != 8
    assert not in_window(due)
    assert due == plain_appeal_by(sent, certificate)
    assert due >= plain_add_months(sent, 2)


@given(dates, st.none() | st.integers(min_value=0, max_value=120))
def test_appeal_is_the_first_acceptable_day_on_or_after_the_raw_date(sent: date, gap: int | None) -> None:
    certificate = None if gap is None else sent + timedelta(days=gap)
    raw = plain_add_months(sent, 2)
    if certificate is not None:
        raw = max(raw, plain_add_months(certificate, 1))
    day = raw
    while not (plain_is_working_day(day) and day.month != 8 and not in_window(day)):
        day += ONE_DAY
    assert appeal_by(sent, CALENDAR, certificate).due == day


@given(dates, dates)
def test_a_later_decision_never_gives_an_earlier_appeal_date(a: date, b: date) -> None:
    first, second = sorted((a, b))
    assert due_date("appeal_by", first, CALENDAR) <= due_date("appeal_by", second, CALENDAR)


@given(dates, counts, counts)
def test_more_working_days_never_give_an_earlier_date(start: date, m: int, n: int) -> None:
    fewer, more = sorted((m, n))
    assert CALENDAR.add_working_days(start, fewer) <= CALENDAR.add_working_days(start, more)
    assert CALENDAR.subtract_working_days(start, fewer) >= CALENDAR.subtract_working_days(start, more)
    if 0 < fewer < more:
        assert CALENDAR.add_working_days(start, fewer) < CALENDAR.add_working_days(start, more)


@given(working_days, counts)
def test_add_then_subtract_round_trips_on_working_days(start: date, n: int) -> None:
    assert CALENDAR.subtract_working_days(CALENDAR.add_working_days(start, n), n) == start
    assert CALENDAR.add_working_days(CALENDAR.subtract_working_days(start, n), n) == start


@given(dates, counts)
def test_counting_matches_stepping_day_by_day(start: date, n: int) -> None:
    assert CALENDAR.add_working_days(start, n) == plain_add_working_days(start, n)
    assert CALENDAR.subtract_working_days(start, n) == plain_subtract_working_days(start, n)
    result = CALENDAR.add_working_days(start, n)
    if n:
        assert CALENDAR.is_working_day(result)
        assert CALENDAR.working_days_between(start, result) == n


@given(dates)
def test_working_day_on_or_after(start: date) -> None:
    expected = start
    while not plain_is_working_day(expected):
        expected += ONE_DAY
    assert CALENDAR.working_day_on_or_after(start) == expected
    assert CALENDAR.next_working_day(start) == plain_add_working_days(start, 1)


@given(dates, st.integers(min_value=-60, max_value=60))
def test_add_months_matches_the_standard_library(start: date, n: int) -> None:
    due = add_months(start, n)
    assert due == plain_add_months(start, n)
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == n
    assert due.day <= start.day


@given(st.sampled_from(WORKING_DAY_CODES), dates)
def test_reasons_name_every_day_skipped(code: str, start: date) -> None:
    result = compute(code, start, CALENDAR)
    assert isinstance(result, Deadline)
    low, high = sorted((start, result.due))
    skipped = [
        low + timedelta(days=i)
        for i in range(1, (high - low).days)
        if not plain_is_working_day(low + timedelta(days=i))
    ]
    assert len(result.reasons) == 1 + len(skipped)
    for day, reason in zip(skipped, result.reasons[1:], strict=True):
        assert reason == CALENDAR.non_working_reason(day)


@settings(max_examples=50)
@given(single_date_codes, st.lists(dates, max_size=40))
def test_the_tables_agree_with_one_at_a_time(code: str, starts: list[date]) -> None:
    assert TABLE.due_dates(code, starts) == [due_date(code, s, CALENDAR) for s in starts]
