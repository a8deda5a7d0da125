"""Charts drawn on the server as SVG: no script, readable at 320 px, each with a title and a
description for screen readers (``role="img"``). The page puts the same figures in a table under
each chart and a one-sentence summary, so the chart is never the only way to read them.

A hidden (suppressed) figure is drawn as no bar, labelled as the table labels it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from sendmediation.reports.report import Report
from sendmediation.reports.suppression import Cell

WIDTH = 320
LABEL_WIDTH = 120
VALUE_WIDTH = 90
BAR_HEIGHT = 22
GAP = 10
FONT = 14
BAR_COLOURS = ("#1d70b8", "#505a5f")  # 3:1 or more against white, as non-text contrast needs
_ids = count(1)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    summary: str
    svg: SafeString
    # The same figures as the chart, for the table under it: (label, value as shown).
    rows: list[tuple[str, str]]


def bar_chart(
    title: str, description: str, bars: list[tuple[str, Cell, int]], *, percent: bool = False
) -> SafeString:
    """Horizontal bars, one per (label, cell, colour index); the scale starts at 0."""
    number = next(_ids)
    title_id, desc_id = f"chart-title-{number}", f"chart-desc-{number}"
    values = [cell.number or 0 for _, cell, _ in bars]
    top = 100.0 if percent else max([*values, 1])
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" viewBox="0 0 {} {}" '
            'width="100%" aria-labelledby="{} {}" focusable="false"><title id="{}">{}</title>'
            '<desc id="{}">{}</desc>',
            WIDTH,
            height,
            title_id,
            desc_id,
            title_id,
            title,
            desc_id,
            description,
        )
    ]
    for index, (label, cell, colour) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = round(room * float(cell.number or 0) / float(top), 1)
        parts.append(
            format_html(
                '<text x="0" y="{}" font-size="{}" fill="#0b0c0c">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="{}" fill="#0b0c0c">{}</text>',
                y + BAR_HEIGHT - 6,
                FONT,
                label,
                LABEL_WIDTH,
                y,
                length,
                BAR_HEIGHT,
                BAR_COLOURS[colour % 2],
                LABEL_WIDTH + length + 4,
                y + BAR_HEIGHT - 6,
                FONT - 1,
                _short(cell),
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every part escaped above


def _short(cell: Cell) -> str:
    return (
        "fewer than 5" if cell.text.startswith("fewer") else ("not shown" if cell.suppressed else cell.text)
    )


def _sentence(items: list[str]) -> str:
    return "; ".join(items)


def trend_charts(report: Report) -> list[Chart]:
    out = []
    for row in report.trend.rows[:2]:
        bars = [(label, cell, 0) for label, cell in zip(report.trend.labels, row.cells, strict=True)]
        words = _sentence([f"{label}: {cell.text}" for label, cell, _ in bars])
        title = f"{row.label}, by quarter"
        summary = f"{row.label} in each of the last 8 quarters for {report.scope}: {words}."
        rows = [(label, cell.text) for label, cell, _ in bars]
        out.append(Chart(f"trend-{row.key}", title, summary, bar_chart(title, summary, bars), rows))
    return out


COMPARED = (
    ("timeliness", "certificates_share", "Certificates on time"),
    ("timeliness", "mediations_share", "Mediations in 30 days"),
    ("timeliness", "agreement_actions_share", "Actions by their date"),
    ("attendance", "attended_share", "Authority attended"),
)


def comparison_chart(report: Report) -> Chart:
    """Shares of things done on time (and attendance): an authority's beside the service's."""
    bars: list[tuple[str, Cell, int]] = []
    words = []
    for section_key, row_key, label in COMPARED:
        row = next(row for row in report.section(section_key).rows if row.key == row_key)
        bars.append((label, row.cell, 0))
        if row.service is not None:
            bars.append(("Whole service", row.service, 1))
            words.append(f"{label.lower()}: {row.cell.text} against {row.service.text} for the whole service")
        else:
            words.append(f"{label.lower()}: {row.cell.text}")
    title = "Timeliness and attendance, as a share"
    if report.authority:
        title = f"Timeliness and attendance: {report.authority.name} beside the whole service"
    sentence = _sentence(words)
    summary = sentence[:1].upper() + sentence[1:] + "."
    rows = [(label, cell.text) for label, cell, _ in bars]
    return Chart("comparison", title, summary, bar_chart(title, summary, bars, percent=True), rows)


def for_report(report: Report) -> list[Chart]:
    return [comparison_chart(report), *trend_charts(report)]
