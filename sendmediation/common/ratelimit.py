"""One rate limiter for every limit the service sets: a fixed-window count per client address, in the cache.

Each caller names its own ``scope`` (the first part of the cache key), its limit and its window, so
the public API, sending a request and checking a certificate each keep their own count.
"""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _address(text: str) -> str | None:
    """One address as a proxy writes it, port or brackets and all; None when it is not an address."""
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's address: behind TRUSTED_PROXY_COUNT proxies, the Nth address from the right of
    X-Forwarded-For (the one the outermost trusted proxy was reached from); otherwise, or when the
    header has fewer addresses than that or no address in that place, the connection's address."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            chosen = _address(forwarded[-proxies])
            if chosen is not None:
                return chosen
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _counted_as(address: str) -> str:
    """The part of an address a limit counts: one IPv6 client usually holds a whole /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


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
    key = f"{scope}:{_counted_as(client_address(request))}:{window}"
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
