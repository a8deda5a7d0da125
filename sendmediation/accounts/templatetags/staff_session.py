"""When this session will be signed out for doing nothing, for the notice on every staff page."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone

from sendmediation.accounts import staff_sessions

register = template.Library()


@register.inclusion_tag("accounts/_idle_notice.html", takes_context=True)
def idle_notice(context: Any, return_here: bool = True) -> dict[str, Any]:
    """``return_here=False`` on error pages: "Stay signed in" then leads to the staff home page, and
    the page does not repeat the address that was not found."""
    request = context.get("request")
    left = staff_sessions.seconds_left(request) if request is not None else None
    if left is None:
        return {"show": False}
    return {
        "show": True,
        "seconds_left": left,
        "ends_at": timezone.localtime() + datetime.timedelta(seconds=left),
        "warning_seconds": staff_sessions.WARNING_SECONDS,
        "idle_minutes": staff_sessions.idle_seconds() // 60,
        "next": request.get_full_path() if return_here else "",
        "csrf_token": context.get("csrf_token"),
    }
