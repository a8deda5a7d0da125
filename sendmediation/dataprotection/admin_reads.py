"""Opening a record in the Django admin is a read like any other: every change page of a model that
may hold personal data writes a row to the access log, through the same ``log_access`` as the staff
pages. Deny by default: every model registered in the admin is logged unless it is listed here as
holding no personal data."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse

from sendmediation.cases.models import AccessLog, Case
from sendmediation.cases.queries import log_access
from sendmediation.intake.models import HelpRequest

# Models whose records hold nothing about a person: the CMS's public files, places and the calendar.
NO_PERSONAL_DATA = frozenset(
    {
        "auth.group",
        "localities.localauthority",
        "localities.coveragechange",
        "statutory.oneoffholiday",
        "meetings.venue",
        "meetings.room",
        "taggit.tag",
        "wagtaildocs.document",
        "wagtailimages.image",
    }
)


def _subject(obj: Any) -> dict[str, Any]:
    """The case or request a record belongs to, when it belongs to one."""
    if isinstance(obj, Case):
        return {"case": obj}
    if isinstance(obj, HelpRequest):
        return {"help_request": obj}
    if isinstance(obj, AccessLog):
        return {}  # a row of the log says who read a case; reading it is not reading the case
    case_id = getattr(obj, "case_id", None)
    if case_id is not None:
        return {"case": Case.objects.get(pk=case_id)}
    return {}


def logs_reads(model_admin: admin.ModelAdmin) -> bool:
    return bool(getattr(model_admin.change_view, "logs_reads", False))


def log_change_page_reads(model_admin: admin.ModelAdmin) -> None:
    """Make this admin's change page write an access row each time it is shown."""
    if logs_reads(model_admin):
        return
    shown = model_admin.change_view

    @functools.wraps(shown)
    def change_view(
        request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = shown(request, object_id, form_url, extra_context)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            obj = model_admin.get_object(request, unquote(object_id))
            if obj is not None:
                log_access(
                    user=request.user,
                    what=AccessLog.What.ADMIN_CHANGE,
                    item=f"{obj._meta.model_name} {obj.pk}"[:40],
                    **_subject(obj),
                )
        return response

    change_view.logs_reads = True  # type: ignore[attr-defined]
    model_admin.change_view = change_view  # type: ignore[method-assign]


def log_admin_reads(site: admin.AdminSite) -> None:
    for model, model_admin in site._registry.items():
        if model._meta.label_lower not in NO_PERSONAL_DATA:
            log_change_page_reads(model_admin)
