"""Who may open what: every staff page and API endpoint, for every kind of person.

The expectations are written out here by hand, not read from the workflow table, so that a change to
the table that lets someone new in makes this test fail until it is made on purpose.
"""

from __future__ import annotations

import base64
import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import get_resolver, resolve, reverse
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.accounts.tokens import create_api_token
from sendmediation.api.api import api
from sendmediation.cases import certificates, services, workflow
from sendmediation.cases.family import family_token
from sendmediation.cases.models import Case, Deadline, Party
from sendmediation.cases.tests.builders import ROUTES, case_in, open_case
from sendmediation.cases.tests.test_services import phone_request
from sendmediation.common.tests.files import pdf_saying
from sendmediation.feedback.models import FollowUpSurvey
from sendmediation.notifications.models import OutboxMessage
from sendmediation.statutory.services import base_calendar
from sendmediation.testing.personas import make_staff

pytestmark = pytest.mark.django_db

Status = Case.Status

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
    # An officer of the case's own authority may record what the authority did, through the same service.
    "record_la_duty": {C, G, "la_officer"},
    "record_agreed_override": {C, G},
    "add_note": {C, A, M, G},
    # The agreement (sendmediation.agreements).
    "record_agreement": {C, M, G},
    "send_for_signature": {C, M, G},
    "record_wet_signature": {C, M, G},
    # Meetings (their pages and endpoints live in sendmediation.meetings and the API's meetings module).
    "arrange_meeting": {C, G},
    "change_meeting": {C, G},
    "cancel_meeting": {C, G},
    "record_meeting_held": {C, M, G},
    # A person's rights over their data and the law's over the case: the manager alone.
    "place_legal_hold": {G},
    "lift_legal_hold": {G},
    "correct_details": {G},
    "erase_case": {G},
    # The family's link: those who run the case stop it, or stop it and send a new one.
    "revoke_family_link": {C, G},
    "reissue_family_link": {C, G},
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
    # A case its authority takes part in (told of the mediation, it could not hold it in time and
    # the family has its certificate), so that authority's officer sees it. Which cases an officer
    # does not see is checked by the tests of the authority's scope below.
    case = case_in(personas, Case.Status.MEDIATION_NOT_ARRANGED)
    services.issue_certificate(
        actor=personas.adviser, case=case, kind="not_arranged", calendar=base_calendar()
    )
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
        upload=SimpleUploadedFile("letter.pdf", pdf_saying(b"letter"), content_type="application/pdf"),
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
    service_staff = lambda role, sees: 200 if role in SERVICE_STAFF else 403  # noqa: E731
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
        ("propose a schedule", "get", reverse("meetings:schedule"), {}, triage),
        ("diary", "get", reverse("meetings:diary"), {}, service_staff),
        ("diary calendar link", "post", reverse("meetings:diary_feed"), {}, service_staff),
        ("working days and leave", "get", reverse("meetings:working_days"), {}, service_staff),
        (
            "case page: what the family can make",
            "get",
            reverse("meetings:family_can_make", args=[ref]),
            {},
            lambda role, sees: (200 if role in (C, G) else 403) if sees else 404,
        ),
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
    # Everything held about the family (sendmediation.dataprotection): managers only. Labelled as the
    # case page, which a person outside the case's scope cannot see either.
    managers_only = lambda role, sees: (200 if role == G else 403) if sees else 404  # noqa: E731
    export = reverse("dataprotection:subject_access", args=[ref])
    rows += [
        ("case page: subject access export", "get", export, {}, managers_only),
        ("case page: subject access export made", "post", export, {}, managers_only),
        (
            "case page: who viewed it",
            "get",
            reverse("dataprotection:case_viewers", args=[ref]),
            {},
            managers_only,
        ),
    ]
    # Who opened what: managers only, whoever the person looked at.
    access_report = lambda role, sees: 200 if role == G else 403  # noqa: E731
    coordinator = world["people"]["coordinator"]
    rows += [
        ("who opened cases", "get", reverse("access_report:people"), {}, access_report),
        (
            "what one person opened",
            "get",
            reverse("access_report:person", args=[coordinator.pk]),
            {},
            access_report,
        ),
        (
            "what one person opened, a period chosen",
            "get",
            reverse("access_report:person", args=[coordinator.pk]),
            {"period": "all"},
            access_report,
        ),
    ]
    # Reports: a manager reads every one; an officer only their own authority's (another's is a 404)
    # and is sent from the reports' front page to it; everyone else is refused.
    reports_index = lambda role, sees: {G: 200, "la_officer": 302}.get(role, 403)  # noqa: E731
    service_report = lambda role, sees: 200 if role == G else 403  # noqa: E731
    authority_report = lambda role, sees: (  # noqa: E731
        200 if role == G or (role == "la_officer" and sees) else 404 if role == "la_officer" else 403
    )
    code = case.local_authority.code
    # The dashboard is for managers only: an officer is refused like everyone else.
    dashboard = lambda role, sees: 200 if role == G else 403  # noqa: E731
    rows += [
        ("reports", "get", reverse("reports:index"), {}, reports_index),
        ("dashboard", "get", reverse("reports:dashboard"), {}, dashboard),
        ("report for the service", "get", reverse("reports:service"), {}, service_report),
        ("service report, CSV", "get", reverse("reports:service_export", args=["csv"]), {}, service_report),
        ("report for an authority", "get", reverse("reports:authority", args=[code]), {}, authority_report),
        (
            "report for an authority, CSV",
            "get",
            reverse("reports:authority_export", args=[code, "csv"]),
            {},
            authority_report,
        ),
    ]
    # The families' comments: a manager reads them and makes a testimonial (a redirect back to the
    # list); everyone else is refused, whatever case they see.
    survey, _ = FollowUpSurvey.objects.get_or_create(
        case=case,
        defaults={
            "respondent": "parent",
            "invited_at": timezone.now(),
            "answered_at": timezone.now(),
            "satisfaction": "satisfied",
            "would_recommend": "yes",
            "agreement_held": "no_agreement",
            "appealed": "not_yet",
            "comment": "It helped",
            "comment_may_be_published": True,
        },
    )
    managers_only = lambda role, sees: 200 if role == G else 403  # noqa: E731
    rows += [
        ("families' comments", "get", reverse("feedback_review:comments"), {}, managers_only),
        (
            "make a testimonial",
            "post",
            reverse("feedback_review:make_testimonial", args=[survey.pk]),
            {},
            lambda role, sees: 302 if role == G else 403,
        ),
    ]
    # A person's own sessions: anyone who signs in with a role, officers included, each only their own.
    # "Sign out everywhere else" keeps the session asking, so the rows after it still answer.
    own = lambda role, sees: 403 if role == "" else 200  # noqa: E731
    own_redirect = lambda role, sees: 403 if role == "" else 302  # noqa: E731
    rows += [
        ("your sessions", "get", reverse("accounts:own_sessions"), {}, own),
        ("how long the session has left", "get", reverse("accounts:session_status"), {}, own),
        ("stay signed in", "post", reverse("accounts:stay_signed_in"), {}, own_redirect),
        (
            "sign out everywhere else",
            "post",
            reverse("accounts:sign_out_sessions"),
            {"which": "others"},
            own_redirect,
        ),
    ]
    # Links to set up an authenticator app: managers only.
    mediator = world["people"]["mediator"]
    managers_only = lambda role, sees: 200 if role == G else 403  # noqa: E731
    links = reverse("accounts:second_factor_invitations")
    rows += [
        ("links to set up an authenticator app", "get", links, {}, managers_only),
        ("make a link to set up an authenticator app", "post", links, {"user": mediator.pk}, managers_only),
    ]
    for action, roles in ACTION_ROLES.items():
        rule = lambda role, sees, roles=roles: (200 if role in roles else 403) if sees else 404  # noqa: E731
        # An action with a page of its own (a meeting, an agreement) is checked there.
        page = workflow.ACTIONS[action].page
        url = reverse(page, args=[ref]) if page else reverse("cases:case_action", args=[ref, action])
        rows.append((f"action {action}", "get", url, {}, rule))
    assert case.status == Case.Status.CERTIFICATE_ISSUED
    return rows


def test_every_staff_page_is_in_the_matrix(world):
    """Casework's pages, and the meetings', agreements', reports', data protection's and feedback's
    staff pages beside them."""
    from sendmediation.agreements import urls as agreement_urls
    from sendmediation.cases import urls as case_urls
    from sendmediation.meetings import urls as meeting_urls

    covered = {resolve(urlsplit(url).path).view_name for _, _, url, _, _ in _page_expectations(world)}
    pages = {
        f"{module.app_name}:{pattern.name}"
        for module in (case_urls, meeting_urls, agreement_urls)
        for pattern in module.urlpatterns
    }
    # The reports' pages, found through the URL configuration: importing them here would run an
    # import chain from casework's tests to meetings, which the layers contract forbids.
    entries: list[Any] = get_resolver().url_patterns
    reports: Any = next(entry for entry in entries if getattr(entry, "namespace", "") == "reports")
    pages |= {f"reports:{pattern.name}" for pattern in reports.url_patterns}
    exports: Any = next(entry for entry in entries if getattr(entry, "namespace", "") == "dataprotection")
    pages |= {f"dataprotection:{pattern.name}" for pattern in exports.url_patterns}
    review: Any = next(entry for entry in entries if getattr(entry, "namespace", "") == "feedback_review")
    pages |= {f"feedback_review:{pattern.name}" for pattern in review.url_patterns}
    access: Any = next(entry for entry in entries if getattr(entry, "namespace", "") == "access_report")
    pages |= {f"access_report:{pattern.name}" for pattern in access.url_patterns}
    # The staff pages of accounts (a person's own sessions, links to set up an app). The staff home page
    # only sends each person on to My work.
    accounts: Any = next(entry for entry in entries if getattr(entry, "namespace", "") == "accounts")
    pages |= {
        f"accounts:{pattern.name}"
        for pattern in accounts.url_patterns
        if str(pattern.pattern).startswith("staff/") and pattern.name != "staff_home"
    }
    assert {"accounts:own_sessions", "accounts:second_factor_invitations"} <= pages
    assert {"dataprotection:case_viewers", "access_report:people", "access_report:person"} <= pages
    assert {"reports:authority_export", "reports:dashboard", "dataprotection:subject_access"} <= pages
    assert "feedback_review:make_testimonial" in pages
    assert {"meetings:arrange", "agreements:wet_signature"} <= pages
    assert pages - covered == set()


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
        "record_agreement": {"items": [{"what": "Assess", "who": "The local authority", "by": "2026-12-18"}]},
        "send_for_signature": {},
        "record_wet_signature": {
            "signatory": 1,
            "signed_on": "2026-11-20",
            "scan_base64": base64.b64encode(pdf_saying(b"signed")).decode(),
            "scan_content_type": "application/pdf",
        },
        "arrange_meeting": {
            "starts_at": (timezone.now() + datetime.timedelta(days=20)).isoformat(),
            "minutes": 120,
            "format": "phone",
            "mediator": personas.mediator.username,
            "short_notice_agreed": False,
        },
        "change_meeting": {"minutes": 150},
        "cancel_meeting": {"reason": "The mediator is ill"},
        "record_meeting_held": {"la_attended": True, "la_could_settle": True, "outcome": "full_agreement"},
        "place_legal_hold": {"reason": "A claim has been made"},
        "lift_legal_hold": {"reason": "The claim was settled"},
        "correct_details": {
            "reason": "The parent phoned: the name was misspelt",
            "child_first_name": "Amira",
        },
        "erase_case": {"reason": "The parent asked by email"},
        "revoke_family_link": {"reason": "The parent thinks someone else read the email"},
        "reissue_family_link": {"reason": "The parent asked for a new link"},
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
        check(
            "schedule proposals",
            client.post("/api/v1/schedule/proposals", {}, content_type="application/json"),
            {401},
        )
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
    check(
        "schedule proposals",
        client.post("/api/v1/schedule/proposals", {}, content_type="application/json", **headers),
        {200} if role in (C, G) else {403},
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


# --- the local authority's scope -----------------------------------------------------------------
#
# Advice is independent of the authority: its officers see a case only once the authority takes
# part in it (docs/access.md). Written out by hand, like the matrix above.


def _case(personas, status: str, *, kind: str | None = None, then=(), **changes) -> Case:
    """A case of the officer's own authority, brought to ``status`` through the front doors (with
    ``kind`` where the usual route suits more than one), then put through ``then``."""
    default_kind, steps = ROUTES[status]
    case = open_case(personas, kind=kind or default_kind, **changes)
    for step in [*steps, *then]:
        step(personas, case)
        case.refresh_from_db()
    assert then or case.status == status, (case.status, status)
    return case


def _withdraw(personas, case):
    services.withdraw_case(actor=personas.coordinator, case=case, reason="The family asked us to stop")


def _reopen(personas, case):
    services.reopen_case(actor=personas.coordinator, case=case, reason="The family called back")


def _not_arranged(personas, case):
    services.record_mediation_not_arranged(
        actor=personas.coordinator,
        case=case,
        told_on=datetime.date(2026, 10, 20),
        how="email",
        person="Sam Lee, SEND team",
        reason="No officer free in time",
        calendar=base_calendar(),
    )


def _certificate_not_arranged(personas, case):
    services.issue_certificate(
        actor=personas.adviser, case=case, kind="not_arranged", calendar=base_calendar()
    )


def _authority_as_party(personas, case):
    services.add_party(
        actor=personas.coordinator,
        case=case,
        role=Party.Role.LA_OFFICER,
        name="Olive Grant",
        organisation="Westminster City Council",
        email=personas.la_officer.email,
        has_authority_to_settle=True,
    )


def _scope_world(personas) -> list[tuple[str, Case, bool]]:
    """(what, case, whether the authority's officer sees it)."""
    Kind = Case.Kind
    S = Case.Status
    dr = Kind.DISAGREEMENT_RESOLUTION
    return [
        # Never: advice alone, or anything before the authority was told.
        (
            "advice only, certificate issued",
            _case(personas, S.CERTIFICATE_ISSUED, kind=Kind.ADVICE_ONLY),
            False,
        ),
        ("advice only, closed", _case(personas, S.CLOSED, kind=Kind.ADVICE_ONLY), False),
        ("mediation case, family declined after advice", _case(personas, S.CERTIFICATE_ISSUED), False),
        ("received", _case(personas, S.RECEIVED), False),
        ("mediation requested, authority not told yet", _case(personas, S.MEDIATION_REQUESTED), False),
        (
            "withdrawn before the authority was told",
            _case(personas, S.MEDIATION_REQUESTED, then=[_withdraw]),
            False,
        ),
        ("closed before the authority was told", _case(personas, S.CLOSED), False),
        ("disagreement resolution, authority not a party", _case(personas, S.CONSENT_PENDING), False),
        (
            "disagreement resolution, authority not a party, withdrawn",
            _case(personas, S.TRIAGED, kind=dr, then=[_withdraw]),
            False,
        ),
        (
            "mediation case with an authority party, authority not told",
            _case(personas, S.ADVICE_GIVEN, then=[_authority_as_party]),
            False,
        ),
        # From the moment the authority takes part, whatever happens later.
        ("authority told", _case(personas, S.LA_NOTIFIED), True),
        ("authority could not hold it in time", _case(personas, S.MEDIATION_NOT_ARRANGED), True),
        (
            "authority said it could not hold it, before it was recorded as told",
            _case(personas, S.MEDIATION_REQUESTED, then=[_not_arranged]),
            True,
        ),
        (
            "certificate because mediation was not arranged",
            _case(personas, S.MEDIATION_NOT_ARRANGED, then=[_certificate_not_arranged]),
            True,
        ),
        ("authority told, then withdrawn", _case(personas, S.LA_NOTIFIED, then=[_withdraw]), True),
        (
            "authority told, withdrawn and reopened",
            _case(personas, S.LA_NOTIFIED, then=[_withdraw, _reopen]),
            True,
        ),
        (
            "disagreement resolution with the authority as a party",
            _case(personas, S.TRIAGED, kind=dr, then=[_authority_as_party]),
            True,
        ),
        (
            "disagreement resolution with the authority as a party, withdrawn",
            _case(personas, S.TRIAGED, kind=dr, then=[_authority_as_party, _withdraw]),
            True,
        ),
    ]


def test_an_officer_sees_a_case_only_once_the_authority_takes_part_in_it(personas):
    """The case page, its certificates, the case list, and the API's read and list."""
    world = _scope_world(personas)
    officer, other_officer = personas.la_officer, personas.other_la_officer
    pages = {who: Client() for who in ("officer", "other")}
    pages["officer"].force_login(officer)
    pages["other"].force_login(other_officer)
    api: dict[str, dict[str, Any]] = {
        "officer": {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=officer)[1]}"},
        "other": {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=other_officer)[1]}"},
    }
    wrong = []
    for who in ("officer", "other"):
        client = pages[who]
        listed = {
            case.reference for case in client.get(reverse("cases:case_list")).context["page"].object_list
        }
        api_listed = {
            row["reference"]
            for row in client.get("/api/v1/cases?page_size=100", **api[who]).json()["results"]
        }
        for what, case, officer_sees in world:
            sees = officer_sees and who == "officer"
            expected = 200 if sees else 404
            checks = {
                "case page": client.get(reverse("cases:case_detail", args=[case.reference])).status_code,
                "API read": client.get(f"/api/v1/cases/{case.reference}", **api[who]).status_code,
            }
            for certificate in case.certificates.all():
                url = reverse("cases:certificate_download", args=[case.reference, certificate.number])
                checks[f"certificate {certificate.number}"] = client.get(url).status_code
            for label, status in checks.items():
                # A certificate not rendered yet is a 503 with a page saying so: still "seen".
                if (status in (200, 503) if sees else status == 404) is False:
                    wrong.append(f"{who}, {what}: {label} {status}, expected {expected}")
            if (case.reference in listed) != sees:
                wrong.append(f"{who}, {what}: in the case list {case.reference in listed}, expected {sees}")
            if (case.reference in api_listed) != sees:
                wrong.append(
                    f"{who}, {what}: in the API list {case.reference in api_listed}, expected {sees}"
                )
    assert not wrong, "\n".join(wrong)
    seen = sum(1 for _, _, sees in world if sees)
    assert pages["officer"].get(reverse("cases:case_list")).context["page"].paginator.count == seen
    assert pages["officer"].get("/api/v1/cases", **api["officer"]).json()["count"] == seen


def test_whether_the_authority_takes_part_is_kept_on_the_case_as_the_history_says(personas):
    """The facts on the case's row (kept by the services) agree with the events and parties, for
    every case of the scope world; and the migration that filled them for existing cases gives the
    same answer from the history alone."""
    import importlib

    from django.apps import apps

    world = _scope_world(personas)
    authorities = {case.local_authority_id for _, case, _ in world}

    def both() -> list[tuple[set[int], set[int]]]:
        return [
            (
                set(Case.objects.taking_part(a).values_list("pk", flat=True)),
                set(Case.objects.taking_part_by_history(a).values_list("pk", flat=True)),
            )
            for a in sorted(authorities)
        ]

    expected = {case.pk for _, case, sees in world if sees}
    assert expected, "the world has cases the authority takes part in"
    for kept, by_history in both():
        assert kept == by_history
    assert set().union(*(kept for kept, _ in both())) == expected
    Case.objects.update(authority_told=False, authority_is_party=False)
    assert all(not kept for kept, _ in both())
    migration = importlib.import_module(
        "sendmediation.cases.migrations.0022_authority_takes_part_on_the_case"
    )
    migration.fill_from_history(apps, None)
    for kept, by_history in both():
        assert kept == by_history


def test_an_officers_work_is_only_on_cases_the_authority_takes_part_in(personas):
    told = _case(personas, Status.LA_NOTIFIED, child_first_name="Told")
    not_told = _case(personas, Status.MEDIATION_REQUESTED, child_first_name="Nottold")
    Deadline.objects.filter(rule="mediation_by").update(due=timezone.localdate() - datetime.timedelta(days=1))
    client = Client()
    client.force_login(personas.la_officer)
    page = client.get(reverse("cases:my_work"))
    overdue = page.context["buckets"][0]
    assert [row.case_id for row in overdue.rows] == [told.pk]
    assert overdue.count == 1
    html = page.content.decode()
    assert told.reference in html and not_told.reference not in html
    listed = client.get(reverse("cases:case_list"), {"deadline": "overdue"}).context["page"].object_list
    assert [case.reference for case in listed] == [told.reference]


def test_the_authority_is_told_of_a_certificate_only_on_a_case_it_takes_part_in(personas, settings):
    after_advice = case_in(personas, Status.CERTIFICATE_ISSUED)
    assert not OutboxMessage.objects.filter(
        case_reference=after_advice.reference, template="certificate_issued_la"
    ).exists()
    assert after_advice.events.get(kind="certificate_issued").data["la_emailed"] is False
    # The family still gets its certificate.
    assert OutboxMessage.objects.filter(
        case_reference=after_advice.reference, template="certificate_issued"
    ).exists()

    not_arranged = _case(personas, Status.MEDIATION_NOT_ARRANGED, then=[_certificate_not_arranged])
    told = OutboxMessage.objects.get(case_reference=not_arranged.reference, template="certificate_issued_la")
    assert told.recipients == [personas.la_officer.email]
    assert not_arranged.events.get(kind="certificate_issued").data["la_emailed"] is True
    # Its link opens for the authority's officer.
    link = told.context["case_url"]
    assert link.startswith(settings.SITE_URL)
    client = Client()
    client.force_login(personas.la_officer)
    assert client.get(urlsplit(link).path).status_code == 200


def test_an_officer_sees_a_familys_email_and_phone_only_if_the_family_agreed(personas):
    case = case_in(personas, Status.LA_NOTIFIED)
    parent = case.parties.get(role=Party.Role.PARENT)
    assert parent.email == personas.parent.email and parent.phone == personas.parent.phone
    url = reverse("cases:case_detail", args=[case.reference])
    officer, staff = Client(), Client()
    officer.force_login(personas.la_officer)
    staff.force_login(personas.coordinator)
    token: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=personas.la_officer)[1]}"}

    def api_party(name):
        parties = officer.get(f"/api/v1/cases/{case.reference}", **token).json()["parties"]
        return next(row for row in parties if row["name"] == name)

    services.add_note(actor=personas.coordinator, case=case, text="Prefers a call after school")
    html = officer.get(url).content.decode()
    assert personas.parent.email not in html and personas.parent.phone not in html
    assert "Contact details not shared with the local authority" in html
    assert "Prefers a call after school" not in html  # notes stay with the service
    assert (api_party(parent.name)["email"], api_party(parent.name)["phone"]) == ("", "")
    # The service's own staff see them.
    staff_html = staff.get(url).content.decode()
    assert personas.parent.email in staff_html and personas.parent.phone in staff_html

    # A young person who agreed to share theirs, and the authority's own officer on the case.
    services.add_party(
        actor=personas.coordinator,
        case=case,
        role=Party.Role.YOUNG_PERSON,
        name="Jordan Price",
        email=personas.young_person.email,
        phone=personas.young_person.phone,
        contact_shared_with_la=True,
    )
    _authority_as_party(personas, case)
    html = officer.get(url).content.decode()
    assert personas.young_person.email in html and personas.young_person.phone in html
    assert personas.parent.email not in html and personas.parent.phone not in html
    assert personas.la_officer.email in html
    shared = api_party("Jordan Price")
    assert (shared["email"], shared["phone"]) == (personas.young_person.email, personas.young_person.phone)
    assert (api_party(parent.name)["email"], api_party(parent.name)["phone"]) == ("", "")
    assert api_party("Olive Grant")["email"] == personas.la_officer.email


def test_the_index_behind_the_authoritys_scope_holds_the_events_that_count():
    from sendmediation.cases.models import CaseEvent

    index = next(i for i in CaseEvent._meta.indexes if i.name == "case_event_authority_told_idx")
    assert dict(index.condition.children)["kind__in"] == list(CaseEvent.AUTHORITY_TOLD)


# --- the single-purpose links --------------------------------------------------------------------


def _outbox_links(case: Case, template: str, key: str) -> dict[str, str]:
    """The token in each email of this kind on the case, by the person it was sent to."""
    links = {}
    for message in OutboxMessage.objects.filter(case_reference=case.reference, template=template):
        links[message.context["name"]] = urlsplit(message.context[key]).path.rstrip("/").rsplit("/", 1)[-1]
    return links


def test_a_signing_link_opens_one_signature_only(personas, settings, tmp_path):
    from sendmediation.agreements import services as agreements
    from sendmediation.agreements.models import SignatureRequest
    from sendmediation.agreements.tests.helpers import ITEMS, held_case

    settings.MEDIA_ROOT = tmp_path / "media"
    case = held_case(personas)
    agreements.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
    agreements.send_for_signature(actor=personas.mediator, case=case)
    tokens = _outbox_links(case, "agreement_signature_request", "sign_link")
    assert len(tokens) == 3 and len(set(tokens.values())) == 3
    family = case.parties.family_contact()
    assert family is not None
    mine, theirs = tokens[family.name], tokens["Sam Lee"]
    client = Client()
    sign = lambda token: reverse("agreements_public:sign", args=[token])  # noqa: E731

    page = client.get(sign(mine))
    assert page.status_code == 200 and page.context["signing"].name == family.name
    assert client.get(reverse("agreements_public:sign_pdf", args=[mine])).status_code == 200
    # Signing with one person's link signs for them, and for nobody else.
    done = client.post(sign(mine), {"full_name": "Sarah Khan", "confirmed": "yes"})
    assert done.status_code == 200
    signed = {r.name for r in SignatureRequest.objects.filter(agreement__case=case, used_at__isnull=False)}
    assert signed == {family.name}
    assert client.get(sign(theirs)).context["signing"].name == "Sam Lee"
    # A used link says so plainly, and opens nothing more: not the page, not the PDF, not a signature.
    used = client.get(sign(mine))
    assert used.status_code == 410 and "already been used" in used.content.decode()
    assert client.post(sign(mine), {"full_name": "Sarah Khan", "confirmed": "yes"}).status_code == 410
    assert client.get(reverse("agreements_public:sign_pdf", args=[mine])).status_code == 404
    # A link not quite right, or expired, opens nothing either.
    wrong = client.get(sign(theirs[:-2] + ("aa" if not theirs.endswith("aa") else "bb")))
    assert wrong.status_code == 410 and "not right" in wrong.content.decode()
    SignatureRequest.objects.filter(agreement__case=case, name="Sam Lee").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    expired = client.post(sign(theirs), {"full_name": "Sam Lee", "confirmed": "yes"})
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert SignatureRequest.objects.filter(agreement__case=case, used_at__isnull=False).count() == 1


def test_a_consent_link_answers_for_one_party_only(personas):
    case = open_case(personas, kind=Case.Kind.DISAGREEMENT_RESOLUTION)
    services.triage(actor=personas.coordinator, case=case)
    _authority_as_party(personas, case)
    services.add_party(
        actor=personas.coordinator,
        case=case,
        role=Party.Role.EDUCATION_PROVIDER,
        name="Hill Top School",
        organisation="Hill Top School",
        email="office@hilltop.example",
    )
    services.seek_dr_consent(actor=personas.coordinator, case=case)
    tokens = _outbox_links(case, "dr_consent_request", "link")
    assert set(tokens) == {"Olive Grant", "Hill Top School"}
    client = Client()
    url = lambda token: reverse("cases_public:dr_consent", args=[token])  # noqa: E731
    assert client.get(url(tokens["Hill Top School"])).status_code == 200
    answered = client.post(url(tokens["Hill Top School"]), {"consent": "yes"})
    assert answered.status_code == 200
    consents = dict(case.parties.exclude(dr_consent="").values_list("name", "dr_consent"))
    assert consents["Hill Top School"] == Party.Consent.YES
    assert consents["Olive Grant"] == Party.Consent.PENDING  # the school answered for itself only
    again = client.post(url(tokens["Hill Top School"]), {"consent": "no", "reason": "Changed our mind"})
    assert again.status_code == 410
    assert case.parties.get(name="Hill Top School").dr_consent == Party.Consent.YES
    assert client.get(url(tokens["Olive Grant"][:-2] + "zz")).status_code == 404
    assert client.get(url(tokens["Olive Grant"])).status_code == 200


def _arranged_dr_case(personas, *, authority_party: bool, hour: int, link: str = "") -> Case:
    from sendmediation.meetings import services as meetings
    from sendmediation.meetings.tests.conftest import dr_case, soon

    case = dr_case(personas, officer=authority_party)
    meetings.arrange_meeting(
        actor=personas.coordinator,
        case=case,
        starts_at=soon(14, hour=hour),
        minutes=60,
        format="online",
        online_link=link or f"https://meet.example/{case.reference.lower()}",
        mediator=personas.mediator,
    )
    case.refresh_from_db()
    return case


def test_the_family_link_shows_its_own_meeting_link_and_no_other_case(personas):
    ours = _arranged_dr_case(personas, authority_party=True, hour=10, link="https://meet.example/ours")
    theirs = _arranged_dr_case(personas, authority_party=True, hour=14, link="https://meet.example/theirs")
    client = Client()
    page = client.get(reverse("cases_public:family_case", args=[family_token(ours)])).content.decode()
    assert "https://meet.example/ours" in page and ours.reference in page
    assert "https://meet.example/theirs" not in page and theirs.reference not in page
    other = client.get(reverse("cases_public:family_case", args=[family_token(theirs)])).content.decode()
    assert "https://meet.example/ours" not in other and ours.reference not in other
    # The family's agreement download reaches only a signed agreement of its own case.
    assert (
        client.get(reverse("agreements_public:family_agreement", args=[family_token(theirs)])).status_code
        == 404
    )


def test_an_officer_sees_a_meeting_in_my_work_only_on_a_case_the_authority_takes_part_in(personas):
    taking_part = _arranged_dr_case(personas, authority_party=True, hour=10)
    not_a_party = _arranged_dr_case(personas, authority_party=False, hour=14)
    pages = {}
    for who in ("la_officer", "other_la_officer", "manager"):
        client = Client()
        client.force_login(getattr(personas, who))
        pages[who] = client.get(reverse("cases:my_work")).content.decode()
    assert taking_part.reference in pages["la_officer"]
    assert not_a_party.reference not in pages["la_officer"]
    assert taking_part.reference not in pages["other_la_officer"]
    assert not_a_party.reference not in pages["other_la_officer"]
    assert taking_part.reference in pages["manager"] and not_a_party.reference in pages["manager"]
