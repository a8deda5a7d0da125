"""A per-client limit on the public endpoints: PUBLIC_API_RATE_LIMIT requests a minute, 0 for none."""

from django.conf import settings
from django.http import HttpRequest

from sendmediation.api.errors import RateLimited
from sendmediation.common import ratelimit


def check_public_rate_limit(request: HttpRequest, *, now: float | None = None) -> None:
    wait = ratelimit.take(
        request,
        scope="public-api-rate",
        limit=int(getattr(settings, "PUBLIC_API_RATE_LIMIT", 0)),
        window_seconds=60,
        now=now,
    )
    if wait is not None:
        raise RateLimited(wait)
