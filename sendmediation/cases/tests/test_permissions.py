"""Who may open what: every staff page and API endpoint, for every kind of person.

The expectations are written out here by hand, not read from the workflow table, so that a change to
the table that lets someone new in makes this test fail until it is made on purpose.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import resolve, reverse

from sendmediation.accounts.models import User
from sendmediation.accounts.tokens import create_api_token
from sendmediation.api.api import api
from sendmediation.cases import certificates, services
from sendmediation.cases.family import family_token
from sendmediation.cases.models import Case, Party
from sendmediation.cases.tests.builders import case_in
from sendmediation.cases.tests.test_services import phone_request
from sendmediation.notifications.models import OutboxMessage
from sendmediation.testing.personas import make_staff

pytestmark = pytest.mark.django_db

C, A, M, G = "coordinator", "adviser", "mediator", "manager"

# Who may open each action's page (and call it through the API).
ACTION_ROLES = {
    "triage": {C, G},
    "book_advice": {C, A, G},
    "record_advice_outcome": {A, G},
    "request_mediation": {C, A, G},
    "notify_la": {C, G},
    "record_mediation_not_arranged": {C, A, G},
    "record_mediation_held": {C, M, G},
    # The mediator issues (and may revoke) the certificate after mediation.
    "issue_certificate": {A, M, G},
    "revoke_certificate": {A, M, G},
    "seek_dr_consent": {C, G},
    "record_dr_consent": {C, G},
    "close_case": {C, G},
    "withdraw_case": {C, A, G},
    "reopen_case": {C, G},
    "update_details": {C, A, G},
    "assign": {C, G},
    "add_party": {C, A, G},
    "add_document": {C, A, M, G},
    "record_la_duty": {C, G},
    "record_agreed_override": {C, G},
    "add_note": {C, A, M, G},
}

# The people: who they are, their role for ACTION_ROLES, and whether they can see the case at all.
PEOPLE = {
    "coordinator": (C, True),
    "adviser": (A, True),
    "mediator": (M, True),
    "manager": (G, True),
    "la_officer": ("la_officer", True),
    "other_la_officer": ("la_officer", False),
    "adviser_not_assigned": (A, False),
    "mediator_not_assigned": (M, False),
    "no_role": ("", False),
    "anonymous": (None, False),
}
SERVICE_STAFF = {C, A, M, G}

# The world's certificate was issued after advice: only an adviser (or a manager) may revoke that kind.
KIND_REFUSALS = {("revoke_certificate", M)}


@pytest.fixture
def world(personas):
    case = case_in(personas, Case.Status.CERTIFICATE_ISSUED)
    services.assign(
        actor=personas.coordinator,
        case=case,
        coordinator=personas.coordinator,
        adviser=personas.adviser,
        mediator=personas.mediator,
    )
    certificate = case.certificates.get()
    certificates.store_pdf(certificate.pk)
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = services.add_document(
        actor=personas.coordinator,
        case=case,
        upload=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter", content_type="application/pdf"),
        name="Decision letter",
        kind="decision_letter",
    )
    request = phone_request(personas)
    request.decision_letter.save("letter.pdf", ContentFile(b"%PDF-1.4 letter"))
    people = {
        "coordinator": personas.coordinator,
        "adviser": personas.adviser,
        "mediator": personas.mediator,
        "manager": personas.manager,
        "la_officer": personas.la_officer,
        "other_la_officer": personas.other_la_officer,
        "adviser_not_assigned": make_staff("ada", User.Role.ADVISER),
        "mediator_not_assigned": make_staff("moe", User.Role.MEDIATOR),
        "no_role": User.objects.create_user(username="visitor", role=""),
        "anonymous": None,
    }
    return {
        "case": case,
        "certificate": certificate,
        "document": document,
        "email": OutboxMessage.objects.filter(case_reference=case.reference).earliest("id"),
        "request": request,
        "people": people,
    }


def _page_expectations(world) -> list[tuple[str, str, str, dict, Any]]:
    """(label, method, url, data, rule) where rule maps (role, sees_case) to the expected status."""
    case, ref = world["case"], world["case"].reference
    signed_in = lambda role, sees: 200  # noqa: E731
    triage = lambda role, sees: 200 if role in (C, G) else 403  # noqa: E731
    case_page = lambda role, sees: 200 if sees else 404  # noqa: E731
    documents = lambda role, sees: 200 if sees and role in SERVICE_STAFF else 404  # noqa: E731
    rows: list[tuple[str, str, str, dict, Any]] = [
        ("my work", "get", reverse("cases:my_work"), {}, signed_in),
        ("case list", "get", reverse("cases:case_list"), {}, signed_in),
        ("open a case", "get", reverse("cases:open_case"), {}, triage),
        ("requests", "get", reverse("cases:request_list"), {}, triage),
        ("a request", "get", reverse("cases:request_detail", args=[world["request"].reference]), {}, triage),
        (
            "a request's letter",
            "get",
            reverse("cases:request_letter", args=[world["request"].reference]),
            {},
            triage,
        ),
        ("accept", "post", reverse("cases:accept_request", args=[world["request"].reference]), {}, triage),
        ("decline", "post", reverse("cases:decline_request", args=[world["request"].reference]), {}, triage),
        ("case page", "get", reverse("cases:case_detail", args=[ref]), {}, case_page),
        (
            "certificate",
            "get",
            reverse("cases:certificate_download", args=[ref, world["certificate"].number]),
            {},
            case_page,
        ),
        (
            "document",
            "get",
            reverse("cases:document_download", args=[ref, world["document"].pk]),
            {},
            documents,
        ),
        (
            "email about the case",
            "get",
            reverse("cases:case_email", args=[ref, world["email"].pk]),
            {},
            documents,
        ),
    ]
    for action, roles in ACTION_ROLES.items():
        rule = lambda role, sees, roles=roles: (200 if role in roles else 403) if sees else 404  # noqa: E731
        rows.append((f"action {action}", "get", reverse("cases:case_action", args=[ref, action]), {}, rule))
    assert case.status == Case.Status.CERTIFICATE_ISSUED
    return rows


def test_every_staff_page_is_in_the_matrix(world):
    from sendmediation.cases.urls import urlpatterns

    covered = {resolve(urlsplit(url).path).url_name for _, _, url, _, _ in _page_expectations(world)}
    assert {pattern.name for pattern in urlpatterns} - covered == set()


@pytest.mark.parametrize("who", list(PEOPLE))
def test_staff_pages(world, who):
    role, sees = PEOPLE[who]
    user = world["people"][who]
    client = Client()
    if user is not None:
        client.force_login(user)
    wrong = []
    for label, method, url, data, rule in _page_expectations(world):
        response = getattr(client, method)(url, data)
        if user is None:
            expected = 302
        elif role == "":
            expected = (
                404
                if label.startswith(("case page", "certificate", "document", "email", "action"))
                else (200 if label in ("my work", "case list") else 403)
            )
        else:
            expected = rule(role, sees)
        if response.status_code != expected:
            wrong.append(f"{label}: {response.status_code}, expected {expected}")
        if user is None and response.status_code == 302:
            assert reverse("accounts:sign_in") in response["Location"]
    assert not wrong, f"{who}:\n" + "\n".join(wrong)


def test_the_public_pages_need_no_sign_in_and_a_family_sees_only_through_its_link(world, client):
    case = world["case"]
    assert client.get(reverse("cases_public:verify")).status_code == 200
    token = family_token(case)
    assert client.get(reverse("cases_public:family_case", args=[token])).status_code == 200
    number = world["certificate"].number
    assert client.get(reverse("cases_public:family_certificate", args=[token, number])).status_code == 200
    assert client.get(reverse("cases_public:family_case", args=[token[:-2] + "xx"])).status_code == 404
    other = case_in_other(world)
    assert (
        client.get(reverse("cases_public:family_certificate", args=[family_token(other), number])).status_code
        == 404
    )


def case_in_other(world) -> Case:
    case = world["case"]
    return Case.objects.exclude(pk=case.pk).first() or services.open_case(
        actor=case.coordinator,
        local_authority=case.local_authority,
        kind="mediation",
        child_first_name="Zed",
        child_last_name="Ray",
    )


# --- the API -------------------------------------------------------------------------------------


ACTIONS_PATH = "/api/v1/cases/{reference}/actions/"


def _api_actions() -> set[str]:
    """The actions the API offers, read from its OpenAPI document: one endpoint each, and the
    details as a PATCH of the case."""
    paths = api.get_openapi_schema()["paths"]
    actions = {path.removeprefix(ACTIONS_PATH) for path in paths if path.startswith(ACTIONS_PATH)}
    if "patch" in paths.get("/api/v1/cases/{reference}", {}):
        actions.add("update_details")
    return actions


API_ACTIONS = sorted(_api_actions())


def _call(client, ref, action, body, **headers):
    if action == "update_details":
        return client.patch(f"/api/v1/cases/{ref}", body, content_type="application/json", **headers)
    return client.post(
        f"/api/v1/cases/{ref}/actions/{action}", body, content_type="application/json", **headers
    )


def test_every_api_action_is_in_the_matrix(world, personas):
    # Documents are uploaded on the case page only; every other action is also an endpoint.
    assert set(API_ACTIONS) == set(ACTION_ROLES) - {"add_document"} == set(_action_bodies(world, personas))


def _action_bodies(world, personas) -> dict[str, dict]:
    case = world["case"]
    parent = case.parties.get(role=Party.Role.PARENT)
    return {
        "triage": {},
        "book_advice": {"adviser": personas.adviser.username, "booked_for": "2026-12-01T10:00:00+00:00"},
        "record_advice_outcome": {"outcome": "not_decided"},
        "request_mediation": {},
        "notify_la": {"how": "email", "person": "Sam Lee, SEND team"},
        "record_mediation_not_arranged": {"how": "email", "person": "Sam Lee", "reason": "No room"},
        "record_mediation_held": {"on": "2026-11-20", "how": "email", "person": "The mediator"},
        "issue_certificate": {"kind": "after_advice"},
        "revoke_certificate": {"certificate": "MC-2026-000001", "reason": "Issued in error"},
        "seek_dr_consent": {},
        "record_dr_consent": {"party_id": parent.pk, "consent": "yes"},
        "close_case": {"outcome": "certificate_issued"},
        "withdraw_case": {"reason": "The family asked us to stop"},
        "reopen_case": {"reason": "They called back"},
        "update_details": {
            "child_first_name": case.child_first_name,
            "child_last_name": case.child_last_name,
            "local_authority": case.local_authority.code,
            "decisions": case.decisions,
            "decision_letter_sent": case.decision_letter_sent.isoformat(),
        },
        "assign": {
            "coordinator": personas.coordinator.username,
            "adviser": personas.adviser.username,
            "mediator": personas.mediator.username,
        },
        "add_party": {"role": "supporter", "name": "An advocate"},
        "record_la_duty": {"rule": "health_notice", "on": "2026-11-20", "how": "email", "person": "Sam Lee"},
        "record_agreed_override": {"rule": "appeal_by", "agreed_date": "2027-01-10", "note": "Agreed"},
        "add_note": {"text": "A note"},
    }


@pytest.mark.parametrize("who", list(PEOPLE))
def test_api_endpoints(world, personas, who):
    role, sees = PEOPLE[who]
    user = world["people"][who]
    headers: dict[str, Any] = {}
    if user is not None and role:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user)[1]}"}
    client = Client()
    ref = world["case"].reference
    wrong = []

    def check(label, response, allowed_statuses):
        if response.status_code not in allowed_statuses:
            wrong.append(f"{label}: {response.status_code}, expected one of {sorted(allowed_statuses)}")

    if not headers:
        for url in ("/api/v1/cases", f"/api/v1/cases/{ref}"):
            check(url, client.get(url, **headers), {401})
        check("create", client.post("/api/v1/cases", {}, content_type="application/json"), {401})
        for action in API_ACTIONS:
            check(action, _call(client, ref, action, {}), {401})
        assert not wrong, f"{who}:\n" + "\n".join(wrong)
        return

    listed = client.get("/api/v1/cases", **headers)
    check("list", listed, {200})
    references = [row["reference"] for row in listed.json()["results"]]
    if (ref in references) != sees:
        wrong.append(f"list: case listed={ref in references}, expected {sees}")
    check("read", client.get(f"/api/v1/cases/{ref}", **headers), {200} if sees else {404})
    body = {
        "local_authority": personas.authority.code,
        "kind": "mediation",
        "child_first_name": "A",
        "child_last_name": "B",
    }
    check(
        "create",
        client.post("/api/v1/cases", body, content_type="application/json", **headers),
        {201} if role in (C, G) else {403},
    )
    for action, body in _action_bodies(world, personas).items():
        response = _call(client, ref, action, body, **headers)
        if not sees:
            expected = {404}
        elif (action, role) in KIND_REFUSALS:
            expected = {403}
        elif role in ACTION_ROLES[action]:
            expected = {200, 400, 409}
        else:
            expected = {403}
        check(f"action {action}", response, expected)
    assert not wrong, f"{who}:\n" + "\n".join(wrong)
