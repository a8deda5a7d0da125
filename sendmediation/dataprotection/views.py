"""The subject access export's page, and the managers' pages on who looked at what."""

from __future__ import annotations

import tempfile
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import can_export_subject_access, can_see_who_viewed
from sendmediation.cases.models import AccessLog
from sendmediation.cases.queries import PAGE_SIZE, get_case_or_404, log_access, log_list_read
from sendmediation.dataprotection import access_report
from sendmediation.dataprotection.subject_access import (
    family_cases,
    family_emails,
    write_subject_access_export,
)


@require_http_methods(["GET", "HEAD", "POST"])
def subject_access(request: HttpRequest, reference: str) -> HttpResponseBase:
    case = get_case_or_404(request.user, reference)
    if not can_export_subject_access(request.user):
        raise PermissionDenied("Only a manager can export everything held about a family")
    if request.method == "POST":
        out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        summary = write_subject_access_export(actor=request.user, case=case, out=out)
        out.seek(0)
        response = FileResponse(
            out, as_attachment=True, filename=summary.filename, content_type="application/zip"
        )
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "dataprotection/subject_access.html",
        {
            "case": case,
            "cases": family_cases(case, request.user),
            "emails": family_emails(case),
            "nav": "cases",
        },
    )


def _managers_only(user: Any) -> None:
    if not can_see_who_viewed(user):
        raise PermissionDenied("Only a manager can see who looked at cases")


@require_safe
def case_viewers(request: HttpRequest, reference: str) -> HttpResponse:
    """Who looked at this case, newest first. Reading the list is itself a look at the case."""
    case = get_case_or_404(request.user, reference)
    _managers_only(request.user)
    log_access(user=request.user, case=case, what=AccessLog.What.VIEWERS)
    page = Paginator(access_report.case_viewers(case), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dataprotection/case_viewers.html", {"case": case, "page": page, "nav": "cases"})


@require_safe
def access_counts(request: HttpRequest) -> HttpResponse:
    """Everyone who signs in, with how many cases each opened lately."""
    _managers_only(request.user)
    page = Paginator(access_report.access_counts(now=timezone.now()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "dataprotection/access_counts.html", {"page": page, "nav": "access"})


@require_safe
def person_access(request: HttpRequest, user_id: int) -> HttpResponse:
    """What one person opened over a period the manager chooses."""
    _managers_only(request.user)
    person = get_object_or_404(User, pk=user_id)
    period = request.GET.get("period", access_report.DEFAULT_PERIOD)
    if period not in access_report.PERIODS:
        period = access_report.DEFAULT_PERIOD
    since = access_report.period_start(period, now=timezone.now())
    rows = access_report.person_accesses(person, since=since)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # The report shows what the person searched for, which can be a family's name: reading it is
    # logged as a list is (who, whose report and which period; never what it showed).
    log_list_read(
        user=request.user,
        what=AccessLog.What.ACCESS_REPORT,
        query={"person": str(person.pk), "period": period},
        shown=len(page.object_list),
        page=page.number,
    )
    return render(
        request,
        "dataprotection/person_access.html",
        {
            "person": person,
            "page": page,
            "period": period,
            "periods": [(key, label) for key, (label, _) in access_report.PERIODS.items()],
            "period_label": access_report.PERIODS[period][0],
            "query": urlencode({"period": period}),
            "nav": "access",
        },
    )
