"""The meetings API: the same services and errors, and the link kept from those not invited."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.accounts.tokens import create_api_token
from sendmediation.cases.models import Case
from sendmediation.meetings.models import MediatorProfile, Meeting
from sendmediation.meetings.tests.conftest import dr_case, mediation_case, soon
from sendmediation.testing.personas import make_staff

pytestmark = pytest.mark.django_db

LINK = "https://meet.example/secret-room"


def bearer(user) -> dict[str, str]:
    _, token = create_api_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, user, case, action, body):
    return client.post(
        f"/api/v1/cases/{case.reference}/actions/{action}",
        body,
        content_type="application/json",
        **bearer(user),
    )


def body(personas, **changes):
    values = {
        "starts_at": soon(14).isoformat(),
        "minutes": 120,
        "format": "online",
        "online_link": LINK,
        "mediator": personas.mediator.username,
        "short_notice_agreed": False,
    }
    values.update(changes)
    return values


def test_arrange_in_person_and_read_it_back(personas, client, venues):
    case = dr_case(personas)
    response = post(
        client,
        personas.coordinator,
        case,
        "arrange_meeting",
        body(personas, format="in_person", venue=venues["near"].pk, online_link=""),
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == Case.Status.MEETING_ARRANGED
    [meeting] = data["meetings"]
    assert meeting["format"] == "in_person" and meeting["status"] == "confirmed"
    assert meeting["venue"]["name"] == "Near Hall" and meeting["venue"]["step_free"] is True
    assert meeting["mediator"] == personas.mediator.username and meeting["outcome"] == ""


def test_the_link_is_in_the_api_only_for_arrangers_and_those_invited(personas, client):
    case = dr_case(personas)
    assert post(client, personas.coordinator, case, "arrange_meeting", body(personas)).status_code == 200
    read = lambda user: client.get(f"/api/v1/cases/{case.reference}", **bearer(user)).json()  # noqa: E731
    assert read(personas.coordinator)["meetings"][0]["online_link"] == LINK
    assert read(personas.la_officer)["meetings"][0]["online_link"] == LINK  # invited
    colleague = make_staff("oscar", User.Role.LA_OFFICER, personas.authority)
    answer = read(colleague)
    assert answer["meetings"][0]["online_link"] is None
    assert LINK not in str(answer)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": "2026-01-12T10:00:00+00:00"}, "starts_at"),
        ({"format": "in_person", "online_link": ""}, "venue"),
        ({"online_link": ""}, "online_link"),
        ({"mediator": "nobody"}, "mediator"),
        ({"starts_at": soon(2).isoformat()}, "starts_at"),
    ],
    ids=["past", "no-venue", "no-link", "unknown-mediator", "short-notice"],
)
def test_bad_input_is_400_naming_the_field(personas, client, changes, field):
    case = dr_case(personas)
    response = post(client, personas.coordinator, case, "arrange_meeting", body(personas, **changes))
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    case.refresh_from_db()
    assert case.status == Case.Status.CONSENT_GIVEN


def test_short_notice_with_the_familys_agreement_is_accepted(personas, client):
    case = dr_case(personas)
    response = post(
        client,
        personas.coordinator,
        case,
        "arrange_meeting",
        body(
            personas,
            starts_at=soon(2).isoformat(),
            short_notice_agreed=True,
            short_notice_agreed_by="Sarah Khan, on the phone",
        ),
    )
    assert response.status_code == 200, response.json()


def test_a_mediator_not_independent_is_400(personas, client):
    case = dr_case(personas)
    profile = MediatorProfile.objects.create(user=personas.mediator)
    profile.excluded_authorities.add(personas.authority)
    response = post(client, personas.coordinator, case, "arrange_meeting", body(personas))
    assert response.status_code == 400
    assert "independent" in response.json()["error"]["fields"]["mediator"]


def test_outside_the_30_days_is_refused(personas, client):
    case = mediation_case(personas)  # mediation by 5 November 2026
    response = post(client, personas.coordinator, case, "arrange_meeting", body(personas))
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "30-day limit" in message and "cannot be held in time" in message


def test_a_clash_is_409_meeting_clash(personas, client):
    first = dr_case(personas)
    assert post(client, personas.coordinator, first, "arrange_meeting", body(personas)).status_code == 200
    second = dr_case(personas)
    response = post(client, personas.coordinator, second, "arrange_meeting", body(personas))
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "meeting_clash" and "mediator" in error["fields"]


def test_extra_fields_and_unknown_formats_are_refused(personas, client):
    case = dr_case(personas)
    response = post(client, personas.coordinator, case, "arrange_meeting", body(personas, colour="blue"))
    assert response.status_code == 400
    response = post(
        client, personas.coordinator, case, "arrange_meeting", body(personas, format="carrier_pigeon")
    )
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["adviser", "mediator", "la_officer"])
def test_only_arrangers_may_arrange(personas, client, who):
    case = dr_case(personas)
    from sendmediation.cases import services as casework

    casework.assign(
        actor=personas.manager,
        case=case,
        coordinator=None,
        adviser=personas.adviser,
        mediator=personas.mediator,
    )
    response = post(client, getattr(personas, who), case, "arrange_meeting", body(personas))
    assert response.status_code == 403


def test_change_cancel_and_held(personas, client):
    case = dr_case(personas)
    assert post(client, personas.coordinator, case, "arrange_meeting", body(personas)).status_code == 200
    response = post(client, personas.coordinator, case, "change_meeting", {"minutes": 180})
    assert response.status_code == 200, response.json()
    assert response.json()["meetings"][0]["minutes"] == 180
    response = post(
        client,
        personas.coordinator,
        case,
        "record_meeting_held",
        {"la_attended": True, "outcome": "full_agreement"},
    )
    assert response.status_code == 400  # it has not started yet
    Meeting.objects.filter(case=case).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3), ends_at=timezone.now()
    )
    response = post(
        client,
        personas.mediator,
        case,
        "record_meeting_held",
        {"la_attended": True, "la_could_settle": True, "outcome": "full_agreement"},
    )
    # The mediator was put on the case when the meeting was arranged.
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Case.Status.MEETING_HELD
    assert response.json()["meetings"][0]["outcome"] == "full_agreement"


def test_cancel_returns_the_case(personas, client):
    case = dr_case(personas)
    assert post(client, personas.coordinator, case, "arrange_meeting", body(personas)).status_code == 200
    assert post(client, personas.coordinator, case, "cancel_meeting", {}).status_code == 400
    response = post(client, personas.coordinator, case, "cancel_meeting", {"reason": "The school is closed"})
    assert response.status_code == 200
    assert response.json()["status"] == Case.Status.CONSENT_GIVEN
    assert response.json()["meetings"][0]["status"] == "cancelled"


def test_the_schema_names_the_vocabularies(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "MeetingFormat" in schemas and "MeetingOutcome" in schemas
