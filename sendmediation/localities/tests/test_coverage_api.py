"""GET /api/v1/coverage on the real postcode directory."""

import datetime

import pytest
from django.core.cache import cache

from sendmediation.localities.models import LocalAuthority
from sendmediation.localities.services import update_coverage

pytestmark = pytest.mark.django_db

URL = "/api/v1/coverage"


def cover(code: str, **changes: object) -> None:
    update_coverage(
        authority=LocalAuthority.objects.get(code=code),
        actor=None,
        changes={"covered_from": datetime.date(2024, 4, 1), **changes},
        via="test",
    )


def test_a_covered_postcode(client) -> None:
    cover("E09000033")
    response = client.get(URL, {"postcode": "SW1A 1AA"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "postcode": "SW1A 1AA",
        "country": "England",
        "local_authority": {"code": "E09000033", "name": "Westminster"},
        "covered": True,
    }


def test_any_case_spacing_and_punctuation(client) -> None:
    response = client.get(URL, {"postcode": " sw1a-1aa "})
    assert response.json()["postcode"] == "SW1A 1AA"


@pytest.mark.parametrize(
    ("postcode", "code", "name"),
    [
        ("CA1 1AA", "E06000063", "Cumberland"),  # Carlisle
        ("LA9 4DL", "E06000064", "Westmorland and Furness"),  # Kendal
        ("ME14 1XQ", "E10000016", "Kent"),  # Maidstone: the county, not the district
        ("BS1 5TR", "E06000023", "Bristol, City of"),
        ("TR21 0LW", "E06000053", "Isles of Scilly"),
    ],
)
def test_uncovered_english_postcodes_name_their_authority(client, postcode, code, name) -> None:
    body = client.get(URL, {"postcode": postcode}).json()
    assert body == {
        "postcode": postcode,
        "country": "England",
        "local_authority": {"code": code, "name": name},
        "covered": False,
    }


@pytest.mark.parametrize(
    ("postcode", "country"),
    [
        ("CF10 1AA", "Wales"),
        ("EH1 1AA", "Scotland"),
        ("BT1 1AA", "Northern Ireland"),
        ("GY1 1AA", "Channel Islands"),
        ("JE2 3AB", "Channel Islands"),
        ("IM1 1AA", "Isle of Man"),
    ],
)
def test_outside_england(client, postcode, country) -> None:
    body = client.get(URL, {"postcode": postcode}).json()
    assert body == {"postcode": postcode, "country": country, "local_authority": None, "covered": False}


@pytest.mark.parametrize("postcode", ["", "SW1A", "nonsense", "BFPO 123", "SW1A 1AA, London", "x" * 5000])
def test_malformed_postcodes_are_400(client, postcode) -> None:
    response = client.get(URL, {"postcode": postcode})
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_postcode",
            "message": "Enter a full UK postcode, like SW1A 1AA",
            "fields": {"postcode": "Enter a full UK postcode, like SW1A 1AA"},
        }
    }


def test_a_missing_postcode_is_400(client) -> None:
    response = client.get(URL)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"postcode": "This is required"}


@pytest.mark.parametrize("postcode", ["QQ1 1AA", "SW1A 9ZZ", "GIR 0AA"])
def test_a_postcode_not_in_the_directory_is_404(client, postcode) -> None:
    response = client.get(URL, {"postcode": postcode})
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "postcode_not_found",
            "message": "We could not find that postcode",
            "fields": {"postcode": "We could not find that postcode"},
        }
    }


def test_coverage_that_has_ended_or_not_started_is_not_covered(client) -> None:
    cover("E09000033", covered_to=datetime.date(2025, 3, 31))
    assert client.get(URL, {"postcode": "SW1A 1AA"}).json()["covered"] is False
    cover("E09000033", covered_from=datetime.date(2099, 4, 1), covered_to=None)
    assert client.get(URL, {"postcode": "SW1A 1AA"}).json()["covered"] is False


def test_a_change_shows_in_the_next_answer(client) -> None:
    assert client.get(URL, {"postcode": "SW1A 1AA"}).json()["covered"] is False
    cover("E09000033")
    assert client.get(URL, {"postcode": "SW1A 1AA"}).json()["covered"] is True


def test_answers_cost_no_queries_once_coverage_is_cached(client, django_assert_num_queries) -> None:
    client.get(URL, {"postcode": "SW1A 1AA"})
    with django_assert_num_queries(0):
        for postcode in ("SW1A 1AA", "ME14 1XQ", "CF10 1AA"):
            assert client.get(URL, {"postcode": postcode}).status_code == 200


def test_the_schema_documents_the_endpoint(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/coverage"]["get"]
    assert set(operation["responses"]) == {"200", "400", "404", "429"}
    assert [parameter["name"] for parameter in operation["parameters"]] == ["postcode"]


@pytest.fixture
def rate_limit(settings):
    cache.clear()
    yield settings
    cache.clear()


def test_too_many_requests_are_429_with_retry_after(client, rate_limit) -> None:
    rate_limit.PUBLIC_API_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get(URL, {"postcode": "SW1A 1AA"}).status_code == 200
    response = client.get(URL, {"postcode": "SW1A 1AA"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "rate_limited"
    # Another client has its own allowance.
    assert client.get(URL, {"postcode": "SW1A 1AA"}, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_limit_of_0_turns_it_off(client, rate_limit) -> None:
    rate_limit.PUBLIC_API_RATE_LIMIT = 0
    for _ in range(100):
        assert client.get(URL, {"postcode": "SW1A 1AA"}).status_code == 200
