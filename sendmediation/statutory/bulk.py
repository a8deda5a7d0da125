"""Due dates for many cases at once, for example to recompute every open case after a holiday.

``DeadlineTable`` works out each rule's due date for every day its calendar covers, once, on
first use; after that a column of start dates becomes a column of due dates by look-up.  The
answers are exactly those of ``rules.due_date`` and ``rules.order_due_dates``; any start the
tables cannot answer (outside the calendar, or with a result outside it) sends its column to
those functions, which answer or raise ``OutsideCalendar``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from operator import getitem

from .calendar import WorkingDayCalendar, days_in_month
from .errors import UnexpectedArgument
from .rules import ORDER_TYPES, PERIODS, _order_type, _rule, due_date, order_due_dates

__all__ = ["DeadlineTable"]


class DeadlineTable:
    """Look-up tables of due dates over one calendar, built rule by rule as they are needed.

    Each table maps a start date to its due date.  Starts whose answer the calendar cannot give
    are absent, so a failed look-up sends the column down the one-at-a-time path.
    """

    def __init__(self, calendar: WorkingDayCalendar) -> None:
        self.calendar = calendar
        self._tables: dict[str, dict[date, date]] = {}
        self._months_on: dict[int, dict[date, date]] = {}
        self._settled: dict[date, date] | None = None
        self._orders: dict[str, dict[date, tuple[date, ...]]] | None = None

    # -- building ----------------------------------------------------------------------------

    def _table(self, code: str) -> dict[date, date]:
        if _rule(code).needs_order:
            raise UnexpectedArgument("agreement_as_order has several dates; use order_due_dates")
        if code == "appeal_by":
            return self._settled_after(2)
        # Rules with the same period share one table.
        unit, n = PERIODS[code]
        key = f"{n} {unit}"
        table = self._tables.get(key)
        if table is None:
            table = self._build(unit, n)
            self._tables[key] = table
        return table

    def _build(self, unit: str, n: int) -> dict[date, date]:
        days = self.calendar.days
        if unit in ("working_days_after", "working_days_before"):
            first, dates = self.calendar.working_day_lookup(n if unit == "working_days_after" else -n)
            return dict(zip(days[first : len(dates)], dates[first:], strict=True))
        if unit == "months":
            return self._months(n)
        return dict(zip(days, self._shifted(n * 7 if unit == "weeks" else n), strict=True))

    def _shifted(self, n: int) -> list[date]:
        """For each day, the day ``n`` calendar days later, reusing the calendar's date objects."""
        days = self.calendar.days
        if not 0 <= n < len(days):
            return [d + timedelta(days=n) for d in days]
        return [*days[n:], *(days[-1] + timedelta(days=i) for i in range(1, n + 1))]

    def _months(self, n: int) -> dict[date, date]:
        """Each day mapped to the corresponding day ``n`` months later (or that month's last)."""
        table = self._months_on.get(n)
        if table is None:
            days = self.calendar.days
            base = days[0].toordinal()
            values: list[date] = []
            i = 0
            while i < len(days):
                first = days[i]
                length = days_in_month(first.year, first.month)
                months = first.month - 1 + n
                year, month = first.year + months // 12, months % 12 + 1
                target_length = days_in_month(year, month)
                target = date(year, month, 1).toordinal() - base
                if target >= 0 and target + target_length <= len(days):
                    # Reuse the calendar's own date objects, whose hashes are then shared.
                    block = list(days[target : target + target_length])
                else:
                    block = [date(year, month, day + 1) for day in range(target_length)]
                values += block[:length] + block[-1:] * (length - target_length)
                i += length
            table = dict(zip(days, values, strict=True))
            self._months_on[n] = table
        return table

    def _settle(self) -> dict[date, date]:
        """``rules.settle_appeal_date`` for each day, where the calendar can answer it.

        That is the first day on or after it that is a working day outside 25 December to
        1 January and outside August, found here in one backward pass.
        """
        if self._settled is None:
            calendar = self.calendar
            is_working_day = calendar.is_working_day
            settled: dict[date, date] = {}
            answer: date | None = None
            for d in reversed(calendar.days):
                if (
                    d.month != 8
                    and not ((d.month == 12 and d.day >= 25) or (d.month == 1 and d.day == 1))
                    and is_working_day(d)
                ):
                    answer = d
                if answer is not None:
                    settled[d] = answer
            self._settled = settled
        return self._settled

    def _settled_after(self, months: int) -> dict[date, date]:
        key = f"settled {months} months after"
        table = self._tables.get(key)
        if table is None:
            settled = self._settle()
            table = {d: settled[m] for d, m in self._months(months).items() if m in settled}
            self._tables[key] = table
        return table

    def _orders_by_start(self) -> dict[str, dict[date, tuple[date, ...]]]:
        if self._orders is None:
            days = self.calendar.days
            # Orders share step lengths (2 and 5 weeks), so each length is worked out once.
            after: dict[int, list[date]] = {}
            for order in ORDER_TYPES.values():
                for step in order.steps:
                    if step.weeks not in after:
                        after[step.weeks] = self._shifted(7 * step.weeks)
            self._orders = {
                slug: dict(
                    zip(days, zip(*(after[step.weeks] for step in order.steps), strict=True), strict=True)
                )
                for slug, order in ORDER_TYPES.items()
            }
        return self._orders

    # -- looking up --------------------------------------------------------------------------

    def due_dates_from(self, starts: Sequence[date], codes: Iterable[str]) -> dict[str, list[date]]:
        """For one column of start dates, the due dates of each rule in ``codes``."""
        results: dict[str, list[date]] = {}
        for code in codes:
            table = self._table(code)
            try:
                results[code] = list(map(table.__getitem__, starts))
            except KeyError:
                results[code] = [due_date(code, start, self.calendar) for start in starts]
        return results

    def due_dates(
        self,
        code: str,
        starts: Sequence[date],
        *,
        certificates_issued: Sequence[date | None] | None = None,
    ) -> list[date]:
        """The due date for each start, as ``due_date(code, start, calendar)`` would give it.

        ``certificates_issued`` (``appeal_by`` only) runs alongside ``starts``; None in it means
        no certificate for that case.
        """
        if certificates_issued is None:
            return self.due_dates_from(starts, (code,))[code]
        if not _rule(code).uses_certificate:
            raise UnexpectedArgument(f"{code} does not take a certificate date")
        if len(starts) != len(certificates_issued):
            raise ValueError("Give one certificate date (or None) for each start date")
        # Settling never reorders dates, so the later settled date is the settled later date.
        after_decision, after_certificate = self._settled_after(2), self._settled_after(1)
        results: list[date] = []
        append = results.append
        try:
            for start, certificate in zip(starts, certificates_issued, strict=True):
                due = after_decision[start]
                if certificate is not None and (later := after_certificate[certificate]) > due:
                    due = later
                append(due)
        except KeyError:
            return [
                due_date(code, start, self.calendar, certificate_issued=certificate)
                for start, certificate in zip(starts, certificates_issued, strict=True)
            ]
        return results

    def order_due_dates(self, starts: Sequence[date], orders: Sequence[str]) -> list[tuple[date, ...]]:
        """Each case's order step dates, in the order of ``ORDER_TYPES[order].steps``.

        The same dates as ``rules.order_due_dates``, as tuples.
        """
        if len(starts) != len(orders):
            raise ValueError("Give one order type for each start date")
        tables = self._orders_by_start()
        try:
            return list(map(getitem, map(tables.__getitem__, orders), starts))
        except (KeyError, TypeError):
            for order in orders:
                _order_type(order)
            return [
                tuple(order_due_dates(start, order).values())
                for start, order in zip(starts, orders, strict=True)
            ]
