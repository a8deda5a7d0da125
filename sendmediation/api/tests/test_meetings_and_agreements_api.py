"""A first day with the meetings and agreements endpoints, sending what a newcomer would get wrong.

Bad input is a 400 naming the field, a wrong status or a clash a 409; never a 500 or a 422, and
nothing changes in the database when a request is refused.
"""

from __future__ import annotations

import base64
import datetime
from typing import Any

import pytest
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.accounts.tokens import create_api_token
from sendmediation.agreements import services as agreements
from sendmediation.agreements.models import Agreement, Signature, SignatureRequest
from sendmediation.agreements.tests.helpers import held_case
from sendmediation.cases.models import Case, CaseEvent
from sendmediation.common.tests.files import pdf_saying
from sendmediation.meetings.models import Meeting, Room, Venue
from sendmediation.meetings.tests.conftest import dr_case, soon
from sendmediation.testing.personas import make_staff

pytestmark = pytest.mark.django_db

LINK = "https://meet.example/first-day"
PDF = base64.b64encode(pdf_saying(b"a signed page")).decode()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def bearer(user: User) -> dict[str, str]:
    _, token = create_api_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, user: User, case: Case, action: str, body: Any):
    return client.post(
        f"/api/v1/cases/{case.reference}/actions/{action}",
        body,
        content_type="application/json",
        **bearer(user),
    )


def snapshot(case: Case) -> tuple[Any, ...]:
    """What a refused request must leave as it was."""
    case.refresh_from_db()
    return (
        case.status,
        case.mediator_id,
        CaseEvent.objects.filter(case=case).count(),
        list(Meeting.objects.filter(case=case).order_by("id").values_list("status", "starts_at", "minutes")),
        list(Agreement.objects.filter(case=case).values_list("status", "version")),
        SignatureRequest.objects.filter(agreement__case=case).count(),
        Signature.objects.filter(request__agreement__case=case).count(),
    )


def refused(client, user: User, case: Case, action: str, body: Any, *, status: int, code: str, field: str):
    before = snapshot(case)
    response = post(client, user, case, action, body)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code, error
    if field:
        assert field in error["fields"], error
    assert snapshot(case) == before
    return error


@pytest.fixture
def venues(db) -> dict[str, Any]:
    near = Venue.objects.create(name="Near Hall", address="1 Broadway\nLondon", postcode="SW1H 0ET")
    other = Venue.objects.create(name="Other House", address="2 Praed Street\nLondon", postcode="W2 1NY")
    closed = Venue.objects.create(
        name="Closed Rooms", address="3 Whitehall", postcode="SW1A 1AA", open_for_bookings=False
    )
    return {
        "near": near,
        "other": other,
        "closed": closed,
        "garden": Room.objects.create(venue=near, name="Garden Room"),
        "elsewhere": Room.objects.create(venue=other, name="Back Room"),
    }


def arrangement(personas, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "starts_at": soon(14).isoformat(),
        "minutes": 120,
        "format": "online",
        "online_link": LINK,
        "mediator": personas.mediator.username,
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not ...}


# --- arranging a meeting -------------------------------------------------------------------------

ARRANGE_BAD = [
    ("past", {"starts_at": "2020-01-13T10:00:00+00:00"}, "invalid_change", "starts_at"),
    ("no-offset", {"starts_at": soon(14).replace(tzinfo=None).isoformat()}, "invalid_input", "starts_at"),
    ("not-a-time", {"starts_at": "next Tuesday"}, "invalid_input", "starts_at"),
    ("missing-start", {"starts_at": ...}, "invalid_input", "starts_at"),
    ("missing-mediator", {"mediator": ...}, "invalid_input", "mediator"),
    ("missing-format", {"format": ...}, "invalid_input", "format"),
    ("too-short", {"minutes": 10}, "invalid_input", "minutes"),
    ("minutes-as-words", {"minutes": "two hours"}, "invalid_input", "minutes"),
    ("wrong-format", {"format": "video"}, "invalid_input", "format"),
    ("format-case", {"format": "Online"}, "invalid_input", "format"),
    ("in-person-no-venue", {"format": "in_person", "online_link": ""}, "invalid_change", "venue"),
    ("online-no-link", {"online_link": ""}, "invalid_change", "online_link"),
    ("online-http-link", {"online_link": "http://meet.example/abc"}, "invalid_change", "online_link"),
    ("online-script-link", {"online_link": "javascript:alert(1)"}, "invalid_change", "online_link"),
    ("online-link-too-long", {"online_link": "https://" + "a" * 600}, "invalid_input", "online_link"),
    ("unknown-mediator", {"mediator": "nobody-here"}, "invalid_change", "mediator"),
    ("coordinator-as-mediator", {"mediator": "@coordinator"}, "invalid_change", "mediator"),
    ("unknown-venue", {"format": "in_person", "venue": 999_999}, "invalid_change", "venue"),
    ("venue-as-name", {"format": "in_person", "venue": "Near Hall"}, "invalid_input", "venue"),
    ("closed-venue", {"format": "in_person", "venue": "@closed"}, "invalid_change", "venue"),
    ("unknown-room", {"format": "in_person", "venue": "@near", "room": 999_999}, "invalid_change", "room"),
    (
        "room-elsewhere",
        {"format": "in_person", "venue": "@near", "room": "@elsewhere"},
        "invalid_change",
        "room",
    ),
    ("short-notice", {"starts_at": soon(2).isoformat()}, "invalid_change", "starts_at"),
    (
        "short-notice-agreed-by-nobody",
        {"starts_at": soon(2).isoformat(), "short_notice_agreed": True},
        "invalid_change",
        "short_notice_agreed_by",
    ),
    ("short-notice-as-text", {"short_notice_agreed": "maybe"}, "invalid_input", "short_notice_agreed"),
    ("supporters-without-consent", {"supporters": ["Ann", "Bob"]}, "invalid_change", "supporters"),
    ("supporters-not-names", {"supporters": [1, 2]}, "invalid_input", "supporters.0"),
    ("supporters-as-text", {"supporters": "Ann"}, "invalid_input", "supporters"),
    ("unknown-field", {"colour": "blue"}, "invalid_input", "colour"),
    ("far-future", {"starts_at": "9999-12-31T23:00:00+00:00"}, "invalid_change", "starts_at"),
    ("next-century", {"starts_at": "2199-03-02T10:00:00+00:00"}, "invalid_change", "starts_at"),
]


def _resolve(personas, venues, changes: dict[str, Any]) -> dict[str, Any]:
    resolved = {}
    for key, value in changes.items():
        if value == "@coordinator":
            value = personas.coordinator.username
        elif isinstance(value, str) and value.startswith("@"):
            value = venues[value[1:]].pk
        resolved[key] = value
    return resolved


@pytest.mark.parametrize(
    ("changes", "code", "field"), [c[1:] for c in ARRANGE_BAD], ids=[c[0] for c in ARRANGE_BAD]
)
def test_arranging_with_bad_input_is_refused_naming_the_field(personas, client, venues, changes, code, field):
    case = dr_case(personas)
    body = arrangement(personas, **_resolve(personas, venues, changes))
    refused(client, personas.coordinator, case, "arrange_meeting", body, status=400, code=code, field=field)


@pytest.mark.parametrize("body", [[], "a meeting", None], ids=["list", "text", "null"])
def test_a_body_that_is_not_an_object_is_400(personas, client, body):
    case = dr_case(personas)
    before = snapshot(case)
    response = post(client, personas.coordinator, case, "arrange_meeting", body)
    assert response.status_code == 400, response.content
    assert snapshot(case) == before


def test_a_body_that_is_not_json_is_400(personas, client):
    case = dr_case(personas)
    response = client.post(
        f"/api/v1/cases/{case.reference}/actions/arrange_meeting",
        "starts_at=tomorrow",
        content_type="application/json",
        **bearer(personas.coordinator),
    )
    assert response.status_code == 400, response.content


def test_arranging_twice_is_409(personas, client):
    case = dr_case(personas)
    assert (
        post(client, personas.coordinator, case, "arrange_meeting", arrangement(personas)).status_code == 200
    )
    refused(
        client,
        personas.coordinator,
        case,
        "arrange_meeting",
        arrangement(personas, starts_at=soon(21).isoformat()),
        status=409,
        code="transition_not_allowed",
        field="",
    )


def test_arranging_outside_the_authoritys_cases_is_404(personas, client):
    case = dr_case(personas)
    stranger = make_staff("other-la", User.Role.LA_OFFICER, _another_authority())
    refused(
        client,
        stranger,
        case,
        "arrange_meeting",
        arrangement(personas),
        status=404,
        code="not_found",
        field="",
    )


def _another_authority():
    from sendmediation.localities.models import LocalAuthority

    return LocalAuthority.objects.exclude(pk__isnull=True).order_by(
        "-pk"
    ).first() or LocalAuthority.objects.create(code="E09000001", name="City of London")


# --- changing, cancelling and recording the meeting ----------------------------------------------


@pytest.fixture
def arranged(personas, client) -> Case:
    case = dr_case(personas)
    response = post(client, personas.coordinator, case, "arrange_meeting", arrangement(personas))
    assert response.status_code == 200, response.content
    return case


CHANGE_BAD = [
    ("null-start", {"starts_at": None}, "invalid_input", "starts_at"),
    ("empty-mediator", {"mediator": ""}, "invalid_change", "mediator"),
    ("null-mediator", {"mediator": None}, "invalid_input", "mediator"),
    ("null-minutes", {"minutes": None}, "invalid_input", "minutes"),
    ("null-format", {"format": None}, "invalid_input", "format"),
    ("past", {"starts_at": "2020-01-13T10:00:00+00:00"}, "invalid_change", "starts_at"),
    ("in-person-no-venue", {"format": "in_person"}, "invalid_change", "venue"),
    ("http-link", {"online_link": "http://meet.example/abc"}, "invalid_change", "online_link"),
    ("empty-link", {"online_link": ""}, "invalid_change", "online_link"),
    ("wrong-format", {"format": "carrier_pigeon"}, "invalid_input", "format"),
    ("unknown-mediator", {"mediator": "nobody-here"}, "invalid_change", "mediator"),
    ("unknown-venue", {"format": "in_person", "venue": 999_999}, "invalid_change", "venue"),
    ("short-notice", {"starts_at": soon(2).isoformat()}, "invalid_change", "starts_at"),
    ("unknown-field", {"where": "the moon"}, "invalid_input", "where"),
]


@pytest.mark.parametrize(
    ("changes", "code", "field"), [c[1:] for c in CHANGE_BAD], ids=[c[0] for c in CHANGE_BAD]
)
def test_changing_with_bad_input_is_refused_naming_the_field(
    personas, client, arranged, changes, code, field
):
    refused(
        client, personas.coordinator, arranged, "change_meeting", changes, status=400, code=code, field=field
    )


def test_changing_or_cancelling_without_a_meeting_is_409(personas, client):
    case = dr_case(personas)
    for action, body in (("change_meeting", {"minutes": 90}), ("cancel_meeting", {"reason": "Ill"})):
        refused(
            client,
            personas.coordinator,
            case,
            action,
            body,
            status=409,
            code="transition_not_allowed",
            field="",
        )


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({}, "invalid_input", "reason"),
        ({"reason": ""}, "invalid_input", "reason"),
        ({"reason": "   "}, "invalid_change", "reason"),
        ({"reason": 42}, "invalid_input", "reason"),
    ],
    ids=["missing", "empty", "blank", "number"],
)
def test_cancelling_needs_a_reason(personas, client, arranged, body, code, field):
    refused(
        client, personas.coordinator, arranged, "cancel_meeting", body, status=400, code=code, field=field
    )


def _started(case: Case) -> None:
    Meeting.objects.filter(case=case).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )


HELD_BAD = [
    ("wrong-outcome", {"la_attended": False, "outcome": "agreed"}, "invalid_input", "outcome"),
    ("missing-outcome", {"la_attended": False}, "invalid_input", "outcome"),
    ("missing-attended", {"outcome": "no_agreement"}, "invalid_input", "la_attended"),
    ("settle-unknown", {"la_attended": True, "outcome": "no_agreement"}, "invalid_change", "la_could_settle"),
    (
        "no-minutes",
        {"la_attended": False, "outcome": "no_agreement", "minutes_taken": 0},
        "invalid_input",
        "minutes_taken",
    ),
    (
        "minutes-text",
        {"la_attended": False, "outcome": "no_agreement", "minutes_taken": "long"},
        "invalid_input",
        "minutes_taken",
    ),
]


@pytest.mark.parametrize(("body", "code", "field"), [c[1:] for c in HELD_BAD], ids=[c[0] for c in HELD_BAD])
def test_recording_the_meeting_with_bad_input_is_refused(personas, client, arranged, body, code, field):
    _started(arranged)
    refused(
        client,
        personas.coordinator,
        arranged,
        "record_meeting_held",
        body,
        status=400,
        code=code,
        field=field,
    )


def test_recording_a_meeting_before_it_starts_is_409(personas, client, arranged):
    error = refused(
        client,
        personas.coordinator,
        arranged,
        "record_meeting_held",
        {"la_attended": False, "outcome": "no_agreement"},
        status=409,
        code="conflict",
        field="",
    )
    assert "record it after it has started" in error["message"]


def test_recording_a_meeting_twice_is_409(personas, client, arranged):
    _started(arranged)
    body = {"la_attended": True, "la_could_settle": True, "outcome": "full_agreement"}
    assert post(client, personas.coordinator, arranged, "record_meeting_held", body).status_code == 200
    refused(
        client,
        personas.coordinator,
        arranged,
        "record_meeting_held",
        body,
        status=409,
        code="transition_not_allowed",
        field="",
    )


# --- reading the case back -----------------------------------------------------------------------


def test_the_case_shows_its_meeting_and_keeps_the_link_from_those_not_invited(personas, client, arranged):
    def read(user: User) -> dict[str, Any]:
        response = client.get(f"/api/v1/cases/{arranged.reference}", **bearer(user))
        assert response.status_code == 200, response.content
        return response.json()

    [meeting] = read(personas.coordinator)["meetings"]
    assert meeting["format"] == "online" and meeting["online_link"] == LINK
    assert meeting["mediator"] == personas.mediator.username and meeting["status"] == "confirmed"
    assert read(personas.mediator)["meetings"][0]["online_link"] == LINK
    assert read(personas.la_officer)["meetings"][0]["online_link"] == LINK  # invited as the representative
    for who in (
        make_staff("colleague", User.Role.LA_OFFICER, personas.authority),
        make_staff("another-mediator", User.Role.MEDIATOR),
        personas.adviser,
    ):
        answer = read(who) if _visible(client, who, arranged) else None
        if answer is not None:
            assert answer["meetings"][0]["online_link"] is None
            assert LINK not in str(answer)


def _visible(client, user: User, case: Case) -> bool:
    return client.get(f"/api/v1/cases/{case.reference}", **bearer(user)).status_code == 200


# --- the agreement -------------------------------------------------------------------------------

ITEM = {"what": "Carry out an EHC needs assessment", "who": "The local authority", "by": "2027-01-29"}

AGREEMENT_BAD = [
    ("missing-items", {}, "invalid_input", "items"),
    ("no-items", {"items": []}, "invalid_input", "items"),
    ("items-as-text", {"items": "assess"}, "invalid_input", "items"),
    ("empty-item", {"items": [{}]}, "invalid_input", "items.0.what"),
    ("empty-what", {"items": [{**ITEM, "what": ""}]}, "invalid_input", "items.0.what"),
    ("blank-what", {"items": [{**ITEM, "what": "   "}]}, "invalid_change", "items.0.what"),
    ("blank-who", {"items": [ITEM, {**ITEM, "who": "  "}]}, "invalid_change", "items.1.who"),
    ("who-too-long", {"items": [{**ITEM, "who": "x" * 201}]}, "invalid_input", "items.0.who"),
    ("impossible-date", {"items": [{**ITEM, "by": "2027-02-30"}]}, "invalid_input", "items.0.by"),
    ("date-as-words", {"items": [{**ITEM, "by": "next month"}]}, "invalid_input", "items.0.by"),
    ("item-unknown-field", {"items": [{**ITEM, "when": "soon"}]}, "invalid_input", "items.0.when"),
    ("too-many", {"items": [ITEM] * 101}, "invalid_input", "items"),
    ("wrong-duty", {"items": [ITEM], "duties": ["pay_compensation"]}, "invalid_input", "duties.0"),
    ("duties-as-text", {"items": [ITEM], "duties": "agreement_as_order"}, "invalid_input", "duties"),
    ("order-without-kind", {"items": [ITEM], "duties": ["agreement_as_order"]}, "invalid_change", "order"),
    (
        "wrong-order",
        {"items": [ITEM], "duties": ["agreement_as_order"], "order": "apologise"},
        "invalid_input",
        "order",
    ),
    (
        "agreed-wrong-duty",
        {"items": [ITEM], "agreed": {"pay_compensation": {"date": "2027-02-01", "note": "Email"}}},
        "invalid_input",
        "agreed.pay_compensation",
    ),
    (
        "agreed-not-chosen",
        {
            "items": [ITEM],
            "duties": ["agreement_non_appealable"],
            "agreed": {"agreement_as_order": {"date": "2027-02-01", "note": "Email of 2 Dec"}},
        },
        "invalid_change",
        "agreed",
    ),
    (
        "agreed-without-note",
        {
            "items": [ITEM],
            "duties": ["agreement_non_appealable"],
            "agreed": {"agreement_non_appealable": {"date": "2027-02-01", "note": ""}},
        },
        "invalid_input",
        "agreed.agreement_non_appealable.note",
    ),
    (
        "agreed-blank-note",
        {
            "items": [ITEM],
            "duties": ["agreement_non_appealable"],
            "agreed": {"agreement_non_appealable": {"date": "2027-02-01", "note": "  "}},
        },
        "invalid_change",
        "agreed.agreement_non_appealable.note",
    ),
    ("unknown-field", {"items": [ITEM], "signed": True}, "invalid_input", "signed"),
]


@pytest.mark.parametrize(
    ("body", "code", "field"), [c[1:] for c in AGREEMENT_BAD], ids=[c[0] for c in AGREEMENT_BAD]
)
def test_writing_the_agreement_with_bad_input_is_refused_naming_the_field(
    personas, client, body, code, field
):
    case = held_case(personas)
    refused(client, personas.mediator, case, "record_agreement", body, status=400, code=code, field=field)


def test_an_item_due_before_the_meeting_was_held_is_refused(personas, client):
    case = held_case(personas)
    body = {"items": [{**ITEM, "by": "2001-01-01"}]}
    refused(
        client,
        personas.mediator,
        case,
        "record_agreement",
        body,
        status=400,
        code="invalid_change",
        field="items.0.by",
    )


def test_sending_without_an_agreement_is_409(personas, client):
    case = held_case(personas)
    refused(
        client,
        personas.mediator,
        case,
        "send_for_signature",
        {},
        status=409,
        code="transition_not_allowed",
        field="",
    )


def test_sending_with_a_body_is_400(personas, client):
    case = held_case(personas)
    assert post(client, personas.mediator, case, "record_agreement", {"items": [ITEM]}).status_code == 200
    refused(
        client,
        personas.mediator,
        case,
        "send_for_signature",
        {"to": "everyone"},
        status=400,
        code="invalid_input",
        field="to",
    )


@pytest.fixture
def sent(personas, client) -> Case:
    case = held_case(personas)
    assert post(client, personas.mediator, case, "record_agreement", {"items": [ITEM]}).status_code == 200
    response = post(client, personas.mediator, case, "send_for_signature", {})
    assert response.status_code == 200, response.content
    return case


def test_sending_twice_is_409(personas, client, sent):
    refused(
        client,
        personas.mediator,
        sent,
        "send_for_signature",
        {},
        status=409,
        code="transition_not_allowed",
        field="",
    )


def _waiting(case: Case) -> list[SignatureRequest]:
    agreement = agreements.agreement_for(case)
    assert agreement is not None
    return list(agreement.current_requests().order_by("id"))


def _wet(who: int, **changes: Any) -> dict[str, Any]:
    values = {
        "signatory": who,
        "signed_on": timezone.localdate().isoformat(),
        "scan_base64": PDF,
        "scan_content_type": "application/pdf",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not ...}


def test_a_wet_signature_in_the_future_is_refused(personas, client, sent):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    first = _waiting(sent)[0]
    refused(
        client,
        personas.mediator,
        sent,
        "record_wet_signature",
        _wet(first.pk, signed_on=tomorrow),
        status=400,
        code="invalid_change",
        field="signed_on",
    )


WET_BAD = [
    ("before-sent", {"signed_on": "2020-01-02"}, "invalid_change", "signed_on"),
    ("not-a-date", {"signed_on": "yesterday"}, "invalid_input", "signed_on"),
    ("missing-date", {"signed_on": ...}, "invalid_input", "signed_on"),
    ("not-base64", {"scan_base64": "this is not base64!"}, "invalid_input", "scan_base64"),
    ("empty-scan", {"scan_base64": ""}, "invalid_input", "scan_base64"),
    ("scan-as-text", {"scan_content_type": "text/plain"}, "invalid_change", "scan_content_type"),
    ("missing-type", {"scan_content_type": ...}, "invalid_input", "scan_content_type"),
    ("signatory-as-text", {"signatory": "the parent"}, "invalid_input", "signatory"),
    ("unknown-field", {"witness": "Ann"}, "invalid_input", "witness"),
]


@pytest.mark.parametrize(("changes", "code", "field"), [c[1:] for c in WET_BAD], ids=[c[0] for c in WET_BAD])
def test_a_wet_signature_with_bad_input_is_refused(personas, client, sent, changes, code, field):
    first = _waiting(sent)[0]
    refused(
        client,
        personas.mediator,
        sent,
        "record_wet_signature",
        _wet(first.pk, **changes),
        status=400,
        code=code,
        field=field,
    )


def test_a_wet_signature_for_nobody_on_the_agreement_is_400(personas, client, sent):
    refused(
        client,
        personas.mediator,
        sent,
        "record_wet_signature",
        _wet(999_999),
        status=400,
        code="invalid_change",
        field="signatory",
    )


def test_a_wet_signature_for_someone_who_signed_is_409(personas, client, sent):
    first = _waiting(sent)[0]
    assert post(client, personas.mediator, sent, "record_wet_signature", _wet(first.pk)).status_code == 200
    error = refused(
        client,
        personas.mediator,
        sent,
        "record_wet_signature",
        _wet(first.pk),
        status=409,
        code="transition_not_allowed",
        field="",
    )
    assert "already signed" in error["message"]


def test_a_wet_signature_before_sending_is_409(personas, client):
    case = held_case(personas)
    assert post(client, personas.mediator, case, "record_agreement", {"items": [ITEM]}).status_code == 200
    refused(
        client,
        personas.mediator,
        case,
        "record_wet_signature",
        _wet(1),
        status=409,
        code="transition_not_allowed",
        field="",
    )


def test_the_case_shows_the_agreement_its_signatures_and_copies(personas, client, sent):
    def read() -> dict[str, Any]:
        return client.get(f"/api/v1/cases/{sent.reference}", **bearer(personas.coordinator)).json()[
            "agreement"
        ]

    agreement = read()
    assert agreement["status"] == "sent_for_signature" and agreement["version"] == 1
    assert len(agreement["sha256"]) == 64 and agreement["signed_sha256"] == ""
    assert [s["signed_at"] for s in agreement["signatures"]] == [None] * len(agreement["signatures"])
    assert agreement["copies"] == []
    for request in _waiting(sent):
        response = post(client, personas.mediator, sent, "record_wet_signature", _wet(request.pk))
        assert response.status_code == 200, response.content
    agreement = read()
    assert agreement["status"] == "signed" and len(agreement["signed_sha256"]) == 64
    assert all(s["signed_at"] for s in agreement["signatures"])
    assert {c["party_id"] for c in agreement["copies"]} == {s["party_id"] for s in agreement["signatures"]}
    # Everybody signed: the agreement can no longer be changed or sent again.
    refused(
        client,
        personas.mediator,
        sent,
        "record_agreement",
        {"items": [ITEM]},
        status=409,
        code="transition_not_allowed",
        field="",
    )
    refused(
        client,
        personas.mediator,
        sent,
        "send_for_signature",
        {},
        status=409,
        code="transition_not_allowed",
        field="",
    )
