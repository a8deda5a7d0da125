"""Correction and erasure on request, and the legal hold: through the case's front doors, with reasons."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from sendmediation.accounts.tokens import create_api_token
from sendmediation.cases import services
from sendmediation.cases.errors import ActionNotPermitted, InvalidChange, MustKeep, TransitionNotAllowed
from sendmediation.cases.models import Case, CaseEvent, SearchWord
from sendmediation.cases.tests.builders import case_in

pytestmark = pytest.mark.django_db


def _page(user, case, action, data):
    client = Client()
    client.force_login(user)
    return client.post(reverse("cases:case_action", args=[case.reference, action]), data)


def _api(user, case, action, body):
    _, token = create_api_token(user=user)
    return Client().post(
        f"/api/v1/cases/{case.reference}/actions/{action}",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


# --- the legal hold --------------------------------------------------------------------------------


def test_a_legal_hold_is_placed_and_lifted_with_reasons_on_the_history(personas):
    case = case_in(personas, "closed")
    response = _page(personas.manager, case, "place_legal_hold", {"reason": "A complaint is open"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.legal_hold
    placed = case.events.get(kind=CaseEvent.Kind.LEGAL_HOLD_PLACED)
    assert (placed.actor, placed.data["reason"]) == (personas.manager, "A complaint is open")
    page = Client()
    page.force_login(personas.manager)
    shown = page.get(reverse("cases:case_detail", args=[case.reference])).content.decode()
    assert "Legal hold" in shown and "Lift the legal hold" in shown and "Place a legal hold" not in shown

    with pytest.raises(InvalidChange, match="already under a legal hold"):
        services.place_legal_hold(actor=personas.manager, case=case, reason="Again")
    services.lift_legal_hold(actor=personas.manager, case=case, reason="The complaint was closed")
    case.refresh_from_db()
    assert not case.legal_hold
    assert case.events.get(kind=CaseEvent.Kind.LEGAL_HOLD_LIFTED).data["reason"] == "The complaint was closed"


@pytest.mark.parametrize("action", ["place_legal_hold", "lift_legal_hold", "correct_details", "erase_case"])
def test_each_needs_a_reason_at_both_doors(personas, action):
    case = case_in(personas, "closed")
    Case.objects.filter(pk=case.pk).update(legal_hold=action == "lift_legal_hold")
    events = case.events.count()
    page = _page(personas.manager, case, action, {"reason": "  "})
    assert page.status_code == 200 and "govuk-error-summary" in page.content.decode()
    api = _api(personas.manager, case, action, {"reason": "  "})
    assert api.status_code == 400
    assert api.json()["error"]["fields"] == {"reason": api.json()["error"]["message"]}
    assert api.json()["error"]["message"].startswith("Enter the reason")
    assert case.events.count() == events


def test_only_a_manager_may_place_a_hold_correct_or_erase(personas):
    case = case_in(personas, "closed")
    for action, call in (
        ("place_legal_hold", lambda who: services.place_legal_hold(actor=who, case=case, reason="Why")),
        ("erase_case", lambda who: services.erase_case_on_request(actor=who, case=case, reason="Why")),
        (
            "correct_details",
            lambda who: services.correct_details_on_request(
                actor=who, case=case, reason="Why", child_first_name="Amira"
            ),
        ),
    ):
        with pytest.raises(ActionNotPermitted):
            call(personas.coordinator)
        assert _page(personas.coordinator, case, action, {"reason": "Why"}).status_code == 403


# --- correction ------------------------------------------------------------------------------------


def test_a_correction_on_request_changes_the_detail_and_records_the_reason_not_the_value(personas):
    case = case_in(personas, "closed")
    response = _page(
        personas.manager,
        case,
        "correct_details",
        {
            "child_first_name": "Amira",
            "child_last_name": "Khan",
            "child_date_of_birth_0": "4",
            "child_date_of_birth_1": "6",
            "child_date_of_birth_2": "2017",
            "postcode": "SW1A 1AA",
            "summary": "",
            "reason": "The parent wrote: the name and date of birth were wrong",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert (case.child_first_name, case.child_date_of_birth) == ("Amira", datetime.date(2017, 6, 4))
    event = case.events.get(kind=CaseEvent.Kind.DETAILS_CORRECTED)
    assert event.data == {
        "fields": ["child_first_name", "child_date_of_birth"],
        "reason": "The parent wrote: the name and date of birth were wrong",
    }
    assert "Amira" not in str(event.data)
    assert SearchWord.objects.filter(case=case, word="amira").exists()


def test_a_correction_through_the_api_keeps_what_it_was_not_sent(personas):
    case = case_in(personas, "certificate_issued")
    response = _api(
        personas.manager, case, "correct_details", {"reason": "Misspelt", "child_last_name": "Kahn"}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["child_first_name"], response.json()["child_last_name"]) == ("Amir", "Kahn")


def test_a_bad_correction_is_refused_the_same_way_at_both_doors_and_changes_nothing(personas):
    """A date of birth in the future, a field the action does not have, and a value of the wrong
    kind: the page and the API refuse, naming the field, and the case stays as it was."""
    case = case_in(personas, "closed")
    before = (case.child_first_name, case.child_date_of_birth, case.events.count())
    future = datetime.date.today() + datetime.timedelta(days=400)
    page = _page(
        personas.manager,
        case,
        "correct_details",
        {
            "child_first_name": case.child_first_name,
            "child_last_name": case.child_last_name,
            "child_date_of_birth_0": str(future.day),
            "child_date_of_birth_1": str(future.month),
            "child_date_of_birth_2": str(future.year),
            "postcode": "",
            "summary": "",
            "reason": "The parent wrote",
        },
    )
    api = _api(
        personas.manager,
        case,
        "correct_details",
        {"reason": "The parent wrote", "child_date_of_birth": future.isoformat()},
    )
    assert page.status_code == 200 and api.status_code == 400
    said = api.json()["error"]["fields"]["child_date_of_birth"]
    assert escape(said) in page.content.decode()
    unknown = _api(personas.manager, case, "correct_details", {"reason": "Wrong", "colour": "red"})
    assert unknown.status_code == 400 and "colour" in unknown.json()["error"]["fields"]
    wrong_kind = _api(personas.manager, case, "place_legal_hold", {"reason": ["not", "words"]})
    assert wrong_kind.status_code == 400 and "reason" in wrong_kind.json()["error"]["fields"]
    case.refresh_from_db()
    assert (case.child_first_name, case.child_date_of_birth, case.events.count()) == before


# --- erasure -------------------------------------------------------------------------------------


def test_erasure_on_request_anonymises_the_case_now_and_records_why(personas):
    case = case_in(personas, "withdrawn")
    response = _api(
        personas.manager, case, "erase_case", {"reason": "The parent asked by email on 1 December"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["child_first_name"], body["child_last_name"], body["postcode"]) == ("", "", "")
    assert body["anonymised_on"] is not None
    assert all(party["name"] == "" and party["email"] == "" for party in body["parties"])
    event = case.events.get(kind=CaseEvent.Kind.ANONYMISED)
    assert event.actor == personas.manager
    assert event.data == {"on_request": True, "reason": "The parent asked by email on 1 December"}
    # Nothing is left to correct or erase.
    with pytest.raises(InvalidChange, match="already been removed"):
        services.erase_case_on_request(actor=personas.manager, case=case, reason="Again")


def test_erasure_of_an_open_case_is_refused_in_plain_words(personas):
    case = case_in(personas, "triaged")
    with pytest.raises(TransitionNotAllowed, match="the case is 'triaged'") as refused:
        services.erase_case_on_request(actor=personas.manager, case=case, reason="Asked")
    response = _page(personas.manager, case, "erase_case", {"reason": "Asked"})
    assert response.status_code == 409
    assert escape(refused.value.message) in response.content.decode()
    api = _api(personas.manager, case, "erase_case", {"reason": "Asked"})
    assert (api.status_code, api.json()["error"]["message"]) == (409, refused.value.message)


def test_erasure_is_refused_with_the_reason_where_a_certificate_was_issued(personas):
    case = case_in(personas, "certificate_issued")
    services.close_case(actor=personas.coordinator, case=case, outcome=Case.Outcome.CERTIFICATE_ISSUED)
    events = case.events.count()
    with pytest.raises(MustKeep) as refused:
        services.erase_case_on_request(actor=personas.manager, case=case, reason="The parent asked")
    assert "A mediation certificate was issued on this case" in refused.value.message
    # The same refusal at both doors, and nothing changes.
    page = _page(personas.manager, case, "erase_case", {"reason": "The parent asked"})
    assert page.status_code == 409
    assert escape(refused.value.message) in page.content.decode()
    api = _api(personas.manager, case, "erase_case", {"reason": "The parent asked"})
    assert api.status_code == 409
    assert (api.json()["error"]["code"], api.json()["error"]["message"]) == (
        "must_keep",
        refused.value.message,
    )
    case.refresh_from_db()
    assert case.child_first_name == "Amir" and case.anonymised_on is None
    assert case.events.count() == events


def test_erasure_is_refused_under_a_legal_hold(personas):
    case = case_in(personas, "closed")
    services.place_legal_hold(actor=personas.manager, case=case, reason="A claim")
    with pytest.raises(MustKeep, match="under a legal hold"):
        services.erase_case_on_request(actor=personas.manager, case=case, reason="The parent asked")


def test_the_timeline_says_what_was_done_and_why(personas):
    from sendmediation.cases.timeline import describe

    case = case_in(personas, "withdrawn")
    services.place_legal_hold(actor=personas.manager, case=case, reason="A complaint is open")
    services.correct_details_on_request(
        actor=personas.manager, case=case, reason="The parent phoned", child_first_name="Amira"
    )
    services.lift_legal_hold(actor=personas.manager, case=case, reason="Answered")
    said = {event.kind: describe(event) for event in case.events.all()}
    assert said[CaseEvent.Kind.LEGAL_HOLD_PLACED] == "Reason: A complaint is open"
    assert said[CaseEvent.Kind.LEGAL_HOLD_LIFTED] == "Reason: Answered"
    assert said[CaseEvent.Kind.DETAILS_CORRECTED] == "Corrected: child first name. Reason: The parent phoned"
    assert said[CaseEvent.Kind.WITHDRAWN].startswith("Reason: The family asked us to stop")

    services.erase_case_on_request(actor=personas.manager, case=case, reason="The parent asked by email")
    said = {event.kind: describe(event) for event in case.events.all()}
    assert said[CaseEvent.Kind.ANONYMISED] == (
        "Erased because it was asked for. Reason: The parent asked by email"
    )
    # The staff's words are gone from the history, with the family's.
    assert said[CaseEvent.Kind.WITHDRAWN] == "The case moved from triaged to withdrawn."
    assert said[CaseEvent.Kind.LEGAL_HOLD_PLACED] == ""
    assert said[CaseEvent.Kind.DETAILS_CORRECTED] == "Corrected: child first name."
