"""The report as CSV (streamed a row at a time) and as XLSX (openpyxl's write-only mode, written to
a temporary file that spills to disk): neither holds the whole file in memory.

Both write only the suppressed text of ``report.report_rows``: never a raw count.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Line:
    """csv.writer writes into this; each row is handed straight on."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[str]]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
    yield writer.writerow(list(header))
    for row in rows:
        yield writer.writerow([_safe(value) for value in row])


def _safe(value: str) -> str:
    """A cell starting with =, +, - or @ is a formula to a spreadsheet: quote it."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def _typed(value: str) -> str | int | float:
    """A figure as a number, so that a spreadsheet can add it up; words stay words."""
    plain = value.replace(",", "")
    if re.fullmatch(r"[0-9]+", plain):
        return int(plain)
    if re.fullmatch(r"[0-9]+\.[0-9]+", plain):
        return float(plain)
    return _safe(value)


def xlsx_file(sheets: Iterable[tuple[str, Iterable[str], Iterable[Iterable[str]]]]) -> IO[bytes]:
    """A workbook with one sheet for each (title, header, rows); returned rewound, ready to send."""
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        bold = []
        for value in header:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = Font(bold=True)
            bold.append(cell)
        sheet.append(bold)
        for row in rows:
            sheet.append([_typed(value) for value in row])
    spool = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 - handed to the response
    book.save(spool)
    spool.seek(0)
    return spool
