"""Staff pages need the second factor: a signed-in person who has not given a code is sent to give one.

Placed after django-otp's OTPMiddleware, which tells whether this session has given a code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from sendmediation.accounts.second_factor import second_factor_pending, with_next

# Every staff area in config/urls.py: the accounts app's /staff/ (and /staff/cases/,
# /staff/notifications/ below it), the CMS (with its own account pages) and Django's admin.
STAFF_PATH_PREFIXES = ("/staff/", "/cms/", "/django-admin/")

View = TypeVar("View", bound=Callable[..., Any])


def second_factor_not_required(view: View) -> View:
    """Mark a view that a person still owing a code may open: giving the code, setting up, signing out."""
    view.second_factor_required = False  # type: ignore[attr-defined]
    return view


class StaffSecondFactorMiddleware:
    """Deny by default: a staff prefix, or any view that needs a sign-in, needs the code as well.

    Public pages, the JSON API (bearer tokens, marked public) and static files (served before
    this runs) are untouched; nothing changes while STAFF_SECOND_FACTOR is off.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not getattr(view_func, "second_factor_required", True):
            return None
        staff_area = request.path_info.startswith(STAFF_PATH_PREFIXES)
        if not (staff_area or getattr(view_func, "login_required", True)):
            return None
        if not second_factor_pending(request.user):
            return None
        return HttpResponseRedirect(with_next("accounts:second_factor", request.get_full_path()))
