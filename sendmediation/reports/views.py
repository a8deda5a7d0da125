"""Report pages and their exports: read-only, for managers and local authority officers.

Each page reads its period from a GET form (``from`` and ``to``, YYYY-MM-DD), so it works without
JavaScript and every report has an address that can be bookmarked or sent on.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from itertools import chain
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from sendmediation.accounts.permissions import is_la_officer
from sendmediation.localities.models import LocalAuthority
from sendmediation.reports import access, charts, exports
from sendmediation.reports import dashboard as manager_dashboard
from sendmediation.reports.periods import (
    Period,
    PeriodError,
    last_academic_year,
    last_financial_year,
    last_quarter,
    parse_period,
)
from sendmediation.reports.report import (
    EXPORT_HEADER,
    Report,
    authority_report,
    collect,
    each_authority_rows,
    report_rows,
    service_report,
)
from sendmediation.statutory.services import current_calendar

FORMATS = ("csv", "xlsx", "pdf")


def _query(period: Period) -> str:
    return urlencode({"from": period.start.isoformat(), "to": period.end.isoformat()})


def _choices(today: datetime.date) -> list[tuple[str, Period]]:
    return [
        ("Last quarter", last_quarter(today)),
        ("Last financial year", last_financial_year(today)),
        ("Last academic year", last_academic_year(today)),
    ]


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Managers choose an authority or the whole service; an officer goes to their own report."""
    user = request.user
    if is_la_officer(user) and not access.can_see_service_report(user):
        return redirect("reports:authority", code=user.local_authority.code)  # type: ignore[union-attr]
    access.check_service(user)
    today = timezone.localdate()
    period = last_quarter(today)
    covered = LocalAuthority.objects.covered(on=today).order_by("name").values("code", "name")
    return render(
        request,
        "reports/index.html",
        {"authorities": list(covered), "query": _query(period), "period": period, "nav": "reports"},
    )


def _period_or_errors(request: HttpRequest) -> tuple[Period | None, dict[str, str]]:
    try:
        return (
            parse_period(request.GET.get("from"), request.GET.get("to"), today=timezone.localdate()),
            {},
        )
    except PeriodError as error:
        return None, {error.field: error.message}


def _page(request: HttpRequest, authority: LocalAuthority | None) -> HttpResponse:
    today = timezone.localdate()
    period, errors = _period_or_errors(request)
    here = reverse("reports:authority", args=[authority.code]) if authority else reverse("reports:service")
    context: dict[str, Any] = {
        "authority": authority,
        "errors": errors,
        "typed": {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")},
        "choices": [(label, f"{here}?{_query(choice)}", choice) for label, choice in _choices(today)],
        "nav": "reports",
    }
    if period is None:
        return render(request, "reports/report.html", context, status=400)
    report = _build(authority, period, today)
    query = _query(period)
    context.update(
        {
            "report": report,
            "period": period,
            "typed": {"from": period.start.isoformat(), "to": period.end.isoformat()},
            "exports": [(fmt, f"{here}export.{fmt}?{query}") for fmt in FORMATS],
            "charts": charts.for_report(report),
            "trend_table": list(
                zip(
                    report.trend.labels,
                    zip(*(row.cells for row in report.trend.rows), strict=True),
                    strict=True,
                )
            ),
        }
    )
    return render(request, "reports/report.html", context)


def _build(authority: LocalAuthority | None, period: Period, today: datetime.date) -> Report:
    calendar = current_calendar()
    if authority is None:
        return service_report(period=period, today=today, calendar=calendar)
    return authority_report(authority=authority, period=period, today=today, calendar=calendar)


@require_safe
def service(request: HttpRequest) -> HttpResponse:
    access.check_service(request.user)
    return _page(request, None)


@require_safe
def authority(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, access.authority_for(request.user, code))


def _export(
    request: HttpRequest, authority: LocalAuthority | None, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format")
    today = timezone.localdate()
    period, errors = _period_or_errors(request)
    if period is None:
        return HttpResponse(" ".join(errors.values()), status=400, content_type="text/plain; charset=utf-8")
    calendar = current_calendar()
    collected = collect(period, today=today, calendar=calendar) if authority is None else None
    if authority is None:
        report = service_report(period=period, today=today, calendar=calendar, collected=collected)
    else:
        report = authority_report(authority=authority, period=period, today=today, calendar=calendar)
    name = f"report-{authority.code if authority else 'service'}-{period.start}-to-{period.end}"
    if fmt == "pdf":
        from sendmediation.reports.pdf import render_report_pdf

        return FileResponse(
            iter([render_report_pdf(report, charts.for_report(report))]),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{name}.pdf",
        )
    rows = report_rows(report)
    # The whole service's export goes on with each authority's figures, from the same tallies.
    each = each_authority_rows(collected) if collected is not None else iter(())
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_lines(EXPORT_HEADER, chain(rows, each)), content_type=exports.CSV_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    sheets: list[tuple[str, Iterable[str], Iterable[Iterable[str]]]] = [("Report", EXPORT_HEADER, rows)]
    if collected is not None:
        sheets.append(("Each authority", EXPORT_HEADER, each))
    return FileResponse(
        exports.xlsx_file(sheets), content_type=exports.XLSX_TYPE, as_attachment=True, filename=f"{name}.xlsx"
    )


@require_safe
def service_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    access.check_service(request.user)
    return _export(request, None, fmt)


@require_safe
def authority_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse | StreamingHttpResponse:
    return _export(request, access.authority_for(request.user, code), fmt)


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs a manager's attention today, each figure a link to the list of those items."""
    access.check_dashboard(request.user)
    today = timezone.localdate()
    return render(
        request,
        "reports/dashboard.html",
        {"dashboard": manager_dashboard.dashboard(request.user, today=today), "nav": "dashboard"},
    )
