"""Statutory deadlines for 100,000 synthetic cases, against a day-by-day baseline.

Run from the repository root: ``python benchmarks/deadlines.py [--cases N] [--seed S]``.

Every case carries every trigger the rules know about (decision letter, request for mediation,
decline, meeting, certificate, agreement and order type), so each case has 11 single-date
deadlines plus 1 to 3 order steps.  Four ways compute the same due dates from the same columns
of start dates:

- bulk: ``DeadlineTable``, the path for mass recomputation, timed once with its tables built
  inside the timed run (the headline figure) and once reusing tables already built;
- per call: ``due_date`` / ``order_due_dates`` once per deadline, without reasons;
- with reasons: ``compute`` once per deadline, as a page or the API would;
- naive baseline, written here: every period (days, weeks, months, working days) counted by
  stepping one day at a time, checking each day against a set of holidays.

All must agree on every case the baseline computed before any figure is printed.  Figures are
evaluations (due dates) per second, with garbage collection paused while timing (as timeit
does); the ratios are against the baseline in the same run.  The calendar is built once,
outside the timings, and serves both sides (the baseline takes its holidays from it).
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sendmediation.statutory.bulk import DeadlineTable
from sendmediation.statutory.calendar import WorkingDayCalendar, england_calendar
from sendmediation.statutory.rules import (
    ORDER_TYPES,
    compute,
    due_date,
    order_due_dates,
)

ONE_DAY = timedelta(days=1)
NAIVE_TIME_BOX_SECONDS = 60.0
CHUNK = 10_000

# Which rules each trigger starts (besides the appeal with a certificate and the order).
RULES_BY_TRIGGER = {
    "decision_letter_sent": ("contact_adviser_by", "appeal_by"),
    "mediation_declined": ("certificate_after_advice",),
    "mediation_requested": ("health_notice", "mediation_by"),
    "cannot_arrange": ("certificate_when_not_arranged",),
    "meeting": ("meeting_notice", "certificate_after_mediation"),
    "agreement": ("agreement_non_appealable", "agreement_health_notifies_la"),
}


@dataclass(frozen=True)
class Cases:
    """The triggers of many cases, one column per trigger, row i being case i."""

    triggers: dict[str, list[date]]
    certificate_issued: list[date]
    order: list[str]

    @property
    def count(self) -> int:
        return len(self.order)

    def rows(self, start: int, stop: int) -> Cases:
        return Cases(
            {name: column[start:stop] for name, column in self.triggers.items()},
            self.certificate_issued[start:stop],
            self.order[start:stop],
        )


Results = dict[str, list[date]]
# Each engine's own answer for a case's order steps: a dict of step to date, or a tuple.
OrderAnswers = Sequence[Mapping[str, date] | tuple[date, ...]]
Answers = tuple[Results, OrderAnswers]


def synthetic_cases(count: int, seed: int) -> Cases:
    """Cases whose decision letters fall across 2025 to 2030, with triggers in a likely order."""
    rng = random.Random(seed)
    first = date(2025, 1, 1).toordinal()
    span = date(2030, 12, 31).toordinal() - first + 1
    orders = list(ORDER_TYPES)
    cases = Cases({name: [] for name in RULES_BY_TRIGGER}, [], [])
    for _ in range(count):
        sent = date.fromordinal(first + rng.randrange(span))
        asked = sent + timedelta(days=rng.randint(1, 55))
        meeting = asked + timedelta(days=rng.randint(7, 30))
        triggers = {
            "decision_letter_sent": sent,
            "mediation_declined": asked + timedelta(days=rng.randint(0, 5)),
            "mediation_requested": asked,
            "cannot_arrange": asked + timedelta(days=rng.randint(5, 25)),
            "meeting": meeting,
            "agreement": meeting + timedelta(days=rng.randint(0, 1)),
        }
        for name, when in triggers.items():
            cases.triggers[name].append(when)
        cases.certificate_issued.append(meeting + timedelta(days=rng.randint(0, 3)))
        cases.order.append(rng.choice(orders))
    return cases


def flatten(answers: Answers) -> Results:
    """One list per deadline, order steps included, so every engine's answers compare alike."""
    results, per_case = answers
    merged = dict(results)
    steps: list[date] = []
    for due in per_case:
        steps.extend(due.values() if isinstance(due, Mapping) else due)
    merged["agreement_as_order"] = steps
    return merged


# -- the naive baseline: one day at a time ------------------------------------------------------


class Naive:
    """Every period counted by stepping a day at a time and checking a set of holidays."""

    def __init__(self, holidays: set[date]) -> None:
        self.holidays = holidays
        self.rules: dict[str, Callable[[date], date]] = {
            "contact_adviser_by": lambda d: self.add_months(d, 2),
            "certificate_after_advice": lambda d: self.add_working_days(d, 3),
            "health_notice": lambda d: self.add_working_days(d, 3),
            "mediation_by": lambda d: self.add_days(d, 30),
            "meeting_notice": lambda d: self.subtract_working_days(d, 5),
            "certificate_when_not_arranged": lambda d: self.add_working_days(d, 3),
            "certificate_after_mediation": lambda d: self.add_working_days(d, 3),
            "agreement_non_appealable": lambda d: self.add_days(d, 14),
            "agreement_health_notifies_la": lambda d: self.add_days(d, 7),
            "appeal_by": lambda d: self.appeal_by(d, None),
        }

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self.holidays

    def add_days(self, d: date, n: int) -> date:
        for _ in range(n):
            d += ONE_DAY
        return d

    def add_months(self, d: date, n: int) -> date:
        current, crossed = d, 0
        while crossed < n:
            current += ONE_DAY
            if current.day == 1:
                crossed += 1
        while current.day < d.day and (current + ONE_DAY).day != 1:
            current += ONE_DAY
        return current

    def add_working_days(self, d: date, n: int) -> date:
        while n:
            d += ONE_DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def subtract_working_days(self, d: date, n: int) -> date:
        while n:
            d -= ONE_DAY
            if self.is_working_day(d):
                n -= 1
        return d

    def appeal_by(self, sent: date, certificate: date | None) -> date:
        due = self.add_months(sent, 2)
        if certificate is not None:
            due = max(due, self.add_months(certificate, 1))
        while True:
            if (due.month, due.day) >= (12, 25) or (due.month, due.day) == (1, 1):
                return self.add_working_days(date(due.year + (due.month == 12), 1, 1), 1)
            if due.month == 8:
                return self.add_working_days(date(due.year, 8, 31), 1)
            if self.is_working_day(due):
                return due
            due = self.add_working_days(due, 1)

    def order(self, start: date, order: str) -> dict[str, date]:
        return {s.slug: self.add_days(start, 7 * s.weeks) for s in ORDER_TYPES[order].steps}


# -- the four engines ---------------------------------------------------------------------------


def run_bulk(cases: Cases, calendar: WorkingDayCalendar) -> Answers:
    return run_table(cases, DeadlineTable(calendar))


def run_table(cases: Cases, table: DeadlineTable) -> Answers:
    results: Results = {}
    for name, codes in RULES_BY_TRIGGER.items():
        results.update(table.due_dates_from(cases.triggers[name], codes))
    results["appeal_by_with_certificate"] = table.due_dates(
        "appeal_by",
        cases.triggers["decision_letter_sent"],
        certificates_issued=cases.certificate_issued,
    )
    return results, table.order_due_dates(cases.triggers["agreement"], cases.order)


def run_per_call(cases: Cases, calendar: WorkingDayCalendar) -> Answers:
    results: Results = {}
    for name, codes in RULES_BY_TRIGGER.items():
        column = cases.triggers[name]
        for code in codes:
            results[code] = [due_date(code, start, calendar) for start in column]
    results["appeal_by_with_certificate"] = [
        due_date("appeal_by", s, calendar, certificate_issued=c)
        for s, c in zip(cases.triggers["decision_letter_sent"], cases.certificate_issued, strict=True)
    ]
    return results, [
        order_due_dates(a, o) for a, o in zip(cases.triggers["agreement"], cases.order, strict=True)
    ]


def _due(result: object) -> date:
    assert isinstance(result, date)
    return result


def run_with_reasons(cases: Cases, calendar: WorkingDayCalendar) -> Answers:
    results: Results = {}
    for name, codes in RULES_BY_TRIGGER.items():
        column = cases.triggers[name]
        for code in codes:
            results[code] = [_due(compute(code, start, calendar).due) for start in column]
    results["appeal_by_with_certificate"] = [
        _due(compute("appeal_by", s, calendar, certificate_issued=c).due)
        for s, c in zip(cases.triggers["decision_letter_sent"], cases.certificate_issued, strict=True)
    ]
    return results, [
        compute("agreement_as_order", a, calendar, order=o).due
        for a, o in zip(cases.triggers["agreement"], cases.order, strict=True)
    ]


def run_naive(cases: Cases, naive: Naive) -> Answers:
    results: Results = {}
    for name, codes in RULES_BY_TRIGGER.items():
        column = cases.triggers[name]
        for code in codes:
            rule = naive.rules[code]
            results[code] = [rule(start) for start in column]
    results["appeal_by_with_certificate"] = [
        naive.appeal_by(s, c)
        for s, c in zip(cases.triggers["decision_letter_sent"], cases.certificate_issued, strict=True)
    ]
    return results, [naive.order(a, o) for a, o in zip(cases.triggers["agreement"], cases.order, strict=True)]


def timed(
    run: Callable[[Cases], Answers], cases: Cases, time_box: float | None = None
) -> tuple[int, float, Results]:
    """Cases done, seconds taken and the answers; with a time box, whole chunks until it ends."""
    done, seconds = 0, 0.0
    merged: Results = {}
    chunk_size = cases.count if time_box is None else CHUNK
    while done < cases.count and (time_box is None or seconds < time_box):
        chunk = cases.rows(done, done + chunk_size)
        # As timeit does: no garbage collection pauses charged to whichever engine runs next.
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            answers = run(chunk)
            seconds += time.perf_counter() - started
        finally:
            gc.enable()
        for key, column in flatten(answers).items():
            merged.setdefault(key, []).extend(column)
        done += chunk.count
    return done, seconds, merged


def evaluations(results: Results) -> int:
    return sum(len(column) for column in results.values())


def _same(label: str, expected: Results, actual: Results) -> None:
    # The baseline may have done only a prefix of the cases, so compare that prefix.
    if expected.keys() != actual.keys():
        raise SystemExit(f"{label}: different deadlines computed")
    for key, column in expected.items():
        if column != actual[key][: len(column)]:
            raise SystemExit(f"{label}: disagrees with the naive baseline on {key}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Statutory deadline benchmark")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260401)
    args = parser.parse_args(argv)

    calendar = england_calendar()
    naive = Naive(set(calendar.holidays))
    cases = synthetic_cases(args.cases, args.seed)

    naive_done, naive_seconds, naive_results = timed(
        lambda c: run_naive(c, naive), cases, NAIVE_TIME_BOX_SECONDS
    )
    warm = DeadlineTable(calendar)
    run_table(cases.rows(0, 1), warm)
    figures = [
        ("bulk (DeadlineTable, tables built in the run)", lambda c: run_bulk(c, calendar)),
        ("bulk (DeadlineTable, tables already built)", lambda c: run_table(c, warm)),
        ("per call (due_date, no reasons)", lambda c: run_per_call(c, calendar)),
        ("with reasons (compute)", lambda c: run_with_reasons(c, calendar)),
    ]
    measured = []
    for label, run in figures:
        _, seconds, results = timed(run, cases)
        _same(label, naive_results, results)
        measured.append((label, evaluations(results) / seconds))

    naive_evals = evaluations(naive_results)
    naive_rate = naive_evals / naive_seconds
    subset = "all cases" if naive_done == cases.count else f"time-boxed to the first {naive_done:,} cases"
    print(
        f"cases: {cases.count:,}, evaluations per case: {naive_evals / naive_done:.2f}, "
        f"all engines agree with the baseline on {naive_done:,} cases"
    )
    print(f"naive day-by-day baseline: {naive_rate:,.0f} evaluations/s ({subset})")
    for label, rate in measured:
        print(f"{label}: {rate:,.0f} evaluations/s")
    for label, rate in measured:
        print(f"ratio {label} / naive: {rate / naive_rate:.1f}x")
    bulk_ratio = measured[0][1] / naive_rate
    print(f"target bulk >= 20x naive: {'met' if bulk_ratio >= 20 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
