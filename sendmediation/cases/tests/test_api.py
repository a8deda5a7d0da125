"""The staff API: tokens, reading, listing, opening and acting, with the pages' rules and scope."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from sendmediation.accounts.models import ApiToken
from sendmediation.accounts.tokens import create_api_token, revoke_api_token
from sendmediation.cases import services
from sendmediation.cases.models import AccessLog, Case, CaseEvent
from sendmediation.cases.tests.builders import LETTER_SENT, case_in, open_case

ONE_DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db

Status = Case.Status


def bearer(user) -> dict[str, str]:
    _, token = create_api_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_create_api_token_prints_a_token_that_works_and_only_its_hash_is_kept(personas, client, capsys):
    call_command("create_api_token", personas.coordinator.username)
    token = capsys.readouterr().out.strip()
    assert token.startswith("smk_") and len(token) > 40
    row = ApiToken.objects.get()
    assert token not in (row.token_hash, row.prefix) and row.user == personas.coordinator
    response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_no_token_a_wrong_token_or_a_revoked_one_is_401(personas, client):
    assert client.get("/api/v1/cases").status_code == 401
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer smk_nonsense").status_code == 401
    row, token = create_api_token(user=personas.manager)
    revoke_api_token(token=row)
    response = client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_session_is_not_enough(personas, client):
    client.force_login(personas.manager)
    assert client.get("/api/v1/cases").status_code == 401


def test_open_then_read_a_case(personas, client):
    body = {
        "local_authority": personas.authority.code,
        "kind": "mediation",
        "child_first_name": "Amir",
        "child_last_name": "Khan",
        "decisions": ["refused_assessment"],
        "decision_letter_sent": LETTER_SENT.isoformat(),
        "family": {"role": "parent", "name": "Sarah Khan", "email": "sarah.khan@example.org"},
    }
    response = client.post(
        "/api/v1/cases", body, content_type="application/json", **bearer(personas.coordinator)
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "received"
    assert created["parties"][0]["name"] == "Sarah Khan"
    rules = {row["rule"]: row["due"] for row in created["deadlines"]}
    assert rules == {"contact_adviser_by": "2026-12-01", "appeal_by": "2026-12-01"}
    assert created["allowed_actions"][0] == "triage"

    read = client.get(f"/api/v1/cases/{created['reference']}", **bearer(personas.manager))
    assert read.status_code == 200
    assert read.json()["reference"] == created["reference"]
    assert AccessLog.objects.filter(user=personas.manager, what="api_read").count() == 1
    # The authority's officer does not see a case its authority takes no part in yet (docs/access.md).
    hidden = client.get(f"/api/v1/cases/{created['reference']}", **bearer(personas.la_officer))
    assert hidden.status_code == 404
    assert not AccessLog.objects.filter(user=personas.la_officer).exists()


def test_bad_input_is_a_400_naming_the_field(personas, client):
    response = client.post(
        "/api/v1/cases", {"kind": "nonsense"}, content_type="application/json", **bearer(personas.coordinator)
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    # Named as the client sent them, not after the view's argument ("data.kind").
    assert {"kind", "local_authority"} <= set(fields)
    assert not any(name.startswith("data.") for name in fields)


def test_actions_go_through_the_same_rules(personas, client):
    case = case_in(personas, Status.RECEIVED)
    url = f"/api/v1/cases/{case.reference}/actions"
    coordinator = bearer(personas.coordinator)

    wrong = client.post(
        f"{url}/issue_certificate", {}, content_type="application/json", **bearer(personas.manager)
    )
    assert wrong.status_code == 409
    assert wrong.json()["error"] == {
        "code": "transition_not_allowed",
        "message": "Cannot issue a certificate: the case is 'received'",
        "fields": {},
    }
    # The authority's officer may not triage, on a case they see. (They do not see this one at
    # all: its authority takes no part in it yet, docs/access.md.)
    told = case_in(personas, Status.LA_NOTIFIED, child_first_name="Cai")
    assert (
        client.post(
            f"{url}/triage", {}, content_type="application/json", **bearer(personas.la_officer)
        ).status_code
        == 404
    )
    forbidden = client.post(
        f"/api/v1/cases/{told.reference}/actions/triage",
        {},
        content_type="application/json",
        **bearer(personas.la_officer),
    )
    assert forbidden.status_code == 403
    hidden = client.post(
        f"{url}/triage", {}, content_type="application/json", **bearer(personas.other_la_officer)
    )
    assert hidden.status_code == 404

    assert client.post(f"{url}/triage", {}, content_type="application/json", **coordinator).status_code == 200
    booked = client.post(
        f"{url}/book_advice",
        {"adviser": personas.adviser.username, "booked_for": (timezone.now() + ONE_DAY).isoformat()},
        content_type="application/json",
        **coordinator,
    )
    assert booked.status_code == 200, booked.content
    assert booked.json()["adviser"] == personas.adviser.username
    advised = client.post(
        f"{url}/record_advice_outcome",
        {"outcome": "declines_mediation", "held_at": "2026-11-30T11:00:00+00:00"},
        content_type="application/json",
        **bearer(personas.adviser),
    )
    assert advised.status_code == 200
    due = {row["rule"]: row["due"] for row in advised.json()["deadlines"]}
    assert due["certificate_after_advice"] == "2026-12-03"  # three working days after Monday 30 November
    kinds = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))
    assert kinds == ["opened", "triaged", "advice_booked", "advice_given"]


def test_an_invalid_change_is_a_400_naming_the_field(personas, client):
    case = case_in(personas, Status.ADVICE_GIVEN, decision_letter_sent=None)
    response = client.post(
        f"/api/v1/cases/{case.reference}/actions/issue_certificate",
        {"kind": "after_advice"},
        content_type="application/json",
        **bearer(personas.adviser),
    )
    assert response.status_code == 400
    assert "decision_letter_sent" in response.json()["error"]["fields"]


def test_a_time_without_its_offset_is_refused_not_guessed(personas, client):
    case = case_in(personas, Status.TRIAGED)
    url = f"/api/v1/cases/{case.reference}/actions"
    naive = (timezone.now() + ONE_DAY).replace(tzinfo=None).isoformat()
    booked = client.post(
        f"{url}/book_advice",
        {"adviser": personas.adviser.username, "booked_for": naive},
        content_type="application/json",
        **bearer(personas.coordinator),
    )
    assert booked.status_code == 400, booked.content
    assert booked.json()["error"]["fields"] == {"booked_for": "Input should have timezone info"}
    advised = client.post(
        f"{url}/record_advice_outcome",
        {"outcome": "declines_mediation", "held_at": "2026-11-20T11:00:00"},
        content_type="application/json",
        **bearer(personas.coordinator),
    )
    assert advised.status_code == 400, advised.content
    assert "held_at" in advised.json()["error"]["fields"]
    case.refresh_from_db()
    assert case.status == Status.TRIAGED
    assert not case.advice_calls.exists()


def test_the_api_list_takes_the_pages_filters_and_finds_the_same_cases(personas, client):
    """Open cases, time since received and every deadline filter: the same vocabularies as the
    case list page, answered by the same query, so the two doors list the same cases."""
    from django.test import Client
    from django.urls import reverse

    today = timezone.localdate()
    for name, days in {"Ann": 0, "Bob": 13, "Cat": 14, "Gus": 84}.items():
        case = open_case(personas, child_first_name=name)
        Case.objects.filter(pk=case.pk).update(received_on=today - datetime.timedelta(days=days))
    withdrawn = case_in(personas, Case.Status.WITHDRAWN, child_first_name="Ida")
    Case.objects.filter(pk=withdrawn.pk).update(received_on=today - datetime.timedelta(days=20))
    page = Client()
    page.force_login(personas.coordinator)
    token = bearer(personas.coordinator)

    def both(page_query: dict[str, str], api_query: str) -> tuple[list[str], list[str]]:
        listed = page.get(reverse("cases:case_list"), page_query).context["page"].object_list
        answer = client.get(f"/api/v1/cases?page_size=100&{api_query}", **token)
        assert answer.status_code == 200, answer.json()
        return (
            sorted(case.child_first_name for case in listed),
            sorted(row["child_first_name"] for row in answer.json()["results"]),
        )

    assert both({"age": "2_to_6_weeks"}, "age=2_to_6_weeks") == (["Cat", "Ida"], ["Cat", "Ida"])
    assert both({"status": "open", "age": "2_to_6_weeks"}, "open=true&age=2_to_6_weeks") == (["Cat"], ["Cat"])
    assert both({"status": "open"}, "open=true") == (["Ann", "Bob", "Cat", "Gus"],) * 2
    for deadline in ("overdue", "today", "week", "next"):
        on_page, by_api = both({"deadline": deadline}, f"deadline={deadline}")
        assert on_page == by_api, deadline
    wrong = client.get("/api/v1/cases?age=forever", **token)
    assert wrong.status_code == 400 and "age" in str(wrong.json())
    both_ways = client.get("/api/v1/cases?open=true&status=received", **token)
    assert both_ways.status_code == 400
    assert both_ways.json()["error"]["fields"] == {"open": "Choose a status or open cases, not both"}


def test_the_list_takes_the_same_number_of_queries_for_a_short_or_a_long_page(personas, client):
    """Each row's fields come in the page's one query: none is read again for each row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(6):
        open_case(personas, child_first_name=f"Child{number}")
    counts = {}
    for size in (1, 6):
        client.get(f"/api/v1/cases?page_size={size}", **bearer(personas.manager))  # the token, once
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(f"/api/v1/cases?page_size={size}", **bearer(personas.manager)).json()
        assert len(answer["results"]) == size
        assert {row["kind"] for row in answer["results"]} == {"mediation"}
        assert all(row["received_on"] and row["local_authority"]["code"] for row in answer["results"])
        counts[size] = len(captured)
    assert counts[1] == counts[6]


def test_the_list_is_scoped_filtered_and_paged(personas, client):
    for name in ("Amir", "Bella", "Cai"):
        open_case(personas, child_first_name=name)
    kent = open_case(personas, child_first_name="Dev", local_authority=personas.other_authority)
    services.assign(
        actor=personas.coordinator, case=kent, coordinator=None, adviser=personas.adviser, mediator=None
    )

    everything = client.get("/api/v1/cases?page_size=2", **bearer(personas.manager)).json()
    assert (everything["count"], len(everything["results"])) == (4, 2)
    assert client.get("/api/v1/cases?page=2&page_size=2", **bearer(personas.manager)).json()["results"]
    assert client.get("/api/v1/cases?page=9", **bearer(personas.manager)).json()["results"] == []
    # A page far past any list is refused, not stored in the access log beyond what its column holds.
    assert client.get("/api/v1/cases?page=1000000", **bearer(personas.manager)).json()["results"] == []
    too_far = client.get("/api/v1/cases?page=217333585304", **bearer(personas.manager))
    assert too_far.status_code == 400 and "page" in too_far.json()["error"]["fields"]
    # None of them has reached the authority yet (docs/access.md).
    assert client.get("/api/v1/cases", **bearer(personas.la_officer)).json()["count"] == 0
    assert [
        row["child_first_name"]
        for row in client.get("/api/v1/cases", **bearer(personas.adviser)).json()["results"]
    ] == ["Dev"]
    found = client.get("/api/v1/cases?q=bel", **bearer(personas.manager)).json()
    assert [row["child_first_name"] for row in found["results"]] == ["Bella"]
    by_authority = client.get(
        f"/api/v1/cases?authority={personas.other_authority.code}", **bearer(personas.manager)
    )
    assert by_authority.json()["count"] == 1


def test_the_cases_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/cases/{reference}/actions/issue_certificate" in paths
    assert "post" in paths["/api/v1/cases"] and "get" in paths["/api/v1/cases"]


def test_a_field_the_request_does_not_have_and_a_wrong_assignee_are_refused_in_plain_words(personas, client):
    case = case_in(personas, Status.ADVICE_GIVEN)
    headers = bearer(personas.adviser)
    dated = client.post(
        f"/api/v1/cases/{case.reference}/actions/issue_certificate",
        {"kind": "after_advice", "issued_on": "2027-03-01"},
        content_type="application/json",
        **headers,
    )
    assert dated.status_code == 400
    assert dated.json()["error"]["fields"] == {"issued_on": "Leave this out: this request has no such field"}
    assert not case.certificates.exists()
    listed = client.get("/api/v1/cases?assignee=abc", **headers)
    assert listed.status_code == 400
    assert listed.json()["error"]["fields"] == {
        "assignee": "Use me, none, no_coordinator or the id of a member of staff"
    }
