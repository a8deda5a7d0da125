"""The reports over JSON: who may read which, the same suppression as the pages, and the JSON
errors for dates that make no period (never a 500)."""

from __future__ import annotations

import pytest

from sendmediation.accounts.tokens import create_api_token
from sendmediation.reports.tests.conftest import QUARTER, build_world

pytestmark = pytest.mark.django_db

Q3 = {"from": QUARTER.start.isoformat(), "to": QUARTER.end.isoformat()}


@pytest.fixture
def world(personas):
    return build_world(personas)


def _get(client, user, path, query=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user)[1]}"} if user else {}
    return client.get(path, query if query is not None else Q3, **headers)


def test_the_permission_matrix(client, world):
    p = world.personas
    own = f"/api/v1/reports/authorities/{world.westminster.code}"
    other = f"/api/v1/reports/authorities/{world.kent.code}"
    service = "/api/v1/reports/service"
    expected = {
        # who: (own authority, another authority, the whole service)
        "manager": (p.manager, 200, 200, 200),
        "la_officer": (p.la_officer, 200, 404, 403),
        "other_la_officer": (p.other_la_officer, 404, 200, 403),
        "coordinator": (p.coordinator, 403, 403, 403),
        "adviser": (p.adviser, 403, 403, 403),
        "mediator": (p.mediator, 403, 403, 403),
        # Someone without a role cannot hold a token at all; without one, the answer is 401.
        "anonymous": (None, 401, 401, 401),
    }
    wrong = []
    for who, (user, *statuses) in expected.items():
        for path, status in zip((own, other, service), statuses, strict=True):
            response = _get(client, user, path)
            if response.status_code != status:
                wrong.append(f"{who} {path}: {response.status_code}, expected {status}")
            elif status != 200:
                assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert not wrong, "\n".join(wrong)


def test_the_figures_are_the_pages_and_suppressed(client, world):
    body = _get(
        client, world.personas.la_officer, f"/api/v1/reports/authorities/{world.westminster.code}"
    ).json()
    assert body["from"] == "2026-07-01" and body["to"] == "2026-09-30"
    rows = {(s["key"], r["key"]): r for s in body["sections"] for r in s["rows"]}
    assert rows[("requests", "received")]["figure"] == {"text": "15", "value": 15, "suppressed": False}
    assert rows[("requests", "received")]["service"]["value"] == 13.0
    phone = rows[("requests", "phone")]["figure"]
    assert phone == {"text": "fewer than 5", "value": None, "suppressed": True}
    # From the follow-up survey: 1 of Westminster's families appealed, hidden as a small number.
    assert rows[("sen2", "followed_by_appeal")]["figure"] == {
        "text": "fewer than 5",
        "value": None,
        "suppressed": True,
    }
    assert rows[("sen2", "followed_up")]["figure"]["value"] == 6
    assert len(body["trend_quarters"]) == 8 and body["trend_quarters"][-1] == "2026-07-01"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-09-30", "to": "2026-07-01"}, "to"),
        ({"from": "2026-13-01", "to": "2026-07-01"}, "from"),
        ({"from": "not a date", "to": "2026-07-01"}, "from"),
        ({"from": "2026-07-01", "to": "3000-01-01"}, "to"),
        ({"from": "3000-01-01", "to": "3000-01-02"}, "from"),
        ({"from": "2026-07-01"}, "to"),
        ({"from": "1899-01-01", "to": "2026-07-01"}, "from"),
        ({"from": "2026-07-01\x00", "to": "2026-07-02"}, "from"),
    ],
)
def test_bad_dates_are_a_json_400_naming_the_field(client, world, query, field):
    for path in ("/api/v1/reports/service", f"/api/v1/reports/authorities/{world.westminster.code}"):
        response = _get(client, world.personas.manager, path, query)
        assert response.status_code == 400, response.content
        error = response.json()["error"]
        assert error["code"] == "invalid_period"
        assert list(error["fields"]) == [field]
        assert error["message"] == error["fields"][field]


def test_no_dates_is_the_last_quarter(client, world):
    response = _get(client, world.personas.manager, "/api/v1/reports/service", {})
    assert response.status_code == 200
    assert response.json()["from"].endswith(("-01-01", "-04-01", "-07-01", "-10-01"))
