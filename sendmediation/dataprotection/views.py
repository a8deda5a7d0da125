"""The subject access export's page: what will be included, and a button that makes the zip."""

from __future__ import annotations

import tempfile

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from sendmediation.accounts.permissions import can_export_subject_access
from sendmediation.cases.queries import get_case_or_404
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
