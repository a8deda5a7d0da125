"""POST /api/v1/schedule/proposals: a proposal another system can check; bad input is the API's
JSON error, never a 500."""

from __future__ import annotations

import pytest

from sendmediation.accounts.tokens import create_api_token
from sendmediation.cases.models import Case
from sendmediation.meetings.models import Meeting, Venue
from sendmediation.meetings.tests.conftest import dr_case, venues  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("venues")]

URL = "/api/v1/schedule/proposals"


def call(client, user, body):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user)[1]}"} if user is not None else {}
    return client.post(URL, body, content_type="application/json", **headers)


def test_a_coordinator_gets_the_proposal_for_every_case_waiting(personas, client):
    case = dr_case(personas)
    response = call(client, personas.coordinator, {})
    assert response.status_code == 200, response.content
    body = response.json()
    [meeting] = body["meetings"]
    assert meeting["case"] == case.reference
    assert meeting["mediator"] == personas.mediator.username
    assert meeting["venue"] == Venue.objects.get(name="Near Hall").pk and meeting["format"] == "in_person"
    assert meeting["starts_at"] < meeting["ends_at"] and meeting["starts_at"].endswith(("+00:00", "Z"))
    assert meeting["family_km"] < 2
    assert body["unplaced"] == []
    assert Meeting.objects.count() == 0


def test_one_case_by_reference_and_a_manager_may_ask_too(personas, client):
    case = dr_case(personas)
    response = call(client, personas.manager, {"cases": [case.reference.lower()]})
    assert response.status_code == 200
    assert [m["case"] for m in response.json()["meetings"]] == [case.reference]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"cases": "MED-2026-000001"}, "cases"),
        ({"cases": [1, 2]}, "cases.0"),
        ({"cases": []}, "cases"),
        ({"cases": None, "all": True}, "all"),
        ({"case": ["MED-2026-000001"]}, "case"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(personas, client, body, field):
    response = call(client, personas.coordinator, body)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_input" and error["message"]
    assert field in error["fields"], error


@pytest.mark.parametrize("body", [[], "not json", [{"cases": []}]])
def test_a_body_that_is_not_an_object_is_a_400(personas, client, body):
    response = call(client, personas.coordinator, body)
    assert response.status_code == 400, response.content
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_an_unknown_case_and_a_case_outside_the_scope_look_the_same(personas, client):
    case = dr_case(personas)
    unknown = call(client, personas.coordinator, {"cases": ["MED-2026-999999"]})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "invalid_change"
    assert "cases" in unknown.json()["error"]["fields"]
    # A case the mediator is not assigned to is outside their scope; for a coordinator a case not
    # waiting for a meeting is refused in the same words as one that does not exist.
    case.status = Case.Status.MEETING_HELD
    Case.objects.filter(pk=case.pk).update(status=Case.Status.MEETING_HELD)
    refused = call(client, personas.coordinator, {"cases": [case.reference]})
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["cases"].endswith("is waiting for a meeting")


@pytest.mark.parametrize("who", ["adviser", "mediator", "la_officer"])
def test_only_coordinators_and_managers(personas, client, who):
    response = call(client, getattr(personas, who), {})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_without_a_token_it_is_a_401(client):
    response = client.post(URL, {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
