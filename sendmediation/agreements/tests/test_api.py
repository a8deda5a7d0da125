from __future__ import annotations

import pytest

from sendmediation.accounts.tokens import create_api_token
from sendmediation.agreements.tests.helpers import held_case

pytestmark = pytest.mark.django_db


def _post(client, user, reference, action, body):
    _, token = create_api_token(user=user)
    return client.post(
        f"/api/v1/cases/{reference}/actions/{action}",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_record_and_send_through_the_api(client, personas):
    case = held_case(personas)
    body = {"items": [{"what": "Assess", "who": "The local authority", "by": "2026-12-18"}]}
    answer = _post(client, personas.mediator, case.reference, "record_agreement", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["agreement"]["status"] == "draft"
    sent = _post(client, personas.mediator, case.reference, "send_for_signature", {})
    assert sent.status_code == 200
    agreement = sent.json()["agreement"]
    assert agreement["status"] == "sent_for_signature" and len(agreement["sha256"]) == 64
    assert len(agreement["signatures"]) == 3
    again = _post(client, personas.mediator, case.reference, "send_for_signature", {})
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "items"),
        ({"items": []}, "items"),
        ({"items": [{"what": "A", "who": "B", "by": "2026-02-30"}]}, "items.0.by"),
        ({"items": [{"what": "A", "who": "B"}], "colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, personas, body, field):
    case = held_case(personas)
    answer = _post(client, personas.mediator, case.reference, "record_agreement", body)
    assert answer.status_code == 400
    assert field in answer.json()["error"]["fields"]


def test_wrong_status_is_a_409(client, personas):
    from sendmediation.cases.models import Case
    from sendmediation.cases.tests.builders import case_in

    case = case_in(personas, Case.Status.TRIAGED)
    answer = _post(
        client,
        personas.coordinator,
        case.reference,
        "record_agreement",
        {"items": [{"what": "A", "who": "B"}]},
    )
    assert answer.status_code == 409
