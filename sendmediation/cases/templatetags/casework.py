"""Template helpers for the case pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def action_url(action: Any, case: Any) -> str:
    """The page for an action on a case: its own page where it has one (a meeting, an agreement),
    otherwise the case's action page."""
    if action.page:
        return reverse(action.page, args=[case.reference])
    return reverse("cases:case_action", args=[case.reference, action.name])
