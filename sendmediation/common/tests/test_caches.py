"""The default cache every worker shares: the database's, or Redis when REDIS_URL is set.

No Redis server runs where the tests run: these check the choice and that Django can build the Redis
cache with the installed client, not a round trip to a server.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from config.caches import DATABASE_CACHE_TABLE, default_cache
from sendmediation.common.apps import make_cache_tables

ROOT = Path(__file__).resolve().parents[3]


def test_the_database_is_the_cache_unless_redis_is_named():
    assert default_cache("") == {
        "BACKEND": "sendmediation.common.cache.DatabaseCache",
        "LOCATION": DATABASE_CACHE_TABLE,
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
    redis = default_cache("redis://cache.internal:6379/0")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://cache.internal:6379/0"


def _cache_in_a_new_process(show: str, **env: str) -> str:
    probe = (
        "import django; django.setup(); from django.core.cache import caches; "
        f"cache = caches['default']; print({show})"
    )
    environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.base", **env)
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_settings_choose_redis_from_redis_url_and_the_client_is_installed():
    # Building the client imports the redis package; nothing is sent to the (absent) server.
    shown = _cache_in_a_new_process(
        "type(cache).__name__, cache._servers, cache._cache._lib.__name__",
        REDIS_URL="redis://127.0.0.1:6390/2",
    )
    assert shown == "RedisCache ['redis://127.0.0.1:6390/2'] redis"


def test_settings_choose_the_database_cache_without_redis_url():
    shown = _cache_in_a_new_process("type(cache).__module__, type(cache).__name__, cache._table")
    assert shown == f"sendmediation.common.cache DatabaseCache {DATABASE_CACHE_TABLE}"


@pytest.mark.django_db
def test_migrate_makes_the_cache_table_before_anything_uses_the_cache():
    """A post-migrate step (installing the website's first pages) already uses the cache."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(DATABASE_CACHE_TABLE)}")
    assert DATABASE_CACHE_TABLE not in connection.introspection.table_names()
    make_cache_tables(sender=apps.get_app_config("common"), using="default")
    assert DATABASE_CACHE_TABLE in connection.introspection.table_names()
    from django.core.cache import cache

    cache.set("after", 1)
    assert cache.get("after") == 1
