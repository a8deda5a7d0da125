"""Disagreement resolution consent: each organisation's link, staff answers by phone, one refusal
ending the route with the family told what to do next, and never a certificate."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from sendmediation.accounts.tokens import create_api_token
from sendmediation.cases import services
from sendmediation.cases.errors import InvalidChange, TransitionNotAllowed
from sendmediation.cases.family import family_token
from sendmediation.cases.models import Case, CaseEvent, ConsentRequest, Party
from sendmediation.cases.services.resolution import (
    ConsentLinkProblem,
    answer_dr_consent,
    token_hash,
)
from sendmediation.cases.tests.builders import case_in, open_case
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.services import render_message
from sendmediation.testing.outbox import link_in

Status = Case.Status

pytestmark = pytest.mark.django_db


def _asked(personas: Any, **changes: Any) -> Case:
    """A disagreement resolution case whose consent is being asked for: the family, the authority
    and a school (both with email), and a health commissioner with no email."""
    case = open_case(personas, kind=Case.Kind.DISAGREEMENT_RESOLUTION, **changes)
    services.triage(actor=personas.coordinator, case=case)
    for role, name, organisation, email in (
        (Party.Role.LA_OFFICER, "Sam Lee", "Westminster SEND team", "sam.lee@example.gov.uk"),
        (Party.Role.EDUCATION_PROVIDER, "Jo Head", "Hill Top School", "head@hilltop.example.org"),
        (Party.Role.HEALTH_COMMISSIONER, "Ade Okafor", "North West London ICB", ""),
    ):
        services.add_party(
            actor=personas.coordinator,
            case=case,
            role=role,
            name=name,
            organisation=organisation,
            email=email,
        )
    services.seek_dr_consent(actor=personas.coordinator, case=case)
    case.refresh_from_db()
    return case


def _party(case: Case, role: str) -> Party:
    return case.parties.get(role=role)


def _token(party: Party) -> str:
    """The token from the newest link emailed to this party."""
    message = OutboxMessage.objects.filter(template="dr_consent_request", recipients=[party.email]).latest(
        "id"
    )
    return link_in(message, "link").rstrip("/").rsplit("/", 1)[-1]


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user: Any, case: Case, action: str, body: dict[str, Any]) -> Any:
    _, token = create_api_token(user=user)
    return Client().post(
        f"/api/v1/cases/{case.reference}/actions/{action}",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def _answer_everyone_else(personas: Any, case: Case) -> None:
    services.record_dr_consent(
        actor=personas.coordinator,
        case=case,
        party=_party(case, Party.Role.PARENT),
        consent="yes",
        answered_by="Sarah Khan",
        how="phone",
    )
    services.record_dr_consent(
        actor=personas.coordinator,
        case=case,
        party=_party(case, Party.Role.HEALTH_COMMISSIONER),
        consent="yes",
        answered_by="Ade Okafor, commissioning manager",
        how="email",
    )


# --- the links ------------------------------------------------------------------------------------


@override_settings(DR_CONSENT_LINK_DAYS=10)
def test_each_organisation_with_email_gets_a_link_and_the_family_does_not(personas):
    before = timezone.now()
    case = _asked(personas)

    emails = OutboxMessage.objects.filter(template="dr_consent_request")
    assert sorted(address for message in emails for address in message.recipients) == [
        "head@hilltop.example.org",
        "sam.lee@example.gov.uk",
    ]
    assert not emails.filter(recipients=[personas.parent.email]).exists()
    requests = ConsentRequest.objects.filter(party__case=case)
    assert sorted(request.party.role for request in requests) == ["education_provider", "la_officer"]
    for request in requests:
        assert len(request.token_hash) == 64
        assert request.token_hash == token_hash(_token(request.party))
        assert request.expires_at - request.sent_at == datetime.timedelta(days=10)
        assert request.sent_at >= before
    # The history names the role and row, never a name or an address.
    events = case.events.filter(kind=CaseEvent.Kind.DR_CONSENT_LINK_SENT)
    assert sorted(event.data["party_role"] for event in events) == ["education_provider", "la_officer"]
    for event in events:
        assert event.data["party_id"] in {request.party_id for request in requests}
        assert not any(word in str(event.data) for word in ("Sam", "Hill Top", "@", "Jo Head"))

    # The family and the commissioner without email are listed to ask by phone.
    page = _signed_in(personas.coordinator).get(reverse("cases:case_detail", args=[case.reference]))
    assert [party.role for party in page.context["ask_by_phone"]] == ["parent", "health_commissioner"]
    assert "Ask by phone" in page.content.decode()


def test_a_party_added_while_consent_is_pending_gets_a_link_too(personas):
    case = _asked(personas)
    services.add_party(
        actor=personas.coordinator,
        case=case,
        role=Party.Role.EDUCATION_PROVIDER,
        name="Ray Dean",
        organisation="Riverside College",
        email="send@riverside.example.org",
    )
    services.add_party(
        actor=personas.coordinator,
        case=case,
        role=Party.Role.SUPPORTER,
        name="An advocate",
        email="a@example.org",
    )
    added = case.parties.get(organisation="Riverside College")
    assert added.consent_requests.count() == 1
    assert OutboxMessage.objects.filter(recipients=["send@riverside.example.org"]).exists()
    assert not OutboxMessage.objects.filter(recipients=["a@example.org"]).exists()


def test_everyone_agreeing_through_links_and_by_phone_lets_the_meeting_be_arranged(personas):
    case = _asked(personas)
    _answer_everyone_else(personas, case)
    authority, school = _party(case, Party.Role.LA_OFFICER), _party(case, Party.Role.EDUCATION_PROVIDER)

    answer_dr_consent(token=_token(authority), consent="yes", ip="192.0.2.1")
    case.refresh_from_db()
    assert case.status == Status.CONSENT_PENDING
    answered = answer_dr_consent(token=_token(school), consent="yes", ip="192.0.2.2")

    case.refresh_from_db()
    assert case.status == Status.CONSENT_GIVEN
    assert answered.used_at is not None and str(answered.answered_from) == "192.0.2.2"
    event = case.events.filter(kind=CaseEvent.Kind.DR_CONSENT_RECORDED).latest("id")
    assert event.actor is None
    assert (event.data["via"], event.data["to"], event.data["party_role"]) == (
        "link",
        "consent_given",
        "education_provider",
    )
    school.refresh_from_db()
    assert (school.dr_consent, school.dr_consent_how) == ("yes", "link")


def test_a_link_answers_once(personas):
    case = _asked(personas)
    token = _token(_party(case, Party.Role.LA_OFFICER))
    answer_dr_consent(token=token, consent="yes", ip="192.0.2.1")

    with pytest.raises(ConsentLinkProblem) as again:
        answer_dr_consent(token=token, consent="no", reason="Changed our mind", ip="192.0.2.1")
    assert again.value.problem == ConsentLinkProblem.USED
    assert _party(case, Party.Role.LA_OFFICER).dr_consent == "yes"

    page = Client().get(reverse("cases_public:dr_consent", args=[token]))
    assert page.status_code == 410
    assert f"You have already answered on {timezone.localdate():%-d %B %Y}" in page.content.decode()


def test_an_expired_link_is_refused(personas):
    case = _asked(personas)
    authority = _party(case, Party.Role.LA_OFFICER)
    token = _token(authority)
    later = timezone.now() + datetime.timedelta(days=22)

    with pytest.raises(ConsentLinkProblem) as expired:
        answer_dr_consent(token=token, consent="yes", ip="192.0.2.1", now=later)
    assert expired.value.problem == ConsentLinkProblem.EXPIRED
    authority.refresh_from_db()
    assert authority.dr_consent == "pending"

    ConsentRequest.objects.filter(party=authority).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page = Client().get(reverse("cases_public:dr_consent", args=[token]))
    assert page.status_code == 410
    assert "This link has expired" in page.content.decode()
    unknown = Client().get(reverse("cases_public:dr_consent", args=["not-a-real-token"]))
    assert unknown.status_code == 404
    assert "This link does not work" in unknown.content.decode()


def test_links_are_voided_when_everyone_has_answered(personas):
    case = _asked(personas)
    school_token = _token(_party(case, Party.Role.EDUCATION_PROVIDER))
    # The school declines: the route ends, and the authority's link has nothing left to do.
    authority_token = _token(_party(case, Party.Role.LA_OFFICER))
    answer_dr_consent(token=school_token, consent="no", reason="We are already meeting the family", ip=None)

    case.refresh_from_db()
    assert case.status == Status.CONSENT_REFUSED
    stopped = ConsentRequest.objects.get(token_hash=token_hash(authority_token))
    assert stopped.voided_at is not None
    with pytest.raises(ConsentLinkProblem) as voided:
        answer_dr_consent(token=authority_token, consent="yes", ip=None)
    assert voided.value.problem == ConsentLinkProblem.VOIDED
    assert Client().get(reverse("cases_public:dr_consent", args=[authority_token])).status_code == 410
    # Its email, if not yet sent, is stopped too.
    assert OutboxMessage.objects.get(recipients=["sam.lee@example.gov.uk"]).status == "cancelled"


def test_an_answer_recorded_by_staff_stops_that_partys_link(personas):
    case = _asked(personas)
    authority = _party(case, Party.Role.LA_OFFICER)
    token = _token(authority)
    services.record_dr_consent(
        actor=personas.coordinator,
        case=case,
        party=authority,
        consent="yes",
        answered_by="Sam Lee",
        how="phone",
    )
    with pytest.raises(ConsentLinkProblem) as voided:
        answer_dr_consent(token=token, consent="no", reason="No", ip=None)
    assert voided.value.problem == ConsentLinkProblem.VOIDED


def test_links_are_voided_when_the_case_is_withdrawn(personas):
    case = _asked(personas)
    token = _token(_party(case, Party.Role.LA_OFFICER))
    services.withdraw_case(actor=personas.coordinator, case=case, reason="The family asked us to stop")

    assert not ConsentRequest.objects.filter(party__case=case).outstanding().exists()
    with pytest.raises(ConsentLinkProblem) as voided:
        answer_dr_consent(token=token, consent="yes", ip=None)
    assert voided.value.problem == ConsentLinkProblem.VOIDED


# --- a refusal -----------------------------------------------------------------------------------


def test_a_decline_needs_a_reason_and_ends_the_route_with_the_family_told_what_next(personas):
    case = _asked(personas)
    school = _party(case, Party.Role.EDUCATION_PROVIDER)
    token = _token(school)

    with pytest.raises(InvalidChange) as no_reason:
        answer_dr_consent(token=token, consent="no", reason="  ", ip=None)
    assert no_reason.value.field == "reason"

    answer_dr_consent(
        token=token, consent="no", reason="We have a meeting with the family next week", ip=None
    )

    case.refresh_from_db()
    assert case.status == Status.CONSENT_REFUSED
    school.refresh_from_db()
    assert school.dr_consent_reason == "We have a meeting with the family next week"
    event = case.events.filter(kind=CaseEvent.Kind.DR_CONSENT_RECORDED).latest("id")
    assert "meeting with the family" not in str(event.data)  # the reason stays on the party
    assert event.data["family_emailed"] is True

    email = OutboxMessage.objects.get(template="dr_consent_refused")
    assert email.recipients == [personas.parent.email]
    text = render_message("dr_consent_refused", email.context).text
    for step in ("mediation", "complain", "SENDIASS", "SEND Tribunal", "EHC"):
        assert step in text

    # The family's page says the same.
    page = Client().get(reverse("cases_public:family_case", args=[family_token(case)])).content.decode()
    for step in (
        "What you can do next",
        "ask for mediation",
        "make a complaint",
        "SENDIASS",
        "SEND Tribunal",
    ):
        assert step in page


# --- staff answers -------------------------------------------------------------------------------


def test_a_staff_answer_records_who_gave_it_and_how_and_is_refused_without_them(personas):
    case = _asked(personas)
    health = _party(case, Party.Role.HEALTH_COMMISSIONER)

    with pytest.raises(InvalidChange) as nobody:
        services.record_dr_consent(
            actor=personas.coordinator, case=case, party=health, consent="yes", answered_by=" ", how="phone"
        )
    assert nobody.value.field == "answered_by"
    with pytest.raises(InvalidChange) as no_how:
        services.record_dr_consent(
            actor=personas.coordinator,
            case=case,
            party=health,
            consent="yes",
            answered_by="Ade Okafor",
            how="",
        )
    assert no_how.value.field == "how"
    health.refresh_from_db()
    assert health.dr_consent == "pending"

    # The staff page asks for both.
    url = reverse("cases:case_action", args=[case.reference, "record_dr_consent"])
    client = _signed_in(personas.coordinator)
    refused = client.post(url, {"party": str(health.pk), "consent": "yes"})
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"answered_by", "how"}

    answered = client.post(
        url,
        {
            "party": str(health.pk),
            "consent": "yes",
            "answered_by": "Ade Okafor, commissioning lead",
            "how": "phone",
        },
    )
    assert answered.status_code == 302
    health.refresh_from_db()
    assert (health.dr_consent, health.dr_consent_answered_by, health.dr_consent_how) == (
        "yes",
        "Ade Okafor, commissioning lead",
        "phone",
    )
    event = case.events.filter(kind=CaseEvent.Kind.DR_CONSENT_RECORDED).latest("id")
    assert (event.data["via"], event.data["how"]) == ("staff", "phone")
    assert "Ade" not in str(event.data)


def test_the_api_takes_who_answered_and_how_and_refuses_an_unknown_how(personas):
    case = _asked(personas)
    health = _party(case, Party.Role.HEALTH_COMMISSIONER)

    bad = _api(
        personas.coordinator,
        case,
        "record_dr_consent",
        {"party_id": health.pk, "consent": "yes", "answered_by": "Ade Okafor", "how": "pigeon"},
    )
    assert bad.status_code == 400
    missing = _api(
        personas.coordinator,
        case,
        "record_dr_consent",
        {"party_id": health.pk, "consent": "yes", "how": "phone"},
    )
    assert missing.status_code in (400, 422)
    health.refresh_from_db()
    assert health.dr_consent == "pending"

    ok = _api(
        personas.coordinator,
        case,
        "record_dr_consent",
        {
            "party_id": health.pk,
            "consent": "no",
            "answered_by": "Ade Okafor",
            "how": "letter",
            "reason": "Not now",
        },
    )
    assert ok.status_code == 200, ok.content
    health.refresh_from_db()
    assert (health.dr_consent_answered_by, health.dr_consent_how, health.dr_consent_reason) == (
        "Ade Okafor",
        "letter",
        "Not now",
    )
    # The older call, without who or how, still works.
    other = case_in(personas, Status.CONSENT_PENDING, child_first_name="Zara")
    school = _party(other, Party.Role.EDUCATION_PROVIDER)
    assert (
        _api(
            personas.coordinator, other, "record_dr_consent", {"party_id": school.pk, "consent": "yes"}
        ).status_code
        == 200
    )


# --- the organisation's page ---------------------------------------------------------------------


def test_the_consent_page_shows_the_case_in_the_fewest_words(personas):
    case = _asked(personas)
    school = _party(case, Party.Role.EDUCATION_PROVIDER)
    page = Client().get(reverse("cases_public:dr_consent", args=[_token(school)]))

    assert page.status_code == 200
    html = page.content.decode()
    assert case.reference in html and "Hill Top School" in html and "AK" in html
    assert "What disagreement resolution is" in html
    for personal in ("Sarah", "Khan", "Amir", personas.parent.email, "Sam Lee", "Jo Head", "SW1A", "2017"):
        assert personal not in html
    assert page["Referrer-Policy"] == "same-origin"


def test_declining_on_the_page_without_a_reason_is_refused_then_accepted(personas):
    case = _asked(personas)
    school = _party(case, Party.Role.EDUCATION_PROVIDER)
    url = reverse("cases_public:dr_consent", args=[_token(school)])
    client = Client()

    refused = client.post(url, {"consent": "no", "reason": ""})
    assert refused.status_code == 200
    assert "Tell us why you do not agree" in refused.content.decode()
    school.refresh_from_db()
    assert school.dr_consent == "pending"

    done = client.post(url, {"consent": "no", "reason": "We are already working with the family"})
    assert done.status_code == 200
    assert "We have your answer" in done.content.decode()
    case.refresh_from_db()
    assert case.status == Status.CONSENT_REFUSED


# --- never a certificate -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.CONSENT_PENDING, Status.CONSENT_GIVEN, Status.CONSENT_REFUSED])
def test_disagreement_resolution_never_issues_a_certificate_at_any_door(personas, status):
    case = case_in(personas, status)
    for kind in ("after_advice", "not_arranged", "after_mediation"):
        with pytest.raises(TransitionNotAllowed):
            services.issue_certificate(actor=personas.manager, case=case, kind=kind)
        api = _api(personas.manager, case, "issue_certificate", {"kind": kind})
        assert api.status_code == 409, api.content

    client = _signed_in(personas.manager)
    url = reverse("cases:case_action", args=[case.reference, "issue_certificate"])
    assert client.get(url).context["problem"].startswith("You cannot issue a certificate now")
    assert client.post(url, {"kind": "after_advice"}).status_code == 409
    detail = client.get(reverse("cases:case_detail", args=[case.reference])).content.decode()
    assert "Issue the mediation certificate" not in detail
    assert not case.certificates.exists()

    family = Client().get(reverse("cases_public:family_case", args=[family_token(case)])).content.decode()
    assert "Your mediation certificate" not in family
    assert "/certificates/" not in family
