"""Staff pages for writing down an agreement and collecting its signatures."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _not_yet(request: HttpRequest, reference: str) -> HttpResponse:
    raise Http404("Not built yet")


edit = send = wet_signature = _not_yet
