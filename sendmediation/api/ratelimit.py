"""A per-client limit on the public endpoints: PUBLIC_API_RATE_LIMIT requests a minute, 0 for none."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from sendmediation.api.errors import RateLimited

WINDOW_SECONDS = 60


def client_address(request: HttpRequest) -> str:
    """The client's address; behind N trusted proxies, the Nth address from the right."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def check_public_rate_limit(request: HttpRequest, *, now: float | None = None) -> None:
    limit = int(getattr(settings, "PUBLIC_API_RATE_LIMIT", 0))
    if limit <= 0:
        return
    moment = time.time() if now is None else now
    window = int(moment // WINDOW_SECONDS)
    key = f"public-api-rate:{client_address(request)}:{window}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=WINDOW_SECONDS + 1)
            count = 1
    if count > limit:
        retry_after = max(1, int((window + 1) * WINDOW_SECONDS - moment + 0.999))
        raise RateLimited(retry_after)
