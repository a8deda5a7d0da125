"""The one rate limiter: a count per client and scope, in fixed windows, with the wait until the next."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from sendmediation.common.ratelimit import client_address, take


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
