"""Wagtail's public URL patterns, marked as open to everyone (LoginRequiredMiddleware is on)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver


def public(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The same patterns with each view marked ``login_not_required``; Wagtail checks page privacy itself."""
    opened: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern = URLPattern(
                pattern.pattern, login_not_required(pattern.callback), pattern.default_args, pattern.name
            )
        opened.append(pattern)
    return opened
