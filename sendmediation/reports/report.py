"""A whole report, for one authority or for the service: the figure sets, suppressed, with the
service's figures beside an authority's, and the trend over the last 8 quarters.

The tallies are grouped by authority, so the same queries give an authority's figures, the
service's and (for exports) each authority's; a report costs the same handful of queries whatever
its scope and however many cases there are.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Q, QuerySet, Value

from sendmediation.cases.models import Case, Certificate
from sendmediation.localities.models import LocalAuthority
from sendmediation.meetings.models import Meeting
from sendmediation.reports import figures
from sendmediation.reports.figures import FigureSet, Median, Number, Share, Tallies, Tally, combined
from sendmediation.reports.periods import Period, quarters_ending
from sendmediation.reports.suppression import Cell, average_cell, cells, median_cell, share_cell
from sendmediation.statutory.calendar import WorkingDayCalendar

TREND_QUARTERS = 8


@dataclass(frozen=True)
class ShownRow:
    key: str
    label: str
    cell: Cell
    # The service's figure beside an authority's: the average per authority for a count.
    service: Cell | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: tuple[ShownRow, ...]
    note: str
    summary: str


@dataclass(frozen=True)
class TrendRow:
    key: str
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Trend:
    quarters: tuple[Period, ...]
    rows: tuple[TrendRow, ...]

    @property
    def labels(self) -> list[str]:
        return [quarter_label(quarter) for quarter in self.quarters]


@dataclass(frozen=True)
class Report:
    authority: LocalAuthority | None
    period: Period
    sections: tuple[Section, ...]
    trend: Trend
    authorities_covered: int
    made_on: datetime.date

    @property
    def title(self) -> str:
        return f"{self.authority.name}: report" if self.authority else "Whole service: report"

    @property
    def scope(self) -> str:
        return self.authority.name if self.authority else "Whole service"

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)


def quarter_label(quarter: Period) -> str:
    return f"{quarter.start.strftime('%b')} to {quarter.end.strftime('%b %Y')}"


# --- collecting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Collected:
    """Every tally a report reads, for every authority at once."""

    period: Period
    requests: Tallies
    advice: Tallies
    certificates: Tallies
    meetings: Tallies
    decisions: Tallies
    timeliness: Tallies
    sen2: Tallies

    def sets_for(self, authority_id: int | None) -> list[FigureSet]:
        """The figure sets, raw, in the order the report shows them."""

        def pick(tallies: Tallies) -> Tally:
            return combined(tallies, authority_id)

        meetings = pick(self.meetings)
        return [
            figures.requests_set(pick(self.requests)),
            figures.advice_set(pick(self.advice)),
            figures.certificates_set(pick(self.certificates)),
            figures.meetings_set(meetings),
            figures.outcomes_set(meetings),
            figures.decisions_set(pick(self.decisions)),
            figures.timeliness_set(pick(self.timeliness)),
            figures.attendance_set(meetings),
            figures.sen2_set(pick(self.sen2), figures.sen2_year(self.period)),
        ]

    def authority_ids(self) -> set[int]:
        found: set[int] = set()
        for tallies in (self.requests, self.advice, self.certificates, self.meetings, self.decisions):
            found.update(key for key in tallies if key is not None)
        return found


def collect(
    period: Period,
    *,
    today: datetime.date,
    calendar: WorkingDayCalendar,
    authority_id: int | None = None,
    by_authority: bool = True,
) -> Collected:
    """The tallies for every authority (or only for one, when ``authority_id`` is given); with
    ``by_authority`` False, one total instead (the whole service's, or the one authority's), which
    the database counts without finding each record's authority."""
    return Collected(
        period=period,
        requests=figures.tally_requests(period, authority_id, by_authority=by_authority),
        advice=figures.tally_advice(period, authority_id, by_authority=by_authority),
        certificates=figures.tally_certificates(period, authority_id, by_authority=by_authority),
        meetings=figures.tally_meetings(period, authority_id, by_authority=by_authority),
        decisions=figures.tally_decisions(period, authority_id, by_authority=by_authority),
        timeliness=figures.tally_timeliness(period, today, calendar, authority_id, by_authority=by_authority),
        sen2=figures.tally_sen2(period, authority_id, by_authority=by_authority),
    )


def covered_count(period: Period) -> int:
    """How many authorities the service covered on any day of the period: the service's average
    per authority is over these."""
    return (
        LocalAuthority.objects.filter(covered_from__lte=period.end)
        .filter(Q(covered_to__isnull=True) | Q(covered_to__gte=period.start))
        .count()
    )


# --- showing -------------------------------------------------------------------------------------


def _summary(figure_set: FigureSet, shown: dict[str, Cell]) -> str:
    """One sentence with the first figures of the set, in the words the table uses."""
    parts = [f"{row.label.lower()}: {shown[row.key].text}" for row in figure_set.rows[:4]]
    first, *rest = parts
    sentence = first[0].upper() + first[1:]
    return f"{sentence}" + (f" ({'; '.join(rest)})." if rest else ".")


def _service_cell(row_value: object, authorities: int) -> Cell | None:
    if isinstance(row_value, Number):
        return average_cell(row_value, authorities)
    if isinstance(row_value, Share):
        return share_cell(row_value)
    if isinstance(row_value, Median):
        return median_cell(row_value)
    return None


def sections(own: list[FigureSet], service: list[FigureSet] | None, authorities: int) -> tuple[Section, ...]:
    """The figure sets as shown: suppressed, each with its summary, and the service's figures
    beside each row when ``service`` is given (an authority's report)."""
    out = []
    for index, figure_set in enumerate(own):
        shown = cells(figure_set)
        beside: dict[str, Cell | None] = {}
        if service is not None:
            service_set = service[index]
            service_shown = cells(service_set)
            for row in service_set.rows:
                if isinstance(row.value, Number):
                    # A hidden service total hides its average too.
                    cell = service_shown[row.key]
                    beside[row.key] = cell if cell.suppressed else _service_cell(row.value, authorities)
                else:
                    beside[row.key] = service_shown[row.key]
        rows = tuple(
            ShownRow(row.key, row.label, shown[row.key], beside.get(row.key)) for row in figure_set.rows
        )
        out.append(
            Section(figure_set.key, figure_set.title, rows, figure_set.note, _summary(figure_set, shown))
        )
    return tuple(out)


# --- the trend -----------------------------------------------------------------------------------

TREND_ROWS = (
    ("cases", "Cases received"),
    ("mediations", "Mediations held"),
    ("dr_meetings", "Disagreement resolution meetings held"),
    ("certificates", "Certificates issued"),
)


def _count_each_quarter(prefix: str, rows: QuerySet[Any], day: str, quarters: list[Period]) -> dict[str, int]:
    """How many rows fall in each quarter, as one query of one count per quarter (``UNION ALL``):
    each count reads only its quarter's stretch of the index on ``day``, where one pass with a
    condition per quarter would test every row eight times."""
    parts = [
        rows.filter(**{f"{day}__range": (quarter.start, quarter.end)})
        .order_by()
        .annotate(quarter=Value(i, output_field=IntegerField()))
        .values("quarter")
        .annotate(n=Count("pk"))
        .values_list("quarter", "n")
        for i, quarter in enumerate(quarters)
    ]
    found = dict(parts[0].union(*parts[1:], all=True))
    return {f"{prefix}{i}": found.get(i, 0) for i in range(len(quarters))}


def trend(period: Period, authority_id: int | None) -> Trend:
    """The last 8 quarters up to the one the period ends in, each count suppressed on its own."""
    quarters, counts = trend_counts(period, authority_id)
    rows = []
    for key, label in TREND_ROWS:
        row_cells = []
        for n in counts[key]:
            row_cells.append(cells(FigureSet("trend", "", (figures.Row("n", "", Number(n)),)))["n"])
        rows.append(TrendRow(key, label, tuple(row_cells)))
    return Trend(tuple(quarters), tuple(rows))


def trend_counts(period: Period, authority_id: int | None) -> tuple[list[Period], dict[str, list[int]]]:
    """The trend's raw counts, for each row a count per quarter: three queries."""
    quarters = quarters_ending(period.end, TREND_QUARTERS)
    first, last = quarters[0].start, quarters[-1].end
    cases = Case.objects.filter(received_on__gte=first, received_on__lte=last)
    certificates = Certificate.objects.filter(
        issued_on__gte=first, issued_on__lte=last, revoked_on__isnull=True
    )
    start, end = figures._within(Period(first, last))
    meetings = Meeting.objects.filter(status=Meeting.Status.HELD, starts_at__gte=start, starts_at__lt=end)
    if authority_id is not None:
        cases = cases.filter(local_authority_id=authority_id)
        certificates = certificates.filter(case__local_authority_id=authority_id)
        meetings = meetings.filter(case__local_authority_id=authority_id)

    def per_quarter(prefix: str, condition: Callable[[Period], Q]) -> dict[str, Count]:
        return {f"{prefix}{i}": Count("pk", filter=condition(quarter)) for i, quarter in enumerate(quarters)}

    counts: dict[str, int] = {}
    counts.update(_count_each_quarter("cases", cases, "received_on", quarters))
    if authority_id is None:
        counts.update(_count_each_quarter("certificates", certificates, "issued_on", quarters))
    else:
        # An authority's certificates are found through its cases: one pass with a count for each
        # quarter finds them once, where a count of each quarter on its own finds them eight times.
        counts.update(
            certificates.aggregate(
                **per_quarter(
                    "certificates", lambda quarter: Q(issued_on__range=(quarter.start, quarter.end))
                )
            )
        )

    def held(route: str) -> Callable[[Period], Q]:
        def condition(quarter: Period) -> Q:
            begins, ends = figures._within(quarter)
            return Q(route=route, starts_at__gte=begins, starts_at__lt=ends)

        return condition

    # The meeting's own route, not its case's kind: no meeting's case is read.
    counts.update(
        meetings.aggregate(
            **per_quarter("mediations", held(Meeting.Route.MEDIATION)),
            **per_quarter("dr_meetings", held(Meeting.Route.DISAGREEMENT_RESOLUTION)),
        )
    )
    return quarters, {key: [counts[f"{key}{i}"] for i in range(len(quarters))] for key, _ in TREND_ROWS}


# --- the two reports -----------------------------------------------------------------------------


def authority_report(
    *, authority: LocalAuthority, period: Period, today: datetime.date, calendar: WorkingDayCalendar
) -> Report:
    # Two totals, the authority's and the service's, rather than one count per authority: each is
    # one pass over the period's records, and neither joins every record to its case (decision 0007).
    own = collect(period, today=today, calendar=calendar, authority_id=authority.pk, by_authority=False)
    service = collect(period, today=today, calendar=calendar, by_authority=False)
    authorities = covered_count(period)
    return Report(
        authority=authority,
        period=period,
        sections=sections(own.sets_for(authority.pk), service.sets_for(None), authorities),
        trend=trend(period, authority.pk),
        authorities_covered=authorities,
        made_on=today,
    )


def service_report(
    *, period: Period, today: datetime.date, calendar: WorkingDayCalendar, collected: Collected | None = None
) -> Report:
    collected = collected or collect(period, today=today, calendar=calendar, by_authority=False)
    authorities = covered_count(period)
    return Report(
        authority=None,
        period=period,
        sections=sections(collected.sets_for(None), None, authorities),
        trend=trend(period, None),
        authorities_covered=authorities,
        made_on=today,
    )


# --- rows for exports ----------------------------------------------------------------------------

EXPORT_HEADER = ("Authority", "Section", "Figure", "Value", "Whole service")


def report_rows(report: Report) -> Iterator[tuple[str, ...]]:
    """The report as flat rows of text, suppressed: the same for CSV and XLSX."""
    for section in report.sections:
        for row in section.rows:
            yield (
                report.scope,
                section.title,
                row.label,
                row.cell.text,
                row.service.text if row.service else "",
            )
    for trend_row in report.trend.rows:
        for label, cell in zip(report.trend.labels, trend_row.cells, strict=True):
            yield (report.scope, "Trend by quarter", f"{trend_row.label}, {label}", cell.text, "")


def each_authority_rows(collected: Collected) -> Iterator[tuple[str, ...]]:
    """Every authority's figures, suppressed, one authority at a time from the same grouped tallies:
    the service export's second part. The tallies are counts per authority, so memory does not grow
    with the number of cases."""
    ids = collected.authority_ids()
    names = dict(LocalAuthority.objects.filter(pk__in=ids).values_list("pk", "name"))
    for authority_id in sorted(ids, key=lambda pk: names.get(pk, "")):
        for section in sections(collected.sets_for(authority_id), None, 0):
            for row in section.rows:
                yield (names.get(authority_id, ""), section.title, row.label, row.cell.text, "")
