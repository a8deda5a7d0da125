"""Template helpers for the case pages."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@register.simple_tag
def action_url(action: Any, case: Any) -> str:
    """The page for an action on a case: its own page where it has one (a meeting, an agreement),
    otherwise the case's action page."""
    if action.page:
        return reverse(action.page, args=[case.reference])
    return reverse("cases:case_action", args=[case.reference, action.name])


_REFERENCE_MARK = "MED-0000-000000"


@lru_cache(maxsize=16)
def _case_page_pattern(urlconf: str | None, prefix: str) -> str:
    return reverse("cases:case_detail", args=[_REFERENCE_MARK], urlconf=urlconf)


@register.filter
def case_page(reference: str) -> str:
    """A case's page, for lists of many cases: the address is worked out once and the reference put
    in it, since reversing it for every row takes longer than the list's queries."""
    return _case_page_pattern(get_urlconf(), get_script_prefix()).replace(_REFERENCE_MARK, reference)
