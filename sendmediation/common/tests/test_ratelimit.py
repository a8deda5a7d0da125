"""The one rate limiter: a count per client and scope, in fixed windows, with the wait until the next."""

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import RequestFactory

from sendmediation.common.cache import DatabaseCache
from sendmediation.common.ratelimit import client_address, take

pytestmark = pytest.mark.django_db  # the counts are rows in the database cache


@pytest.fixture(autouse=True)
def _counts_start_at_nothing():
    cache.clear()
    yield
    cache.clear()


def _request(address="192.0.2.10", forwarded=""):
    return RequestFactory().post("/somewhere/", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded)


def test_forwarded_addresses_count_only_behind_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request("10.0.0.1", "203.0.113.5")) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(_request("10.0.0.1", "198.51.100.7, 203.0.113.5")) == "203.0.113.5"


def test_too_few_forwarded_addresses_fall_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(_request("10.0.0.1", "203.0.113.5")) == "10.0.0.1"


def test_the_limit_counts_per_client_per_window_and_says_how_long_to_wait():
    start = 3600 * 500 + 600.0  # ten minutes into an hour
    for _ in range(2):
        assert take(_request(), scope="sends", limit=2, window_seconds=3600, now=start) is None
    assert take(_request(), scope="sends", limit=2, window_seconds=3600, now=start + 1) == 2999
    assert take(_request("192.0.2.99"), scope="sends", limit=2, window_seconds=3600, now=start + 1) is None
    assert take(_request(), scope="sends", limit=2, window_seconds=3600, now=start + 3000) is None


def test_each_scope_has_its_own_count():
    now = 1_000_000.0
    assert take(_request(), scope="one", limit=1, window_seconds=60, now=now) is None
    assert take(_request(), scope="two", limit=1, window_seconds=60, now=now) is None
    assert take(_request(), scope="one", limit=1, window_seconds=60, now=now) is not None


def test_the_wait_is_at_least_a_second():
    end_of_window = 60 * 16_667 + 59.9995
    take(_request(), scope="edge", limit=1, window_seconds=60, now=end_of_window)
    assert take(_request(), scope="edge", limit=1, window_seconds=60, now=end_of_window) == 1


def test_zero_turns_the_limit_off_and_counts_nothing():
    for _ in range(50):
        assert take(_request(), scope="off", limit=0, window_seconds=60, now=1_000_000.0) is None
    assert take(_request(), scope="off", limit=1, window_seconds=60, now=1_000_000.0) is None


def _address_behind(proxies, forwarded, settings, remote="10.0.0.1"):
    settings.TRUSTED_PROXY_COUNT = proxies
    return client_address(_request(remote, forwarded))


def test_blanks_spaces_ports_and_ipv6_in_forwarded_addresses(settings):
    assert _address_behind(1, " 198.51.100.7 ,  203.0.113.5 ", settings) == "203.0.113.5"
    assert _address_behind(1, "203.0.113.5, , ", settings) == "203.0.113.5"
    assert _address_behind(1, "203.0.113.5:51234", settings) == "203.0.113.5"
    assert _address_behind(1, "2001:DB8::1", settings) == "2001:db8::1"
    assert _address_behind(1, "[2001:db8::1]:443", settings) == "2001:db8::1"
    assert _address_behind(2, "2001:db8::7, 198.51.100.7", settings) == "2001:db8::7"


def test_a_missing_or_unreadable_forwarded_address_falls_back_to_the_connection(settings):
    assert _address_behind(1, "", settings) == "10.0.0.1"
    assert _address_behind(1, " , ", settings) == "10.0.0.1"
    # Not an address (a misconfigured proxy, or a client's own text where the proxy adds none): never
    # a cache key a client can choose, nor a value for an address field.
    assert _address_behind(1, "198.51.100.7, <script>", settings) == "10.0.0.1"
    assert _address_behind(1, "x" * 300, settings) == "10.0.0.1"


def test_a_client_cannot_choose_its_address_by_sending_the_header_itself(settings):
    """Behind one proxy, which appends the address it was reached from, the client's own entries are
    to the left of it and are never read; with no proxy the header is ignored."""
    assert _address_behind(1, "192.0.2.1, 192.0.2.2, 203.0.113.5", settings) == "203.0.113.5"
    assert _address_behind(0, "192.0.2.1", settings, remote="203.0.113.5") == "203.0.113.5"


def test_one_ipv6_client_is_counted_by_its_slash_64():
    now = 1_000_000.0
    first = _request("2001:db8:1:2::1")
    same_network = _request("2001:db8:1:2:ffff::9")
    other_network = _request("2001:db8:1:3::1")
    assert take(first, scope="v6", limit=1, window_seconds=60, now=now) is None
    assert take(same_network, scope="v6", limit=1, window_seconds=60, now=now) is not None
    assert take(other_network, scope="v6", limit=1, window_seconds=60, now=now) is None


def test_the_count_lives_in_the_shared_database_cache_and_keeps_its_window():
    """Every worker reads the same rows; counting does not stretch or shorten the window."""
    assert isinstance(caches["default"], DatabaseCache)
    cache.add("count", 1, timeout=120)
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM sendmediation_cache")
        (before,) = cursor.fetchone()
    assert cache.incr("count") == 2
    assert cache.incr("count", 5) == 7
    assert cache.decr("count") == 6
    assert cache.get("count") == 6
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM sendmediation_cache")
        assert cursor.fetchone() == (before,)
    with pytest.raises(ValueError):
        cache.incr("never-counted")
