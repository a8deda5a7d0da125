"""One rate limiter for every limit the service sets: a fixed-window count per client address, in the cache.

Each caller names its own ``scope`` (the first part of the cache key), its limit and its window, so
the public API, sending a request and checking a certificate each keep their own count.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address; behind N trusted proxies, the Nth address from the right."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def take(
    request: HttpRequest, *, scope: str, limit: int, window_seconds: int, now: float | None = None
) -> int | None:
    """Count one use of ``scope`` by this client: None while it is within ``limit`` uses in the
    current window, otherwise the whole seconds until the next window starts. A limit of 0 (or
    less) is no limit, and nothing is counted."""
    if limit <= 0:
        return None
    moment = time.time() if now is None else now
    window = int(moment // window_seconds)
    key = f"{scope}:{client_address(request)}:{window}"
    if cache.add(key, 1, timeout=window_seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window_seconds + 1)
            count = 1
    if count > limit:
        return max(1, int((window + 1) * window_seconds - moment + 0.999))
    return None
