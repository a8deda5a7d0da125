"""The family's link is stopped, and a new one sent, through the case's front doors; a link that no
longer works gets a plain page saying whom to contact."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from config.brand import brand
from sendmediation.accounts.tokens import create_api_token
from sendmediation.cases import services
from sendmediation.cases.errors import InvalidChange
from sendmediation.cases.family import family_token
from sendmediation.cases.models import Case, CaseEvent, Party
from sendmediation.cases.tests.builders import case_in
from sendmediation.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

Status = Case.Status


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


def _family_pages(token: str, certificate: str) -> dict[str, tuple[str, str]]:
    return {
        "page": ("get", reverse("cases_public:family_case", args=[token])),
        "certificate": ("get", reverse("cases_public:family_certificate", args=[token, certificate])),
        "ask": ("post", reverse("cases_public:family_ask_for_certificate", args=[token])),
    }


def _says_it_no_longer_works(response) -> None:
    html = response.content.decode()
    assert "This link no longer works" in html
    assert brand()["phone"] in html and f'href="tel:{brand()["phone"].replace(" ", "")}"' in html
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_a_stopped_link_is_refused_on_every_family_page_with_a_plain_page(personas):
    case = case_in(personas, Status.CERTIFICATE_ISSUED)
    old = family_token(case)
    number = case.certificates.get().number
    assert Client().get(reverse("cases_public:family_case", args=[old])).status_code == 200

    response = _page(personas.coordinator, case, "revoke_family_link", {"reason": "The email was forwarded"})

    assert response.status_code == 302
    case.refresh_from_db()
    for name, (method, url) in _family_pages(old, number).items():
        refused = getattr(Client(), method)(url)
        assert refused.status_code == 410, name
        _says_it_no_longer_works(refused)
    # Nothing was asked for through the dead link.
    assert not case.events.filter(kind=CaseEvent.Kind.CERTIFICATE_ASKED).exists()
    event = case.events.get(kind=CaseEvent.Kind.FAMILY_LINK_REVOKED)
    assert event.actor == personas.coordinator
    assert event.data == {"reason": "The email was forwarded"}
    # Stopping sends nothing.
    assert not OutboxMessage.objects.filter(template="family_link_reissued").exists()


def test_a_new_link_is_emailed_to_each_family_contact_and_only_the_new_one_works(personas):
    case = case_in(personas, Status.ADVICE_GIVEN)
    services.add_party(
        actor=personas.coordinator,
        case=case,
        role=Party.Role.YOUNG_PERSON,
        name="Amir Khan",
        email="amir@example.org",
    )
    services.add_party(actor=personas.coordinator, case=case, role=Party.Role.PARENT, name="No email")
    services.add_party(
        actor=personas.coordinator,
        case=case,
        role=Party.Role.SUPPORTER,
        name="An advocate",
        email="a@example.org",
    )
    old = family_token(case)

    response = _api(personas.manager, case, "reissue_family_link", {"reason": "The parent asked by phone"})

    assert response.status_code == 200, response.content
    case.refresh_from_db()
    new = family_token(case)
    assert new != old
    assert Client().get(reverse("cases_public:family_case", args=[old])).status_code == 410
    assert Client().get(reverse("cases_public:family_case", args=[new])).status_code == 200
    sent = OutboxMessage.objects.filter(template="family_link_reissued").order_by("id")
    assert [message.recipients for message in sent] == [[personas.parent.email], ["amir@example.org"]]
    # Each email's own link (signed at its own moment) opens the case.
    for message in sent:
        emailed = message.context["case_link"].rstrip("/").rsplit("/", 1)[-1]
        assert Client().get(reverse("cases_public:family_case", args=[emailed])).status_code == 200
    family = list(case.parties.filter(role__in=Party.FAMILY_ROLES).exclude(email="").order_by("id"))
    revoked, reissued = (
        case.events.get(kind=CaseEvent.Kind.FAMILY_LINK_REVOKED),
        case.events.get(kind=CaseEvent.Kind.FAMILY_LINK_REISSUED),
    )
    assert revoked.data == {"reason": "The parent asked by phone"}
    # Ids only: no address, name, key or link on the history.
    assert reissued.data == {"sent_to": [party.pk for party in family]}
    history = json.dumps([revoked.data, reissued.data])
    assert new not in history and old not in history and "@" not in history


def test_withdrawing_a_case_stops_its_link(personas):
    case = case_in(personas, Status.LA_NOTIFIED)
    old = family_token(case)

    services.withdraw_case(actor=personas.adviser, case=case, reason="The family asked us to stop")

    refused = Client().get(reverse("cases_public:family_case", args=[old]))
    assert refused.status_code == 410
    _says_it_no_longer_works(refused)
    assert case.events.get(kind=CaseEvent.Kind.WITHDRAWN).data["family_link_stopped"] is True
    # Reopened, the family needs a new link: the old one stays stopped until staff send one.
    services.reopen_case(actor=personas.coordinator, case=case, reason="The family called back")
    assert Client().get(reverse("cases_public:family_case", args=[old])).status_code == 410
    services.reissue_family_link(actor=personas.coordinator, case=case, reason="Reopened")
    case.refresh_from_db()
    assert Client().get(reverse("cases_public:family_case", args=[family_token(case)])).status_code == 200


def test_a_link_that_never_worked_or_ran_out_gets_the_plain_page(personas, settings):
    case = case_in(personas, Status.TRIAGED)
    forged = Client().get(reverse("cases_public:family_case", args=["not-a-real-link"]))
    assert forged.status_code == 404
    assert "This link does not work" in forged.content.decode()
    assert brand()["phone"] in forged.content.decode()

    token = family_token(case)
    settings.FAMILY_LINK_DAYS = -1
    expired = Client().get(reverse("cases_public:family_case", args=[token]))
    assert expired.status_code == 410
    assert "This link has expired" in expired.content.decode()


def test_a_new_link_needs_an_email_address_and_a_reason(personas):
    case = case_in(personas, Status.TRIAGED)
    key = case.family_access_key
    Party.objects.filter(case=case).update(email="")

    with pytest.raises(InvalidChange, match="no email address"):
        services.reissue_family_link(actor=personas.coordinator, case=case, reason="Asked")
    with pytest.raises(InvalidChange, match="Enter why"):
        services.revoke_family_link(actor=personas.coordinator, case=case, reason="  ")
    refused = _page(personas.coordinator, case, "reissue_family_link", {"reason": "Asked"})
    assert refused.status_code == 200 and "no email address" in refused.content.decode()

    case.refresh_from_db()
    assert case.family_access_key == key
    assert not case.events.filter(
        kind__in=[CaseEvent.Kind.FAMILY_LINK_REVOKED, CaseEvent.Kind.FAMILY_LINK_REISSUED]
    ).exists()


@pytest.mark.parametrize("who", ["adviser", "mediator", "la_officer"])
def test_only_those_who_run_the_case_stop_or_send_the_link(personas, who):
    case = case_in(personas, Status.LA_NOTIFIED)
    services.assign(
        actor=personas.manager,
        case=case,
        coordinator=None,
        adviser=personas.adviser,
        mediator=personas.mediator,
    )
    key = case.family_access_key
    for action in ("revoke_family_link", "reissue_family_link"):
        assert _page(getattr(personas, who), case, action, {"reason": "Why"}).status_code == 403
        assert _api(getattr(personas, who), case, action, {"reason": "Why"}).status_code == 403
    case.refresh_from_db()
    assert case.family_access_key == key


def test_the_case_page_offers_both_actions_and_their_page_says_what_happens(personas):
    case = case_in(personas, Status.TRIAGED)
    client = Client()
    client.force_login(personas.coordinator)

    page = client.get(reverse("cases:case_detail", args=[case.reference])).content.decode()
    assert "Stop the family&#x27;s link" in page and "Send the family a new link" in page
    form = client.get(reverse("cases:case_action", args=[case.reference, "reissue_family_link"]))
    assert form.status_code == 200
    assert "no-store" in form["Cache-Control"]
    assert "Every link sent so far stops working at once" in form.content.decode()
