"""The working-day calendar for England, checked against tables written out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sendmediation.statutory.calendar import (
    WorkingDayCalendar,
    add_months,
    easter_sunday,
    england_calendar,
    format_date,
    good_friday,
    is_leap_year,
)
from sendmediation.statutory.errors import OutsideCalendar

D = date

# England and Wales bank holidays 2025 to 2030, written out by hand (Easter from the tables
# below, substitute days where a holiday falls at a weekend).
BANK_HOLIDAYS: dict[int, list[date]] = {
    2025: [D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26),
           D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26)],
    2026: [D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25),
           D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28)],
    2027: [D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31),
           D(2027, 8, 30), D(2027, 12, 27), D(2027, 12, 28)],
    2028: [D(2028, 1, 3), D(2028, 4, 14), D(2028, 4, 17), D(2028, 5, 1), D(2028, 5, 29),
           D(2028, 8, 28), D(2028, 12, 25), D(2028, 12, 26)],
    2029: [D(2029, 1, 1), D(2029, 3, 30), D(2029, 4, 2), D(2029, 5, 7), D(2029, 5, 28),
           D(2029, 8, 27), D(2029, 12, 25), D(2029, 12, 26)],
    2030: [D(2030, 1, 1), D(2030, 4, 19), D(2030, 4, 22), D(2030, 5, 6), D(2030, 5, 27),
           D(2030, 8, 26), D(2030, 12, 25), D(2030, 12, 26)],
}  # fmt: skip

EASTER_SUNDAYS = {
    2025: D(2025, 4, 20),
    2026: D(2026, 4, 5),
    2027: D(2027, 3, 28),
    2028: D(2028, 4, 16),
    2029: D(2029, 4, 1),
    2030: D(2030, 4, 21),
}


def carter_easter(year: int) -> date:
    """Easter Sunday by Carter's method (valid 1900 to 2099), unlike the package's algorithm."""
    b = 225 - 11 * (year % 19)
    d = (b - 21) % 30 + 21
    if d > 48:
        d -= 1
    e = (year + year // 4 + d + 1) % 7
    q = d + 7 - e
    return D(year, 3, q) if q < 32 else D(year, 4, q - 31)


def monday_on_or_after(d: date) -> date:
    return d + timedelta(days=(7 - d.weekday()) % 7)


def last_monday(year: int, month: int) -> date:
    last = D(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def bank_holidays_from_rules(year: int) -> set[date]:
    """The standing rules for England's bank holidays, with substitute days."""
    days: set[date] = set()
    new_year = D(year, 1, 1)
    days.add(new_year if new_year.weekday() < 5 else monday_on_or_after(new_year))
    easter = carter_easter(year)
    days |= {easter - timedelta(days=2), easter + timedelta(days=1)}
    days |= {monday_on_or_after(D(year, 5, 1)), last_monday(year, 5), last_monday(year, 8)}
    christmas, boxing = D(year, 12, 25), D(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday: Monday and Tuesday instead
        days |= {D(year, 12, 27), D(year, 12, 28)}
    elif christmas.weekday() == 6:  # Sunday: Boxing Day Monday, Christmas on Tuesday
        days |= {boxing, D(year, 12, 27)}
    elif boxing.weekday() == 5:  # Christmas Friday: Boxing Day moves to Monday
        days |= {christmas, D(year, 12, 28)}
    else:
        days |= {christmas, boxing}
    return days


@pytest.fixture(scope="module")
def calendar() -> WorkingDayCalendar:
    return england_calendar()


@pytest.fixture(scope="module")
def small() -> WorkingDayCalendar:
    return england_calendar(years=range(2025, 2031))


# -- the hand-written table is itself right --------------------------------------------------


@pytest.mark.parametrize("year", sorted(BANK_HOLIDAYS))
def test_hand_table_matches_the_standing_rules(year: int) -> None:
    assert set(BANK_HOLIDAYS[year]) == bank_holidays_from_rules(year)
    assert len(BANK_HOLIDAYS[year]) == 8
    assert all(d.weekday() < 5 for d in BANK_HOLIDAYS[year])


@pytest.mark.parametrize(("year", "sunday"), sorted(EASTER_SUNDAYS.items()))
def test_easter_table(year: int, sunday: date) -> None:
    assert carter_easter(year) == sunday
    assert easter_sunday(year) == sunday
    assert good_friday(year) == sunday - timedelta(days=2)
    assert good_friday(year).weekday() == 4


def test_easter_agrees_with_an_independent_method_for_two_centuries() -> None:
    assert all(easter_sunday(y) == carter_easter(y) for y in range(1900, 2100))


# -- the calendar against the table ------------------------------------------------------------


@pytest.mark.parametrize("year", sorted(BANK_HOLIDAYS))
def test_every_bank_holiday_is_not_a_working_day(calendar: WorkingDayCalendar, year: int) -> None:
    for d in BANK_HOLIDAYS[year]:
        assert not calendar.is_working_day(d), d
        reason = calendar.non_working_reason(d)
        assert reason is not None
        assert reason.endswith(f", {format_date(d)}, is not a working day")


@pytest.mark.parametrize("year", sorted(BANK_HOLIDAYS))
def test_every_other_weekday_is_a_working_day(calendar: WorkingDayCalendar, year: int) -> None:
    day = D(year, 1, 1)
    while day.year == year:
        expected = day.weekday() < 5 and day not in BANK_HOLIDAYS[year]
        assert calendar.is_working_day(day) is expected, day
        assert (calendar.non_working_reason(day) is None) is expected, day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 1, 1), "New Year's Day"),
        (D(2026, 4, 3), "Good Friday"),
        (D(2026, 4, 6), "Easter Monday"),
        (D(2026, 12, 25), "Christmas Day"),
        (D(2026, 12, 28), "Boxing Day (substitute day)"),
        (D(2027, 12, 27), "Christmas Day (substitute day)"),
        (D(2027, 12, 28), "Boxing Day (substitute day)"),
        (D(2028, 1, 3), "New Year's Day (substitute day)"),
        (D(2022, 12, 27), "Christmas Day (substitute day)"),
        (D(2023, 1, 2), "New Year's Day (substitute day)"),
        (D(2026, 5, 5), None),
    ],
)
def test_holiday_names(calendar: WorkingDayCalendar, day: date, name: str | None) -> None:
    assert calendar.holiday_name(day) == name


def test_one_off_holidays_in_the_library_are_kept(calendar: WorkingDayCalendar) -> None:
    # The late Queen's state funeral and the coronation were proclaimed bank holidays.
    assert not calendar.is_working_day(D(2022, 9, 19))
    assert not calendar.is_working_day(D(2023, 5, 8))


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2026, 12, 25), "Christmas Day, Fri 25 Dec 2026, is not a working day"),
        (D(2026, 12, 26), "Sat 26 Dec 2026 is a weekend"),
        (D(2026, 12, 27), "Sun 27 Dec 2026 is a weekend"),
        (D(2026, 12, 28), "Boxing Day (substitute day), Mon 28 Dec 2026, is not a working day"),
        (D(2026, 4, 3), "Good Friday, Fri 3 Apr 2026, is not a working day"),
        (D(2027, 12, 25), "Sat 25 Dec 2027 is a weekend"),
        (D(2026, 12, 29), None),
    ],
)
def test_non_working_reason(calendar: WorkingDayCalendar, day: date, reason: str | None) -> None:
    assert calendar.non_working_reason(day) == reason


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (D(2026, 12, 25), "Fri 25 Dec 2026"),
        (D(2027, 2, 28), "Sun 28 Feb 2027"),
        (D(2028, 2, 29), "Tue 29 Feb 2028"),
        (D(2026, 9, 1), "Tue 1 Sep 2026"),
    ],
)
def test_format_date(day: date, text: str) -> None:
    assert format_date(day) == text


# -- counting working days -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2026, 12, 23), 3, D(2026, 12, 30)),  # domain example: 25, 26, 27, 28 Dec skipped
        (D(2026, 12, 23), 1, D(2026, 12, 24)),
        (D(2026, 12, 24), 1, D(2026, 12, 29)),
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # Good Friday, weekend and Easter Monday
        (D(2026, 10, 9), 1, D(2026, 10, 12)),  # Friday to Monday
        (D(2026, 10, 10), 1, D(2026, 10, 12)),  # a Saturday start is not counted
        (D(2026, 10, 5), 5, D(2026, 10, 12)),
        (D(2026, 10, 5), 0, D(2026, 10, 5)),
        (D(2028, 2, 28), 1, D(2028, 2, 29)),  # leap day is a working day
        (D(2027, 12, 24), 1, D(2027, 12, 29)),
        (D(2027, 12, 31), 1, D(2028, 1, 4)),  # New Year's Day on a Saturday, substitute Monday
        (D(2026, 1, 1), 253, D(2026, 12, 31)),  # 2026 has 253 working days
        (D(2026, 1, 1), 250, D(2026, 12, 24)),
    ],
)
def test_add_working_days(calendar: WorkingDayCalendar, start: date, n: int, due: date) -> None:
    assert calendar.add_working_days(start, n) == due


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2026, 10, 12), 5, D(2026, 10, 5)),
        (D(2026, 4, 7), 1, D(2026, 4, 2)),
        (D(2026, 12, 30), 3, D(2026, 12, 23)),
        (D(2026, 12, 28), 1, D(2026, 12, 24)),  # starting on a holiday
        (D(2026, 10, 12), 0, D(2026, 10, 12)),
        (D(2028, 3, 1), 1, D(2028, 2, 29)),
    ],
)
def test_subtract_working_days(calendar: WorkingDayCalendar, start: date, n: int, due: date) -> None:
    assert calendar.subtract_working_days(start, n) == due
    assert calendar.add_working_days(start, -n) == due


def test_next_working_day_and_on_or_after(calendar: WorkingDayCalendar) -> None:
    assert calendar.next_working_day(D(2027, 1, 1)) == D(2027, 1, 4)
    assert calendar.next_working_day(D(2026, 8, 31)) == D(2026, 9, 1)
    assert calendar.next_working_day(D(2026, 9, 1)) == D(2026, 9, 2)
    assert calendar.working_day_on_or_after(D(2026, 9, 1)) == D(2026, 9, 1)
    assert calendar.working_day_on_or_after(D(2027, 2, 28)) == D(2027, 3, 1)


def test_working_days_between(calendar: WorkingDayCalendar) -> None:
    assert calendar.working_days_between(D(2026, 12, 23), D(2026, 12, 30)) == 3
    assert calendar.working_days_between(D(2026, 1, 1), D(2026, 12, 31)) == 253
    assert calendar.non_working_days_between(D(2026, 12, 23), D(2026, 12, 30)) == [
        D(2026, 12, 25),
        D(2026, 12, 26),
        D(2026, 12, 27),
        D(2026, 12, 28),
    ]


def test_working_days_in_a_year_match_the_table(calendar: WorkingDayCalendar) -> None:
    for year, holidays in BANK_HOLIDAYS.items():
        days = [D(year, 1, 1) + timedelta(days=i) for i in range(366 if is_leap_year(year) else 365)]
        weekdays = sum(1 for d in days if d.weekday() < 5)
        counted = calendar.working_days_between(D(year - 1, 12, 31), D(year, 12, 31))
        assert counted == weekdays - len(holidays), year


def test_working_day_lookup_matches_counting(small: WorkingDayCalendar) -> None:
    for n in (-5, -3, -1, 0, 1, 3, 5):
        first, dates = small.working_day_lookup(n)
        for i, day in enumerate(small.days):
            if first <= i < len(dates):
                assert dates[i] == small.add_working_days(day, n), (day, n)
            else:
                with pytest.raises(OutsideCalendar):
                    small.add_working_days(day, n)


# -- months ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2026, 10, 1), 2, D(2026, 12, 1)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2027, 12, 31), 2, D(2028, 2, 29)),  # leap year
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2028, 2, 29), 48, D(2032, 2, 29)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 30), 1, D(2028, 2, 29)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 6, 15), 2, D(2026, 8, 15)),
        (D(2026, 11, 29), 1, D(2026, 12, 29)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 5, 31), 0, D(2026, 5, 31)),
        (D(2026, 5, 31), 24, D(2028, 5, 31)),
    ],
)
def test_add_months(calendar: WorkingDayCalendar, start: date, n: int, due: date) -> None:
    assert add_months(start, n) == due
    assert calendar.add_months(start, n) == due


@pytest.mark.parametrize(
    ("year", "leap"), [(2024, True), (2025, False), (2028, True), (2000, True), (2100, False)]
)
def test_leap_years(year: int, leap: bool) -> None:
    assert is_leap_year(year) is leap


# -- the calendar's range and its sources ----------------------------------------------------


def test_dates_outside_the_range_raise(small: WorkingDayCalendar) -> None:
    assert small.first_day == D(2025, 1, 1)
    assert small.last_day == D(2030, 12, 31)
    for call in (
        lambda: small.is_working_day(D(2031, 1, 1)),
        lambda: small.is_working_day(D(2024, 12, 31)),
        lambda: small.non_working_reason(D(2031, 1, 1)),
        lambda: small.add_working_days(D(2031, 1, 1), 1),
        lambda: small.add_working_days(D(2030, 12, 30), 5),
        lambda: small.subtract_working_days(D(2025, 1, 3), 5),
        lambda: small.next_working_day(D(2030, 12, 31)),
    ):
        with pytest.raises(OutsideCalendar):
            call()
    with pytest.raises(OutsideCalendar, match="outside the working-day calendar"):
        small.is_working_day(D(2031, 1, 1))
    assert small.covers(D(2030, 12, 31))
    assert not small.covers(D(2031, 1, 1))


def test_has_holidays_for(small: WorkingDayCalendar) -> None:
    assert all(small.has_holidays_for(year) for year in range(2025, 2031))
    assert not small.has_holidays_for(2024)
    assert not small.has_holidays_for(2031)
    bare = WorkingDayCalendar({}, first_year=2025, last_year=2026)
    assert not bare.has_holidays_for(2025)
    assert bare.is_working_day(D(2025, 12, 25))


def test_christmas_and_good_friday_even_without_the_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import holidays

    monkeypatch.setattr(holidays, "country_holidays", lambda *args, **kwargs: {})
    bare = england_calendar(years=range(2026, 2028))
    assert bare.holiday_name(D(2026, 12, 25)) == "Christmas Day"
    assert bare.holiday_name(D(2026, 4, 3)) == "Good Friday"
    assert bare.holiday_name(D(2027, 3, 26)) == "Good Friday"
    assert bare.is_working_day(D(2026, 4, 6))  # Easter Monday came only from the library


def test_one_off_holidays(small: WorkingDayCalendar) -> None:
    proclaimed = {D(2029, 6, 8): "Bank holiday by royal proclamation"}
    calendar = england_calendar(years=range(2025, 2031), extra_holidays=proclaimed)
    assert small.is_working_day(D(2029, 6, 8))
    assert not calendar.is_working_day(D(2029, 6, 8))
    assert calendar.non_working_reason(D(2029, 6, 8)) == (
        "Bank holiday by royal proclamation, Fri 8 Jun 2029, is not a working day"
    )
    assert calendar.add_working_days(D(2029, 6, 7), 1) == D(2029, 6, 11)
    assert small.with_extra_holidays(proclaimed).holidays == calendar.holidays


def test_one_off_holiday_on_an_existing_holiday_keeps_both_names(small: WorkingDayCalendar) -> None:
    calendar = small.with_extra_holidays({D(2026, 12, 25): "Royal proclamation"})
    assert calendar.holiday_name(D(2026, 12, 25)) == "Christmas Day; Royal proclamation"


def test_one_off_holiday_outside_the_years_widens_the_calendar() -> None:
    calendar = england_calendar(years=range(2025, 2027), extra_holidays={D(2028, 6, 5): "One-off"})
    assert calendar.last_day == D(2028, 12, 31)
    assert calendar.has_holidays_for(2027)  # the gap year is filled, not left empty
    assert not calendar.is_working_day(D(2027, 12, 27))


def test_holidays_outside_the_range_are_refused(small: WorkingDayCalendar) -> None:
    with pytest.raises(OutsideCalendar, match="widen the years"):
        small.with_extra_holidays({D(2031, 6, 2): "One-off"})
    with pytest.raises(OutsideCalendar):
        WorkingDayCalendar({D(2031, 1, 1): "Too late"}, first_year=2025, last_year=2030)
    with pytest.raises(ValueError, match="after last_year"):
        WorkingDayCalendar({}, first_year=2030, last_year=2025)


def test_days_and_day_index(small: WorkingDayCalendar) -> None:
    assert small.days[0] == D(2025, 1, 1)
    assert small.days[-1] == D(2030, 12, 31)
    assert len(small.days) == (D(2031, 1, 1) - D(2025, 1, 1)).days
    assert small.day_index(D(2025, 1, 31)) == 30
