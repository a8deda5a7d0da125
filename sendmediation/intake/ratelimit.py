"""A limit on how many requests one address can send in an hour (INTAKE_SENDS_PER_HOUR, 0 for none)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from sendmediation.api.ratelimit import client_address

DEFAULT_SENDS_PER_HOUR = 10
WINDOW_SECONDS = 3600


def sends_per_hour() -> int:
    return int(getattr(settings, "INTAKE_SENDS_PER_HOUR", DEFAULT_SENDS_PER_HOUR))


def take_send_allowance(request: HttpRequest, *, now: float | None = None) -> int | None:
    """Count one send from this address; None if allowed, otherwise seconds until it will be."""
    limit = sends_per_hour()
    if limit <= 0:
        return None
    moment = time.time() if now is None else now
    window = int(moment // WINDOW_SECONDS)
    key = f"intake-sends:{client_address(request)}:{window}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=WINDOW_SECONDS + 1)
            count = 1
    if count > limit:
        return max(1, int((window + 1) * WINDOW_SECONDS - moment + 0.999))
    return None
