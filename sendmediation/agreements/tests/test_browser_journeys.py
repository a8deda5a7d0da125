"""From a meeting arranged to a signed agreement in everybody's inbox, through the pages, checked with axe.

Two journeys, as each person would take them:

- mediation: the coordinator arranges the meeting at the venue nearest the family, the mediator
  records it held, writes down the agreement and sends it for signature; the family, the local
  authority's representative and the mediator each sign through their own link; the outbox runs
  against a real SMTP server and everybody's copy is delivered;
- disagreement resolution: the coordinator asks for consent, the school and the authority answer
  through their links and the family by phone, then the same meeting and agreement steps follow,
  with the school signing too.

The family's pages (their case page, the signing page) and the organisations' consent page are
opened with JavaScript on and off, and the family's at 320 px.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sendmediation.agreements.models import Agreement
from sendmediation.cases import services
from sendmediation.cases.models import Case, Party
from sendmediation.cases.tests.builders import open_case
from sendmediation.cases.tests.test_browser import sign_in, sign_out
from sendmediation.meetings.models import Meeting, Room, Venue
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.services import send_due_messages
from sendmediation.notifications.tests.conftest import SmtpServer
from sendmediation.statutory.services import base_calendar
from sendmediation.testing.outbox import link_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAMILY = "Sarah Khan"
OFFICER = "Sam Lee"
OFFICER_EMAIL = "sam.lee@westminster.example"
SCHOOL_EMAIL = "head@hilltop.example.org"


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def mail_server() -> Iterator[SmtpServer]:
    """A real SMTP server on loopback. Emails wait in the outbox until the test runs it, as the
    sending worker would, so the case page can be seen before and after the copies go."""
    server = SmtpServer()
    server.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=server.port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=5,
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
    ):
        yield server
    server.stop()


# --- setting the scene through the services ------------------------------------------------------


def _venues() -> None:
    """The family lives at SW1A 1AA: one venue a walk away, one across London, one in Kent."""
    far = Venue.objects.create(name="Far Centre", address="County Hall\nMaidstone", postcode="ME14 1XQ")
    Room.objects.create(venue=far, name="Council Chamber")
    near = Venue.objects.create(
        name="Near Hall",
        address="1 Broadway\nLondon",
        postcode="SW1H 0ET",
        step_free=True,
        access_notes="Step-free entrance on Tothill Street. Hearing loop in the Garden Room.",
    )
    Room.objects.create(venue=near, name="Garden Room")
    Venue.objects.create(name="Middle House", address="2 Praed Street\nLondon", postcode="W2 1NY")


def _assign(personas: Any, case: Case) -> None:
    services.assign(
        actor=personas.coordinator,
        case=case,
        coordinator=personas.coordinator,
        adviser=personas.adviser,
        mediator=personas.mediator,
    )


def _add_officer(personas: Any, case: Case) -> Party:
    return services.add_party(
        actor=personas.coordinator,
        case=case,
        role=Party.Role.LA_OFFICER,
        name=OFFICER,
        organisation="Westminster SEND team",
        email=OFFICER_EMAIL,
        has_authority_to_settle=True,
    )


def _authority_told_this_week(personas: Any) -> Case:
    """A mediation case whose authority was told yesterday, with its representative and mediator.

    Not ``case_in(personas, Status.LA_NOTIFIED)``: that case asked for mediation in October 2026,
    and the meeting pages check against the real clock, so the 30 days it must be held in would
    already have run out. This is the same route through the same services, a week ago to today."""
    now = timezone.now()
    today = timezone.localdate()
    case = open_case(
        personas,
        decision_letter_sent=today - datetime.timedelta(days=14),
        received_on=today - datetime.timedelta(days=7),
    )
    services.triage(actor=personas.coordinator, case=case)
    services.book_advice(
        actor=personas.coordinator,
        case=case,
        adviser=personas.adviser,
        booked_for=now - datetime.timedelta(days=3),
        now=now - datetime.timedelta(days=6),
    )
    services.record_advice_outcome(
        actor=personas.adviser,
        case=case,
        outcome="wants_mediation",
        held_at=now - datetime.timedelta(days=3),
        calendar=base_calendar(),
    )
    services.notify_la(
        actor=personas.coordinator,
        case=case,
        notified_on=today - datetime.timedelta(days=1),
        how="email",
        person="Sam Lee, SEND team",
    )
    _assign(personas, case)
    _add_officer(personas, case)
    case.refresh_from_db()
    assert case.status == Case.Status.LA_NOTIFIED
    return case


def _disagreement(personas: Any) -> Case:
    """A disagreement resolution case, triaged, with the authority's officer and the school as parties."""
    case = open_case(personas, kind=Case.Kind.DISAGREEMENT_RESOLUTION)
    services.triage(actor=personas.coordinator, case=case)
    _assign(personas, case)
    _add_officer(personas, case)
    services.add_party(
        actor=personas.coordinator,
        case=case,
        role=Party.Role.EDUCATION_PROVIDER,
        name="Jo Head",
        organisation="Hill Top School",
        email=SCHOOL_EMAIL,
    )
    case.refresh_from_db()
    assert case.status == Case.Status.TRIAGED
    return case


# --- reading the outbox --------------------------------------------------------------------------


def _link(live_server: Any, template: str, to: str, key: str, received: Any = None) -> str:
    """The link in the newest email of this kind to this person, on the test's server: from the
    outbox while it waits, from the copy the mail server ``received`` once it has gone."""
    message = OutboxMessage.objects.filter(template=template, recipients=[to]).latest("id")
    return live_server.url + urlsplit(link_in(message, key, received=received)).path


def _fill_date(page: Any, prefix: str, when: datetime.date) -> None:
    page.locator(f"#{prefix}-day").fill(str(when.day))
    page.locator(f"#{prefix}-month").fill(str(when.month))
    page.locator(f"#{prefix}-year").fill(str(when.year))


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _family_sees_the_meeting(tabs: list[Any], url: str, assert_accessible: Any) -> None:
    """The family's own page, from the link in the email that opened their case, shows the meeting."""
    for tab in tabs:
        tab.goto(url)
        assert tab.get_by_role("heading", name="Your meeting").is_visible()
        assert tab.get_by_text("Near Hall").is_visible()
        assert tab.get_by_text("Step-free access.").is_visible()
        off = "without JavaScript" if tab.javascript_off else "with JavaScript"
        assert_accessible(tab, label=f"the family's page with their meeting, {off}")
        _fits(tab, tab.viewport_size["width"])


def _fits(page: Any, width: int = 320) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


# --- the steps both journeys share ---------------------------------------------------------------


def _arrange(page: Any, case_url: str, when: datetime.datetime, assert_accessible: Any) -> None:
    """The coordinator arranges the meeting in person at the venue nearest the family."""
    page.get_by_role("link", name="Arrange the meeting").first.click()
    assert_accessible(page, label="arrange a meeting")
    venues = page.locator("input[name=venue] + label")
    assert [re.sub(r",.*", "", text) for text in venues.all_inner_texts()] == [
        "Near Hall",
        "Middle House",
        "Far Centre",
    ]
    assert "step-free access" in venues.first.inner_text()
    page.get_by_label("Day", exact=True).fill(str(when.day))
    page.get_by_label("Month", exact=True).fill(str(when.month))
    page.get_by_label("Year", exact=True).fill(str(when.year))
    page.get_by_label("Start time").fill(when.strftime("%H:%M"))
    page.get_by_label("In person").check()
    page.locator("input[name=venue]").first.check()
    page.get_by_label("Mediator").select_option(label="Mina Patel")
    page.get_by_role("button", name="Arrange the meeting").click()
    page.wait_for_url(re.compile(rf".*{case_url}$"))
    assert page.get_by_role("alert").get_by_text("Meeting arranged").is_visible()
    assert page.get_by_text("Confirmed").first.is_visible()
    assert page.get_by_text("Step-free entrance on Tothill Street").is_visible()
    assert_accessible(page, label="a case with a meeting arranged")


def _the_day_comes(case: Case) -> None:
    """The meeting's day comes. The pages read the real clock and a meeting can only be arranged
    for a time still to come with notice given, so the test cannot wait for it: the stored times
    move to this morning instead, as if the days had passed. Arranging at short notice for a
    minute ahead would also change what the journey is about (notice the family agreed to shorten)
    and still make the test wait."""
    meeting = Meeting.objects.get(case=case, status__in=Meeting.ARRANGED_STATUSES)
    starts = timezone.now() - datetime.timedelta(hours=3)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=meeting.minutes)
    )


def _record_held(page: Any, case_url: str, assert_accessible: Any) -> None:
    """The mediator records who came and that everything was agreed."""
    page.get_by_role("link", name="Record that the meeting was held").first.click()
    assert_accessible(page, label="record the meeting held")
    page.get_by_role("button", name="Record that the meeting was held").click()
    assert (
        page.locator(".govuk-error-summary").get_by_text("Choose what was agreed at the meeting").is_visible()
    )
    assert_accessible(page, label="record the meeting held, with an error")
    page.get_by_label("Agreement on everything").check()
    page.get_by_role("group", name="Did someone from the local authority attend?").get_by_label("Yes").check()
    page.get_by_role("group", name="Did they have authority to settle?").get_by_label("Yes").check()
    page.get_by_label("How long did it take, in minutes? (optional)").fill("160")
    page.get_by_role("button", name="Record that the meeting was held").click()
    page.wait_for_url(re.compile(rf".*{case_url}$"))
    assert page.get_by_role("alert").get_by_text("Recorded that the meeting was held").is_visible()
    assert_accessible(page, label="a case whose meeting was held")


def _write_agreement(
    page: Any, case_url: str, items: list[tuple[str, str, datetime.date | None]], assert_accessible: Any
) -> None:
    page.get_by_role("link", name="Write down the agreement").first.click()
    assert_accessible(page, label="write down the agreement")
    # A date that is not a real one is refused, in words, and what was typed stays.
    page.locator("#item-0-what").fill(items[0][0])
    page.locator("#item-0-who").fill(items[0][1])
    page.locator("#item-0-by-day").fill("31")
    page.locator("#item-0-by-month").fill("2")
    page.locator("#item-0-by-year").fill("2027")
    page.get_by_role("button", name="Save the agreement").click()
    assert page.locator(".govuk-error-summary").get_by_text("Item 1: Enter a real date").is_visible()
    assert page.locator("#item-0-by-error").get_by_text("Enter a real date").is_visible()  # and beside it
    assert page.locator("#item-0-what").input_value() == items[0][0]
    assert_accessible(page, label="write down the agreement, with an error")
    for index, (what, who, by) in enumerate(items):
        page.locator(f"#item-{index}-what").fill(what)
        page.locator(f"#item-{index}-who").fill(who)
        if by is not None:
            _fill_date(page, f"item-{index}-by", by)
    page.get_by_role("button", name="Save the agreement").click()
    page.wait_for_url(re.compile(rf".*{case_url}$"))
    assert page.get_by_role("alert").get_by_text("Agreement saved").is_visible()
    for what, _, _ in items:
        assert page.get_by_text(what).is_visible()
    assert_accessible(page, label="a case with an agreement written down")


def _send(page: Any, case_url: str, names: list[str], assert_accessible: Any) -> None:
    page.get_by_role("link", name="Send the agreement for signature").first.click()
    for name in names:
        assert page.get_by_role("listitem").filter(has_text=name).is_visible()
    assert_accessible(page, label="send the agreement for signature")
    page.get_by_role("button", name="Send for signature").click()
    page.wait_for_url(re.compile(rf".*{case_url}$"))
    assert page.get_by_role("alert").get_by_text("Agreement sent for signature").is_visible()
    for name in names:
        assert page.get_by_role("listitem").filter(has_text=name).get_by_text("waiting").is_visible()
    assert_accessible(page, label="an agreement sent for signature")


def _sign(page: Any, url: str, name: str, assert_accessible: Any, *, label: str, last: bool = False) -> None:
    """Someone opens their own link, reads what was agreed and signs with their full name."""
    page.goto(url)
    assert page.get_by_role("heading", name="Sign the mediation agreement").is_visible()
    assert page.get_by_text(f"{name}, you are asked to sign").is_visible()
    assert (
        page.get_by_role("link", name=re.compile(r"^[\d ]+$")).first.get_attribute("href").startswith("tel:")
    )
    assert_accessible(page, label=f"the signing page: {label}")
    page.get_by_label("Your full name").fill(name)
    page.get_by_role("button", name="Sign the agreement").click()
    # Signing needs the box ticked: the error says so and keeps the name.
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_label("Your full name").input_value() == name
    assert_accessible(page, label=f"the signing page with an error: {label}")
    page.get_by_label("I have read the agreement and I agree to it").check()
    page.get_by_role("button", name="Sign the agreement").click()
    assert page.get_by_role("heading", name="You have signed the agreement").is_visible()
    if last:
        assert page.get_by_text("Everybody has now signed. We are emailing you a copy").is_visible()
    else:
        assert page.get_by_text("When everybody has signed, we will email you a copy").is_visible()
    assert_accessible(page, label=f"signed: {label}")


def _used_link(page: Any, url: str, assert_accessible: Any, *, label: str) -> None:
    page.goto(url)
    assert page.get_by_role("heading", name="You have already signed").is_visible()
    assert not page.get_by_role("button", name="Sign the agreement").count()
    assert (
        page.get_by_role("link", name=re.compile(r"^[\d ]+$")).first.get_attribute("href").startswith("tel:")
    )
    assert_accessible(page, label=f"a signing link already used: {label}")


def _copies_delivered(
    page: Any,
    live_server: Any,
    mail_server: SmtpServer,
    case: Case,
    signatories: dict[str, str],
    assert_accessible: Any,
) -> None:
    """The copies wait in the outbox until it runs; then each is delivered and the case page says so."""
    names, emails, reference = list(signatories), list(signatories.values()), case.reference
    page.goto(live_server.url + reverse("cases:case_detail", args=[reference]))
    for name in names:
        assert page.get_by_text(re.compile(rf"Copy sent to {name} on .*, not delivered yet")).is_visible()
    assert_accessible(page, label="a signed agreement whose copies are waiting")
    report = send_due_messages()
    assert report.failed == 0 and report.waiting == 0
    subject = f"Your copy of the signed mediation agreement (reference {reference})"
    copies = [m for m in mail_server.messages if m["Subject"] == subject]
    assert sorted(str(m["To"]) for m in copies) == sorted(emails)
    for received in copies:
        [attachment] = list(received.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_content()[:5] == b"%PDF-"
    page.reload()
    for name in names:
        assert page.get_by_text(re.compile(rf"Copy sent to {name} on .*, delivered ")).is_visible()
    assert_accessible(page, label="a signed agreement whose copies were delivered")


def _family_download(page: Any, url: str, assert_accessible: Any, *, label: str) -> None:
    """The family's own page offers the signed agreement, as a PDF to keep."""
    page.goto(url)
    link = page.get_by_role("link", name="Download the signed agreement (PDF)")
    assert link.is_visible()
    assert_accessible(page, label=f"the family's page with the signed agreement: {label}")
    response = page.request.get(urljoin(page.url, link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"


# --- the journeys --------------------------------------------------------------------------------


def test_a_mediation_goes_from_the_authority_told_to_three_signatures_and_copies_delivered(
    live_server, page, page_without_js, phone_page, personas, mail_server, assert_accessible
):
    _venues()
    case = _authority_told_this_week(personas)
    case_url = reverse("cases:case_detail", args=[case.reference])
    when = timezone.make_aware(datetime.datetime.combine(days(14), datetime.time(10, 0)))

    # The coordinator arranges the meeting, nearest venue first, in good time.
    sign_in(page, live_server, "cora", case_url)
    _arrange(page, case_url, when, assert_accessible)
    sign_out(page)
    family_page = _link(live_server, "case_opened", personas.parent.email, "case_link")
    _family_sees_the_meeting([page_without_js, phone_page], family_page, assert_accessible)

    _the_day_comes(case)

    # The mediator records it held, writes down what was agreed and sends it for signature.
    sign_in(page, live_server, "mina", case_url)
    _record_held(page, case_url, assert_accessible)
    _write_agreement(
        page,
        case_url,
        [
            ("Carry out an EHC needs assessment", "Westminster local authority", days(42)),
            ("Share the school's reports with the authority", "The parent", days(7)),
        ],
        assert_accessible,
    )
    signatories = {
        FAMILY: personas.parent.email,
        OFFICER: OFFICER_EMAIL,
        "Mina Patel": personas.mediator.email,
    }
    _send(page, case_url, list(signatories), assert_accessible)
    sign_out(page)

    # Each signs through their own link from their email: the family at home without JavaScript.
    family_url = _link(live_server, "agreement_signature_request", personas.parent.email, "sign_link")
    officer_url = _link(live_server, "agreement_signature_request", OFFICER_EMAIL, "sign_link")
    mediator_url = _link(live_server, "agreement_signature_request", personas.mediator.email, "sign_link")
    assert len({family_url, officer_url, mediator_url}) == 3
    _sign(page_without_js, family_url, FAMILY, assert_accessible, label="the family, without JavaScript")
    # On the phone later, with JavaScript: the link has done its job.
    _used_link(phone_page, family_url, assert_accessible, label="the family at 320 px")
    _fits(phone_page)
    _sign(page, mediator_url, "Mina Patel", assert_accessible, label="the mediator")
    _sign(page, officer_url, OFFICER, assert_accessible, label="the authority's representative", last=True)
    assert Agreement.objects.get(case=case).status == Agreement.Status.SIGNED

    # The outbox runs: everybody's copy is delivered, and the case page says so.
    sign_in(page, live_server, "cora", case_url)
    _copies_delivered(page, live_server, mail_server, case, signatories, assert_accessible)

    # The family's page, from the link in their copy's email, offers the signed agreement.
    case_link = _link(
        live_server, "agreement_signed_copy", personas.parent.email, "case_link", mail_server.messages
    )
    _family_download(page_without_js, case_link, assert_accessible, label="without JavaScript")
    _family_download(phone_page, case_link, assert_accessible, label="at 320 px")
    _fits(phone_page)


def test_a_disagreement_goes_from_consent_to_a_signed_agreement(
    live_server, page, page_without_js, phone_page, personas, mail_server, assert_accessible
):
    _venues()
    case = _disagreement(personas)
    case_url = reverse("cases:case_detail", args=[case.reference])

    # The coordinator asks everybody to agree to disagreement resolution.
    sign_in(page, live_server, "cora", case_url)
    page.get_by_role("link", name="Ask the parties to agree to disagreement resolution").first.click()
    assert_accessible(page, label="ask for consent")
    page.get_by_role("button", name="Ask for consent").click()
    page.wait_for_url(re.compile(rf".*{case_url}$"))
    assert_accessible(page, label="a case waiting for consent")

    # The school answers through its link without JavaScript; the authority with it.
    school_url = _link(live_server, "dr_consent_request", SCHOOL_EMAIL, "link")
    officer_url = _link(live_server, "dr_consent_request", OFFICER_EMAIL, "link")
    for tab, url, label in (
        (page_without_js, school_url, "the school, without JavaScript"),
        (phone_page, officer_url, "the authority, at 320 px"),
    ):
        tab.goto(url)
        assert tab.get_by_role("heading", name="Do you agree to disagreement resolution?").is_visible()
        assert_accessible(tab, label=f"the consent page: {label}")
        tab.get_by_role("button", name="Send your answer").click()
        assert tab.locator(".govuk-error-summary").get_by_text("Choose whether you agree").is_visible()
        assert_accessible(tab, label=f"the consent page with an error: {label}")
        tab.get_by_label("Yes, we agree").check()
        tab.get_by_role("button", name="Send your answer").click()
        assert tab.get_by_role("heading", name="We have your answer").is_visible()
        assert_accessible(tab, label=f"the answer received: {label}")
    _fits(phone_page)

    # The family said yes on the phone; the coordinator records it.
    page.reload()
    page.get_by_role("link", name="Record a party's answer").first.click()
    assert_accessible(page, label="record a party's answer")
    whose = page.get_by_label("Whose answer is it?")
    whose.select_option(whose.locator("option", has_text=FAMILY).get_attribute("value"))
    page.get_by_label("Yes, they agreed").check()
    page.get_by_label("Who gave the answer?").fill("Sarah Khan, the parent")
    page.get_by_label("Phone", exact=True).check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf".*{case_url}$"))
    case.refresh_from_db()
    assert case.status == Case.Status.CONSENT_GIVEN
    assert_accessible(page, label="a case everyone agreed to")

    # The meeting: arranged, then held.
    when = timezone.make_aware(datetime.datetime.combine(days(14), datetime.time(13, 30)))
    _arrange(page, case_url, when, assert_accessible)
    sign_out(page)
    family_page = _link(live_server, "case_opened", personas.parent.email, "case_link")
    _family_sees_the_meeting([phone_page, page_without_js], family_page, assert_accessible)
    _the_day_comes(case)
    sign_in(page, live_server, "mina", case_url)
    _record_held(page, case_url, assert_accessible)
    _write_agreement(
        page,
        case_url,
        [
            ("Give Amir a quiet room at lunchtimes", "Hill Top School", days(14)),
            ("Review the support plan with the family", "Hill Top School", days(56)),
            ("Tell the school about the new speech therapist", "The parent", None),
        ],
        assert_accessible,
    )
    signatories = {
        FAMILY: personas.parent.email,
        OFFICER: OFFICER_EMAIL,
        "Jo Head": SCHOOL_EMAIL,
        "Mina Patel": personas.mediator.email,
    }
    _send(page, case_url, list(signatories), assert_accessible)
    sign_out(page)

    # Everybody signs: the family on a phone with JavaScript, the rest at their desks.
    links = {
        name: _link(live_server, "agreement_signature_request", email, "sign_link")
        for name, email in signatories.items()
    }
    assert len(set(links.values())) == 4
    _sign(phone_page, links[FAMILY], FAMILY, assert_accessible, label="the family at 320 px")
    _fits(phone_page)
    _used_link(page_without_js, links[FAMILY], assert_accessible, label="the family, without JavaScript")
    for name in (OFFICER, "Jo Head", "Mina Patel"):
        _sign(page, links[name], name, assert_accessible, label=name, last=name == "Mina Patel")
    assert Agreement.objects.get(case=case).status == Agreement.Status.SIGNED

    sign_in(page, live_server, "cora", case_url)
    _copies_delivered(page, live_server, mail_server, case, signatories, assert_accessible)
    case_link = _link(
        live_server, "agreement_signed_copy", personas.parent.email, "case_link", mail_server.messages
    )
    _family_download(phone_page, case_link, assert_accessible, label="at 320 px")
    _family_download(page_without_js, case_link, assert_accessible, label="without JavaScript")
