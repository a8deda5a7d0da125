import functools
from typing import Any

from django.urls import URLPattern, URLResolver

from sendmediation.api.api import api


def _without_sign_in(callback: Any) -> Any:
    @functools.wraps(callback)
    def view(*args: Any, **kwargs: Any) -> Any:
        return callback(*args, **kwargs)

    view.login_required = False  # type: ignore[attr-defined]
    return view


def _public(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API answers for itself (bearer tokens for staff endpoints), never with a sign-in redirect."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _public(pattern.url_patterns)
            continue
        pattern.callback = _without_sign_in(pattern.callback)
    return patterns


api_patterns, _ninja_app_name, app_name = api.urls  # reversed as "api:..."
urlpatterns = _public(list(api_patterns))
