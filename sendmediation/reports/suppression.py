"""Small-number suppression: the one place where figures become what people see and export.

Any count from 1 to 4 is shown as "fewer than 5" (0 is shown: it says nothing about anyone). Then:

- Where rows add up to a total (a ``Breakdown``) and only one of them is hidden, the smallest other
  row that is not 0 is hidden too, or the total when every other row is 0; otherwise the hidden one
  is the total less the rest. This is repeated until nothing changes, since rows can be in two
  breakdowns.
- A share is shown only when its part, its whole and the rest (whole less part) are each 0 or at
  least 5: 3 out of 12, or 9 out of 12, would tell the reader that 3 did or did not.
- A median over 1 to 4 cases is not shown.
- A figure the service does not record says so, never 0.

Pages, CSV, XLSX, PDF and the API all read the ``Cell`` made here, never the raw numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sendmediation.reports.figures import FigureSet, Median, NotRecorded, Number, Share

THRESHOLD = 5
FEWER_THAN_5 = "fewer than 5"
NOT_SHOWN = "not shown (small numbers)"


@dataclass(frozen=True)
class Cell:
    """One figure as shown: ``text`` for people, ``number`` for machines (None when hidden)."""

    text: str
    number: int | float | None
    suppressed: bool = False

    def __str__(self) -> str:
        return self.text


def is_small(n: int) -> bool:
    return 0 < n < THRESHOLD


def hidden_counts(figures: FigureSet) -> set[str]:
    """The keys of the counts to hide: the small ones, and those that would give a small one away."""
    counts = {row.key: row.value.n for row in figures.rows if isinstance(row.value, Number)}
    hidden = {key for key, n in counts.items() if is_small(n)}
    changed = True
    while changed:
        changed = False
        for breakdown in figures.breakdowns:
            group = [key for key in (breakdown.total, *breakdown.parts) if key in counts]
            if len([key for key in group if key in hidden]) != 1:
                continue
            others = sorted(
                (counts[key], key) for key in breakdown.parts if key not in hidden and counts[key] > 0
            )
            extra = others[0][1] if others else breakdown.total
            if extra not in hidden:
                hidden.add(extra)
                changed = True
    return hidden


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


def share_cell(share: Share) -> Cell:
    if share.whole == 0:
        return Cell("none to count", None)
    if any(is_small(n) for n in (share.part, share.whole, share.whole - share.part)):
        return Cell(NOT_SHOWN, None, suppressed=True)
    return Cell(_percent(share.part, share.whole), round(100 * share.part / share.whole, 1))


def median_cell(median: Median) -> Cell:
    if median.of == 0 or median.days is None:
        return Cell("none to count", None)
    if is_small(median.of):
        return Cell(NOT_SHOWN, None, suppressed=True)
    days = int(median.days) if float(median.days).is_integer() else median.days
    return Cell(f"{days} {median.unit}", median.days)


def cells(figures: FigureSet) -> dict[str, Cell]:
    """Every row of a figure set as it may be shown."""
    hidden = hidden_counts(figures)
    shown: dict[str, Cell] = {}
    for row in figures.rows:
        value = row.value
        if isinstance(value, Number):
            if row.key in hidden:
                shown[row.key] = Cell(FEWER_THAN_5 if is_small(value.n) else NOT_SHOWN, None, suppressed=True)
            else:
                shown[row.key] = Cell(f"{value.n:,}", value.n)
        elif isinstance(value, Share):
            shown[row.key] = share_cell(value)
        elif isinstance(value, Median):
            shown[row.key] = median_cell(value)
        elif isinstance(value, NotRecorded):
            shown[row.key] = Cell("not yet recorded", None)
    return shown


def average_cell(total: Number, authorities: int) -> Cell:
    """The service's average per authority, beside an authority's own count. Hidden when the
    service's own total is small, since the average times the authorities would give it."""
    if authorities == 0:
        return Cell("none to count", None)
    if is_small(total.n):
        return Cell(NOT_SHOWN, None, suppressed=True)
    average = round(total.n / authorities, 1)
    return Cell(f"{average:,.1f}", average)
