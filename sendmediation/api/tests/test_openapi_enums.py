"""The OpenAPI document tells the truth about every list of allowed values a client may send.

A generated client trusts the schema: if a field's enum points to another vocabulary's component
(two enums both called "Kind"), it sends values the server refuses. For every enum in a request
body or query, each listed value must pass the server's checks of that field, and a value that is
not listed must be refused naming it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sendmediation.accounts.tokens import create_api_token
from sendmediation.cases.tests.builders import case_in

pytestmark = pytest.mark.django_db

NOT_LISTED = "not-a-listed-value"


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0], document)
    return schema


def _enum_of(schema: dict[str, Any], document: dict[str, Any]) -> tuple[list[str], bool] | None:
    """The values of an enum field, and whether it is a list of them; None if it is not an enum."""
    options = [schema, *schema.get("anyOf", [])]
    for option in options:
        option = _resolve(option, document)
        if "enum" in option:
            return [str(value) for value in option["enum"]], False
        if option.get("type") == "array" and "items" in option:
            items = _resolve(option["items"], document)
            if "enum" in items:
                return [str(value) for value in items["enum"]], True
    return None


def _enum_fields(schema: dict[str, Any], document: dict[str, Any], prefix: str = "") -> Iterator[Any]:
    """(dotted field name, values, is a list) for every enum in a body, one nested object deep."""
    schema = _resolve(schema, document)
    for name, prop in schema.get("properties", {}).items():
        found = _enum_of(prop, document)
        if found is not None:
            yield f"{prefix}{name}", found[0], found[1]
            continue
        for option in [prop, *prop.get("anyOf", [])]:
            option = _resolve(option, document)
            if option.get("type") == "object" and not prefix:
                yield from _enum_fields(option, document, prefix=f"{name}.")


def _body(field: str, value: str, as_list: bool) -> dict[str, Any]:
    sent: Any = [value] if as_list else value
    if "." in field:
        outer, inner = field.split(".", 1)
        return {outer: {inner: sent}}
    return {field: sent}


def _names(response: Any) -> set[str]:
    if response.status_code != 400:
        return set()
    return set(response.json()["error"]["fields"])


def _blames(names: set[str], field: str) -> bool:
    return any(name == field or name.startswith(f"{field}.") for name in names)


def test_every_enum_component_has_one_meaning(client):
    document = client.get("/api/v1/openapi.json").json()
    components = document["components"]["schemas"]
    enums = {name: schema["enum"] for name, schema in components.items() if "enum" in schema}
    # A component called by the bare name of a model's choices is ambiguous by construction.
    assert not {"Kind", "Status", "Outcome", "Role"} & set(enums), sorted(enums)
    from sendmediation.agreements import services as agreements
    from sendmediation.api import cases as api_cases
    from sendmediation.meetings.models import Meeting
    from sendmediation.statutory.rules import ORDER_TYPES, RuleCode

    vocabularies: dict[str, Any] = {
        "CaseKind": api_cases.Case.Kind,
        "CaseStatus": api_cases.Case.Status,
        "CaseOutcome": api_cases.Case.Outcome,
        "AdviceOutcome": api_cases.AdviceCall.Outcome,
        "CertificateKind": api_cases.Certificate.Kind,
        "PartyRole": api_cases.Party.Role,
        "HowContacted": api_cases.AuthorityContact.How,
        "RuleCode": RuleCode,
        "MeetingFormat": Meeting.Format,
        "MeetingOutcome": Meeting.Outcome,
    }
    for name, choices in vocabularies.items():
        assert enums.get(name) == [member.value for member in choices], name
    # The agreement's duties and kinds of order come from the statutory rules, not a model's choices.
    assert enums.get("AgreementDuty") == [str(code) for code in agreements.DUTIES]
    assert enums.get("AgreementOrder") == list(ORDER_TYPES)


def test_every_enum_in_a_request_accepts_exactly_the_values_it_lists(personas, client):
    case = case_in(personas, "received")
    token = create_api_token(user=personas.manager)[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    document = client.get("/api/v1/openapi.json").json()
    checked, wrong = 0, []
    for path, operations in document["paths"].items():
        url = path.replace("{reference}", case.reference).replace("{code}", "agreement_as_order")
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            fields = list(_enum_fields(content["schema"], document)) if content else []
            for field, values, as_list in fields:
                send = getattr(client, method)
                for value in [*values, NOT_LISTED]:
                    response = send(
                        url, _body(field, value, as_list), content_type="application/json", **headers
                    )
                    blamed = _blames(_names(response), field)
                    if (value == NOT_LISTED) != blamed:
                        wrong.append(f"{method.upper()} {path} {field}={value!r}: {response.status_code}")
                    checked += 1
            parameters = operation.get("parameters", [])
            # The other required parameters, filled in, so that only the enum can be at fault.
            required = {
                p["name"]: "2026-11-02"
                for p in parameters
                if p.get("in") == "query"
                and p.get("required")
                and _resolve(p["schema"], document).get("format") == "date"
            }
            for parameter in parameters:
                found = _enum_of(parameter.get("schema", {}), document)
                if parameter.get("in") != "query" or found is None:
                    continue
                for value in [*found[0], NOT_LISTED]:
                    response = client.get(url, {**required, parameter["name"]: value}, **headers)
                    blamed = _blames(_names(response), parameter["name"])
                    if (value == NOT_LISTED) != blamed:
                        wrong.append(f"GET {path} ?{parameter['name']}={value!r}: {response.status_code}")
                    checked += 1
    assert not wrong, "\n".join(wrong)
    assert checked > 100, checked  # every action's enums were reached, not a handful
