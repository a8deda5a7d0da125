import pytest
from django.core.cache import cache
from django.test import RequestFactory

from sendmediation.api.errors import RateLimited
from sendmediation.api.ratelimit import check_public_rate_limit


@pytest.fixture(autouse=True)
def _empty_cache(db):  # the cache is a table in the database
    cache.clear()
    yield
    cache.clear()


def _request(address="192.0.2.10", forwarded=""):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/api/v1/coverage", **extra)


def test_the_limit_counts_per_client_per_minute(settings):
    settings.PUBLIC_API_RATE_LIMIT = 3
    start = 60 * 16_667 + 20.0  # 20 seconds into a minute
    for _ in range(3):
        check_public_rate_limit(_request(), now=start)
    with pytest.raises(RateLimited) as refused:
        check_public_rate_limit(_request(), now=start + 1)
    assert refused.value.status == 429
    assert refused.value.headers["Retry-After"] == "39"
    check_public_rate_limit(_request("192.0.2.99"), now=start + 1)  # another client is not affected
    check_public_rate_limit(_request(), now=start + 40)  # the next minute starts afresh


def test_zero_turns_the_limit_off(settings):
    settings.PUBLIC_API_RATE_LIMIT = 0
    for _ in range(500):
        check_public_rate_limit(_request(), now=1_000_000.0)


@pytest.mark.django_db
def test_the_schema_is_published_without_signing_in(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Kestrel SEND Mediation API"


@pytest.mark.django_db
def test_an_unknown_api_path_is_a_json_404_not_a_sign_in_redirect(client):
    for path in ("/api/v1/no-such-thing", "/api/v1/no-such-thing/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
