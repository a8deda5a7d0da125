"""The default cache, which every web worker shares: the rate limits count in it.

A cache kept in each worker's memory would give each worker its own count, so a client would be
limited differently by whichever worker answered. The database cache needs no other server (its table
is made by ``manage.py createcachetable``, which scripts/run.sh and the test databases run); set
REDIS_URL to use Redis instead (docs/deployment.md).
"""

from typing import Any

DATABASE_CACHE_TABLE = "sendmediation_cache"


def default_cache(redis_url: str) -> dict[str, Any]:
    if redis_url:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "sendmediation",
        }
    return {
        "BACKEND": "sendmediation.common.cache.DatabaseCache",
        "LOCATION": DATABASE_CACHE_TABLE,
        # Django culls a third of the rows past MAX_ENTRIES (300 by default), which would forget
        # clients' counts under a flood of addresses; rate-limit rows expire with their window.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
