"""Look-up tables for many cases give exactly the answers of the one-at-a-time functions."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import NoReturn

import pytest

from sendmediation.statutory import bulk
from sendmediation.statutory.bulk import DeadlineTable
from sendmediation.statutory.calendar import WorkingDayCalendar, england_calendar
from sendmediation.statutory.errors import (
    OutsideCalendar,
    UnexpectedArgument,
    UnknownOrder,
    UnknownRule,
)
from sendmediation.statutory.rules import ORDER_TYPES, RULES, due_date, order_due_dates

D = date
SINGLE_DATE_CODES = sorted(code for code, rule in RULES.items() if not rule.needs_order)


@pytest.fixture(scope="module")
def small() -> WorkingDayCalendar:
    return england_calendar(years=range(2025, 2031))


@pytest.fixture(scope="module")
def table(small: WorkingDayCalendar) -> DeadlineTable:
    return DeadlineTable(small)


def refuse(*args: object, **kwargs: object) -> NoReturn:
    raise AssertionError("fell back to one at a time")


def answer(code: str, start: date, calendar: WorkingDayCalendar) -> date | None:
    try:
        return due_date(code, start, calendar)
    except OutsideCalendar:
        return None


@pytest.mark.parametrize("code", SINGLE_DATE_CODES)
def test_every_day_of_the_calendar(
    small: WorkingDayCalendar, table: DeadlineTable, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fresh date objects, as rows from a database would be, not the calendar's own.
    days = [D(d.year, d.month, d.day) for d in small.days]
    answers = [answer(code, d, small) for d in days]
    answerable = [d for d, a in zip(days, answers, strict=True) if a is not None]
    with monkeypatch.context() as patch:
        patch.setattr(bulk, "due_date", refuse)  # the tables alone must answer
        assert table.due_dates(code, answerable) == [a for a in answers if a is not None]
    for d, a in zip(days, answers, strict=True):
        if a is None:
            with pytest.raises(OutsideCalendar):
                table.due_dates(code, [days[0], d])


def test_several_rules_from_one_column(small: WorkingDayCalendar, table: DeadlineTable) -> None:
    starts = [D(2026, 12, 23), D(2026, 10, 12), D(2028, 2, 28)]
    codes = ("meeting_notice", "certificate_after_mediation", "agreement_non_appealable")
    results = table.due_dates_from(starts, codes)
    assert list(results) == list(codes)
    for code in codes:
        assert results[code] == [due_date(code, s, small) for s in starts]
    assert results["certificate_after_mediation"][0] == D(2026, 12, 30)


def test_appeals_with_certificates(
    small: WorkingDayCalendar, table: DeadlineTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(7)
    starts, certificates = [], []
    for _ in range(5000):
        start = D(2025, 1, 1) + timedelta(days=rng.randrange(6 * 365 - 200))
        starts.append(start)
        certificates.append(None if rng.random() < 0.3 else start + timedelta(days=rng.randrange(-10, 100)))
    expected = [
        due_date("appeal_by", s, small, certificate_issued=c)
        for s, c in zip(starts, certificates, strict=True)
    ]
    with monkeypatch.context() as patch:
        patch.setattr(bulk, "due_date", refuse)  # the tables alone must answer
        assert table.due_dates("appeal_by", starts, certificates_issued=certificates) == expected
    assert table.due_dates("appeal_by", [D(2026, 10, 1)], certificates_issued=[D(2026, 11, 29)]) == [
        D(2027, 1, 4)
    ]


def test_appeals_beyond_the_calendar_fall_back_and_raise(table: DeadlineTable) -> None:
    with pytest.raises(OutsideCalendar):
        table.due_dates("appeal_by", [D(2026, 1, 5)], certificates_issued=[D(2030, 11, 30)])
    with pytest.raises(OutsideCalendar):
        table.due_dates("appeal_by", [D(2030, 11, 1)])


def test_orders(small: WorkingDayCalendar, table: DeadlineTable, monkeypatch: pytest.MonkeyPatch) -> None:
    orders = list(ORDER_TYPES) * 500
    inside = [D(2025, 1, 1) + timedelta(days=i) for i in range(len(orders))]
    past_the_end = [D(2026, 9, 1) + timedelta(days=i) for i in range(len(orders))]
    expected = {
        first: [tuple(order_due_dates(s, o).values()) for s, o in zip(starts, orders, strict=True)]
        for first, starts in ((inside[0], inside), (past_the_end[0], past_the_end))
    }
    assert table.order_due_dates(past_the_end, orders) == expected[past_the_end[0]]
    with monkeypatch.context() as patch:
        patch.setattr(bulk, "order_due_dates", refuse)  # the tables alone must answer
        assert table.order_due_dates(inside, orders) == expected[inside[0]]
    # Starts outside the calendar still get the right answer: weeks need no calendar.
    assert table.order_due_dates([D(2040, 1, 2)], ["amend"]) == [(D(2040, 2, 6),)]


def test_bad_input(table: DeadlineTable) -> None:
    with pytest.raises(UnknownRule):
        table.due_dates("appeal", [D(2026, 1, 5)])
    with pytest.raises(UnexpectedArgument):
        table.due_dates("agreement_as_order", [D(2026, 1, 5)])
    with pytest.raises(UnexpectedArgument):
        table.due_dates("mediation_by", [D(2026, 1, 5)], certificates_issued=[None])
    with pytest.raises(ValueError, match="one certificate date"):
        table.due_dates("appeal_by", [D(2026, 1, 5)], certificates_issued=[])
    with pytest.raises(UnknownOrder):
        table.order_due_dates([D(2026, 1, 5)], ["reassess"])
    with pytest.raises(ValueError, match="one order type"):
        table.order_due_dates([D(2026, 1, 5)], [])
    assert table.due_dates("mediation_by", []) == []
