import functools
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt

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


@login_not_required
@csrf_exempt
def _unknown_path(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other address under /api/v1/ is a JSON 404, never a page of the website."""
    return JsonResponse({"error": {"code": "not_found", "message": "Not found.", "fields": {}}}, status=404)


urlpatterns.append(re_path(r"^(?P<path>.*)$", _unknown_path))
