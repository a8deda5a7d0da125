"""The public deadline API: the worked examples, every rule, errors that name the field, the limit."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendmediation.statutory.rules import ORDER_TYPES, RULES, compute
from sendmediation.statutory.services import add_one_off_holiday, current_calendar

pytestmark = pytest.mark.django_db

FAMILY = "/api/v1/deadlines"


def rule_url(code: str) -> str:
    # A "/" in the code would ask for another path (a 404), so codes given here never hold one.
    return f"/api/v1/deadlines/rules/{quote(code, safe='')}"


def family(client, **params):
    return client.get(FAMILY, params)


def assert_bad(response, *fields):
    assert response.status_code == 400, response.content
    body = response.json()["error"]
    assert sorted(body["fields"]) == sorted(fields)
    assert all(body["fields"].values())
    return body


# -- a family's two dates: the worked examples in docs/domain.md §5 ----------------------------


@pytest.mark.parametrize(
    ("sent", "certificate", "contact", "appeal"),
    [
        ("2026-10-01", None, "2026-12-01", "2026-12-01"),
        ("2026-10-01", "2026-11-29", "2026-12-01", "2027-01-04"),
        ("2026-06-15", None, "2026-08-15", "2026-09-01"),
        ("2026-12-31", None, "2027-02-28", "2027-03-01"),
    ],
)
def test_the_worked_examples_come_out_exactly(client, sent, certificate, contact, appeal):
    params = {"decision_letter_sent": sent}
    if certificate:
        params["certificate_issued"] = certificate
    response = family(client, **params)

    assert response.status_code == 200
    body = response.json()
    assert body["contact_mediation_adviser_by"] == contact
    assert body["appeal_by"] == appeal
    assert body["decision_letter_sent"] == sent
    assert body["certificate_issued"] == certificate


def test_the_reasons_say_how_each_date_was_worked_out(client):
    body = family(client, decision_letter_sent="2026-10-01", certificate_issued="2026-11-29").json()
    assert body["reasons"] == [
        "Contact a mediation adviser by: 2 months after Thu 1 Oct 2026 is Tue 1 Dec 2026",
        "Appeal by: 2 months after Thu 1 Oct 2026 is Tue 1 Dec 2026",
        "Appeal by: 1 month after Sun 29 Nov 2026 is Tue 29 Dec 2026",
        "Appeal by: The later of the two is Tue 29 Dec 2026",
        "Appeal by: Tue 29 Dec 2026 falls between 25 December and 1 January, so it moves to the "
        "first working day after 1 January",
        "Appeal by: Sat 2 Jan 2027 is a weekend",
        "Appeal by: Sun 3 Jan 2027 is a weekend",
        "Appeal by: The first working day after 1 January 2027 is Mon 4 Jan 2027",
    ]


def test_future_and_long_past_letters_are_answered(client):
    assert family(client, decision_letter_sent="2039-05-01").json()["appeal_by"] == "2039-07-01"
    assert (
        family(client, decision_letter_sent="2000-01-03").json()["contact_mediation_adviser_by"]
        == "2000-03-03"
    )


def test_a_one_off_holiday_moves_the_appeal_date(client, personas, django_capture_on_commit_callbacks):
    personas.manager.is_superuser = True
    personas.manager.save()
    assert family(client, decision_letter_sent="2027-04-07").json()["appeal_by"] == "2027-06-07"
    with django_capture_on_commit_callbacks(execute=True):
        add_one_off_holiday(actor=personas.manager, date=date(2027, 6, 7), name="Proclaimed holiday")

    body = family(client, decision_letter_sent="2027-04-07").json()
    assert body["appeal_by"] == "2027-06-08"
    assert "Appeal by: Proclaimed holiday, Mon 7 Jun 2027, is not a working day" in body["reasons"]


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({}, ["decision_letter_sent"]),
        ({"decision_letter_sent": ""}, ["decision_letter_sent"]),
        ({"decision_letter_sent": "2026-02-30"}, ["decision_letter_sent"]),
        ({"decision_letter_sent": "1 October 2026"}, ["decision_letter_sent"]),
        ({"decision_letter_sent": "20261001"}, ["decision_letter_sent"]),
        ({"decision_letter_sent": "2026-W40-4"}, ["decision_letter_sent"]),
        ({"decision_letter_sent": "1759276800"}, ["decision_letter_sent"]),
        ({"decision_letter_sent": "2026-10-01T00:00:00"}, ["decision_letter_sent"]),
        ({"decision_letter_sent": "1999-12-31"}, ["decision_letter_sent"]),
        ({"decision_letter_sent": "2041-01-01"}, ["decision_letter_sent"]),
        ({"decision_letter_sent": "2026-10-01", "certificate_issued": "soon"}, ["certificate_issued"]),
        ({"decision_letter_sent": "2026-10-01", "certificate_issued": "2026-09-30"}, ["certificate_issued"]),
        (
            {"decision_letter_sent": "nonsense", "certificate_issued": "2026-13-01"},
            ["decision_letter_sent", "certificate_issued"],
        ),
    ],
)
def test_bad_input_is_a_400_naming_each_field(client, params, fields):
    body = assert_bad(family(client, **params), *fields)
    assert body["code"] == "invalid_input"
    assert body["message"] == "Check these fields: " + ", ".join(sorted(fields))


def test_the_messages_say_what_to_do(client):
    fields = family(client, decision_letter_sent="2026-02-30").json()["error"]["fields"]
    assert fields == {"decision_letter_sent": "Enter a real date in the form YYYY-MM-DD"}
    fields = family(client, decision_letter_sent="1999-12-31").json()["error"]["fields"]
    assert fields == {"decision_letter_sent": "Enter a date from 2000-01-01 to 2040-12-31"}


# -- one rule by its code ----------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(code for code, rule in RULES.items() if not rule.needs_order))
def test_every_single_date_rule_answers_as_the_rules_do(client, code):
    response = client.get(rule_url(code), {"from": "2026-12-23"})

    assert response.status_code == 200
    expected = compute(code, date(2026, 12, 23), current_calendar())
    assert response.json() == {
        "rule": code,
        "from": "2026-12-23",
        "due": expected.due.isoformat(),
        "reasons": list(expected.reasons),
    }


@pytest.mark.parametrize("order", sorted(ORDER_TYPES))
def test_an_agreement_as_an_order_gives_every_named_date(client, order):
    response = client.get(rule_url("agreement_as_order"), {"from": "2026-12-23", "order": order})

    assert response.status_code == 200
    body = response.json()
    steps = ORDER_TYPES[order].steps
    assert body["rule"] == "agreement_as_order"
    assert body["from"] == "2026-12-23"
    assert body["order"] == order
    assert list(body["due"]) == [step.slug for step in steps]
    assert body["labels"] == {step.slug: step.label for step in steps}
    assert len(body["reasons"]) == len(steps)


def test_making_a_plan_sets_a_draft_and_a_final_plan(client):
    body = client.get(rule_url("agreement_as_order"), {"from": "2026-12-23", "order": "make_plan"}).json()
    assert body["due"] == {"draft_plan": "2027-01-27", "final_plan": "2027-03-10"}


def test_meeting_notice_counts_back_from_the_meeting(client):
    body = client.get(rule_url("meeting_notice"), {"from": "2027-01-05"}).json()
    # Back over 4 and 1 Jan, 28 and 25 Dec (holidays) and the weekends.
    assert body["due"] == "2026-12-24"
    assert body["from"] == "2027-01-05"


def test_declining_mediation_before_christmas_gives_the_certificate_date_in_the_worked_example(client):
    body = client.get(rule_url("certificate_after_advice"), {"from": "2026-12-23"}).json()
    assert body["due"] == "2026-12-30"


def test_the_appeal_rule_takes_a_certificate_date(client):
    body = client.get(
        rule_url("appeal_by"), {"from": "2026-10-01", "certificate_issued": "2026-11-29"}
    ).json()
    assert body["due"] == "2027-01-04"


@pytest.mark.parametrize(
    ("code", "params", "fields"),
    [
        ("no_such_rule", {"from": "2026-10-01"}, ["code"]),
        ("APPEAL_BY", {"from": "2026-10-01"}, ["code"]),
        ("appeal_by", {}, ["from"]),
        ("appeal_by", {"from": "2026-02-29"}, ["from"]),
        ("appeal_by", {"from": "2026-10-01", "certificate_issued": "2026-09-01"}, ["certificate_issued"]),
        ("mediation_by", {"from": "1850-01-01"}, ["from"]),
        ("mediation_by", {"from": "9999-12-31"}, ["from"]),
        ("mediation_by", {"from": "2026-10-01", "order": "assess"}, ["order"]),
        ("mediation_by", {"from": "2026-10-01", "certificate_issued": "2026-10-02"}, ["certificate_issued"]),
        ("agreement_as_order", {"from": "2026-10-01"}, ["order"]),
        ("agreement_as_order", {"from": "2026-10-01", "order": "tribunal"}, ["order"]),
        ("agreement_as_order", {"from": "2026-10-01", "order": ""}, ["order"]),
        ("no_such_rule", {"from": "yesterday"}, ["code", "from"]),
    ],
)
def test_bad_rule_input_is_a_400_naming_each_field(client, code, params, fields):
    assert_bad(client.get(rule_url(code), params), *fields)


def test_a_due_date_beyond_the_calendar_is_a_400_on_from(client):
    body = assert_bad(client.get(rule_url("certificate_after_advice"), {"from": "2040-12-31"}), "from")
    assert body["code"] == "outside_calendar"
    assert "beyond the end of the working-day calendar" in body["fields"]["from"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"decision_letter_sent": "2040-11-15"}, "decision_letter_sent"),
        ({"decision_letter_sent": "2040-11-15", "certificate_issued": "2040-11-16"}, "decision_letter_sent"),
        ({"decision_letter_sent": "2040-10-01", "certificate_issued": "2040-12-20"}, "certificate_issued"),
    ],
)
def test_an_appeal_date_beyond_the_calendar_names_the_date_it_ran_from(client, params, field):
    body = assert_bad(family(client, **params), field)
    assert body["code"] == "outside_calendar"
    rule_params = {
        "from": params["decision_letter_sent"],
        "certificate_issued": params.get("certificate_issued"),
    }
    body = assert_bad(
        client.get(rule_url("appeal_by"), _params(**rule_params)),
        "from" if field != "certificate_issued" else field,
    )
    assert body["code"] == "outside_calendar"


# -- never a 500 -------------------------------------------------------------------------------

odd_text = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.dates().map(date.isoformat),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
    st.sampled_from(
        [
            "2026-02-29",
            "2040-12-31",
            "0000-01-01",
            "2026-10-01\n",
            " 2026-10-01",
            "\uff12\uff10\uff12\uff16-10-01",
        ]
    ),
)
codes = st.one_of(
    st.sampled_from(sorted(RULES)),
    st.text(
        alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="/"), min_size=1, max_size=30
    ),
)
orders = st.one_of(st.none(), st.sampled_from(sorted(ORDER_TYPES)), st.text(max_size=20))


def _params(**values):
    return {name: value for name, value in values.items() if value is not None}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sent=odd_text, certificate=odd_text)
def test_odd_input_to_the_family_endpoint_is_answered_200_or_400(sent, certificate):
    response = Client().get(FAMILY, _params(decision_letter_sent=sent, certificate_issued=certificate))
    assert response.status_code in (200, 400), response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(code=codes, start=odd_text, order=orders, certificate=odd_text)
def test_odd_input_to_the_rule_endpoint_is_answered_200_or_400(code, start, order, certificate):
    response = Client().get(
        rule_url(code), _params(**{"from": start, "order": order, "certificate_issued": certificate})
    )
    assert response.status_code in (200, 400), response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"


# -- the rate limit ----------------------------------------------------------------------------


@pytest.fixture
def rate_limited(settings):
    cache.clear()
    yield settings
    cache.clear()


@pytest.mark.parametrize(
    ("url", "params"),
    [(FAMILY, {"decision_letter_sent": "2026-10-01"}), (rule_url("mediation_by"), {"from": "2026-10-01"})],
)
def test_too_many_requests_get_a_429_with_retry_after(client, rate_limited, url, params):
    rate_limited.PUBLIC_API_RATE_LIMIT = 2
    assert client.get(url, params).status_code == 200
    assert client.get(url, params).status_code == 200
    response = client.get(url, params)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "rate_limited"
    # Another client has its own allowance.
    assert client.get(url, params, REMOTE_ADDR="192.0.2.44").status_code == 200


def test_a_limit_of_0_turns_the_limit_off(client, rate_limited):
    rate_limited.PUBLIC_API_RATE_LIMIT = 0
    for _ in range(80):
        assert family(client, decision_letter_sent="2026-10-01").status_code == 200


# -- the schema --------------------------------------------------------------------------------


def test_the_openapi_schema_lists_both_paths_with_their_responses(client):
    schema = client.get("/api/v1/openapi.json").json()
    family_operation = schema["paths"]["/api/v1/deadlines"]["get"]
    rule_operation = schema["paths"]["/api/v1/deadlines/rules/{code}"]["get"]

    for operation in (family_operation, rule_operation):
        assert set(operation["responses"]) == {"200", "400", "429"}
    assert family_operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FamilyDeadlinesOut"
    }
    parameters = {p["name"]: p for p in family_operation["parameters"]}
    assert parameters["decision_letter_sent"]["required"] is True
    assert parameters["certificate_issued"]["required"] is False
    assert parameters["decision_letter_sent"]["schema"]["format"] == "date"

    parameters = {p["name"]: p for p in rule_operation["parameters"]}
    assert set(parameters) == {"code", "from", "order", "certificate_issued"}
    assert parameters["code"]["schema"]["enum"] == list(RULES)
    assert [parameters[name]["required"] for name in ("code", "from", "order", "certificate_issued")] == [
        True,
        True,
        False,
        False,
    ]
    rule_schemas = rule_operation["responses"]["200"]["content"]["application/json"]["schema"]["anyOf"]
    assert {s["$ref"] for s in rule_schemas} == {
        "#/components/schemas/RuleDeadlineOut",
        "#/components/schemas/OrderDeadlinesOut",
    }
    components = schema["components"]["schemas"]
    assert set(components["FamilyDeadlinesOut"]["properties"]) >= {
        "contact_mediation_adviser_by",
        "appeal_by",
        "reasons",
    }
    assert set(components["RuleDeadlineOut"]["properties"]) == {"rule", "from", "due", "reasons"}
    assert components["OrderDeadlinesOut"]["properties"]["due"]["type"] == "object"
