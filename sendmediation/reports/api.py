"""The reports over JSON: ``GET /api/v1/reports/authorities/{code}`` and ``GET /api/v1/reports/service``,
with ``from`` and ``to`` (YYYY-MM-DD; the last whole quarter when both are left out).

The same reports as the pages, suppressed the same way: a hidden count has ``value`` null and its
``text`` says "fewer than 5". The same people may read them: a manager every authority and the
service, an officer their own authority only (another is a 404). Dates that make no period are a
400 naming the field, in the page's words. Mounted by ``sendmediation.api.api``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.security import HttpBearer

from sendmediation.accounts.models import User
from sendmediation.accounts.tokens import user_for_token
from sendmediation.reports import access
from sendmediation.reports.periods import PeriodError, parse_period
from sendmediation.reports.report import Report, authority_report, service_report
from sendmediation.statutory.services import current_calendar


class ReportToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


router = Router(auth=ReportToken())


class ReportErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, str]


class ReportErrorOut(Schema):
    error: ReportErrorDetail


class CellOut(Schema):
    text: str = Field(description='As shown on the page: "12", "fewer than 5", "83%", "not yet recorded".')
    value: int | float | None = Field(description="The figure, or null when it is hidden or not recorded.")
    suppressed: bool


class RowOut(Schema):
    key: str
    label: str
    figure: CellOut
    service: CellOut | None = Field(
        None, description="Beside an authority's figure: the service's average per authority, or its share."
    )


class SectionOut(Schema):
    key: str
    title: str
    summary: str
    note: str
    rows: list[RowOut]


class TrendRowOut(Schema):
    key: str
    label: str
    quarters: list[CellOut]


class ReportOut(Schema):
    scope: str
    authority_code: str | None
    period_from: str = Field(alias="from")
    period_to: str = Field(alias="to")
    sections: list[SectionOut]
    trend_quarters: list[str]
    trend: list[TrendRowOut]


def _date_or_empty(schema: dict[str, Any]) -> None:
    """A day as YYYY-MM-DD; empty, as a form sends a box left blank, is the same as leaving it out."""
    schema["anyOf"] = [
        {"type": "string", "format": "date"},
        {"type": "string", "maxLength": 0},
        {"type": "null"},
    ]


class PeriodQuery(Schema):
    period_from: str | None = Field(
        None, alias="from", description="The first day, YYYY-MM-DD.", json_schema_extra=_date_or_empty
    )
    period_to: str | None = Field(
        None, alias="to", description="The last day, YYYY-MM-DD.", json_schema_extra=_date_or_empty
    )


ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404): ReportErrorOut}


def _error(status: int, code: str, message: str, fields: dict[str, str] | None = None) -> Status:
    return Status(status, {"error": {"code": code, "message": message, "fields": fields or {}}})


def _cell(cell: Any) -> dict[str, Any]:
    return {"text": cell.text, "value": cell.number, "suppressed": cell.suppressed}


def _out(report: Report) -> dict[str, Any]:
    return {
        "scope": report.scope,
        "authority_code": report.authority.code if report.authority else None,
        "from": report.period.start.isoformat(),
        "to": report.period.end.isoformat(),
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "summary": section.summary,
                "note": section.note,
                "rows": [
                    {
                        "key": row.key,
                        "label": row.label,
                        "figure": _cell(row.cell),
                        "service": _cell(row.service) if row.service else None,
                    }
                    for row in section.rows
                ],
            }
            for section in report.sections
        ],
        "trend_quarters": [quarter.start.isoformat() for quarter in report.trend.quarters],
        "trend": [
            {"key": row.key, "label": row.label, "quarters": [_cell(cell) for cell in row.cells]}
            for row in report.trend.rows
        ],
    }


def _report(request: HttpRequest, query: PeriodQuery, code: str | None) -> Any:
    today = timezone.localdate()
    try:
        if code is None:
            access.check_service(request.user)
            authority = None
        else:
            authority = access.authority_for(request.user, code)
    except PermissionDenied:
        return _error(403, "forbidden", "Only managers, and officers for their own authority, read reports.")
    except Http404:
        return _error(404, "not_found", "Not found.")
    try:
        period = parse_period(query.period_from, query.period_to, today=today)
    except PeriodError as error:
        return _error(400, "invalid_period", error.message, {error.field: error.message})
    calendar = current_calendar()
    if authority is None:
        return _out(service_report(period=period, today=today, calendar=calendar))
    return _out(authority_report(authority=authority, period=period, today=today, calendar=calendar))


@router.get(
    "/service", response={200: ReportOut, **ERRORS}, summary="The whole service's report", by_alias=True
)
def service(request: HttpRequest, query: Query[PeriodQuery]) -> Any:
    return _report(request, query, None)


@router.get(
    "/authorities/{code}",
    response={200: ReportOut, **ERRORS},
    summary="One local authority's report",
    by_alias=True,
)
def authority(request: HttpRequest, code: str, query: Query[PeriodQuery]) -> Any:
    return _report(request, query, code)
