"""Staff pages for arranging, changing, cancelling and recording meetings."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _not_yet(request: HttpRequest, reference: str) -> HttpResponse:
    raise Http404("Not built yet")


arrange = change = cancel = held = _not_yet
