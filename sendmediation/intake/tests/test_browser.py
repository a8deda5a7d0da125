"""A person asks for help in a real Chromium: every branch, every error, with axe on each page state."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from sendmediation.intake.models import HelpRequest
from sendmediation.intake.tests import files
from sendmediation.intake.tests.journey import letter_sent, today, years_ago
from sendmediation.localities.models import LocalAuthority

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Person:
    """Drives one tab through the journey, checking each page state with axe as it goes."""

    def __init__(self, page, live_server, assert_accessible):
        self.page = page
        self.base = live_server.url
        self._axe = assert_accessible

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.axe()

    def axe(self, label: str = "") -> None:
        where = label or f"{self.page.url} ({self.page.title()})"
        self._axe(self.page, label=where)
        assert self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), where

    def at(self, path: str) -> None:
        assert self.page.url.split("?")[0] == self.base + path, self.page.url

    def heading(self) -> str:
        return self.page.locator("h1").inner_text().strip()

    def next(self, button: str = "Continue") -> None:
        self.page.get_by_role("button", name=button).click()
        self.page.wait_for_load_state()
        self.axe()

    def choose(self, *labels: str) -> None:
        for label in labels:
            self.page.get_by_label(label, exact=True).check()

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(label, exact=True).fill(value)

    def date(self, value: datetime.date) -> None:
        self.fill("Day", str(value.day))
        self.fill("Month", str(value.month))
        self.fill("Year", str(value.year))

    def errors(self, *messages: str) -> None:
        assert self.page.title().startswith("Error: "), self.page.title()
        summary = self.page.locator(".govuk-error-summary").inner_text()
        for message in messages:
            assert message in summary, (message, summary)
            assert self.page.locator(".govuk-error-message", has_text=message).count() == 1, message

    def text(self) -> str:
        return self.page.locator("main").inner_text()


@pytest.fixture
def person(page, live_server, assert_accessible):
    return Person(page, live_server, assert_accessible)


@pytest.fixture
def person_without_js(page_without_js, live_server, assert_accessible):
    return Person(page_without_js, live_server, assert_accessible)


@pytest.fixture
def person_on_a_phone(phone_page, live_server, assert_accessible):
    return Person(phone_page, live_server, assert_accessible)


def _cover(authority) -> None:
    LocalAuthority.objects.filter(pk=authority.pk).update(covered_from=today() - datetime.timedelta(days=30))


def test_a_parent_asks_for_mediation_with_every_error_on_the_way(person, personas, private_media):
    _cover(personas.authority)
    p = person
    # The family found we cover its area first: the postcode goes on in the session.
    p.open("/check-your-area/")
    p.fill("Postcode", "SW1A1AA")
    p.next()
    p.open("/request/")
    assert p.heading() == "Ask us for help"
    p.page.get_by_role("button", name="Start now").click()
    p.at("/request/who/")
    p.axe()

    p.next()
    p.errors("Select who is asking for help")
    p.page.get_by_role("link", name="Select who is asking for help").click()
    assert p.page.evaluate("document.activeElement.id") == "id_who_asking"
    p.choose("A parent or carer")
    p.next()

    p.at("/request/help/")
    p.next()
    p.errors("Select what help you want")
    p.choose("Mediation")
    p.next()

    p.at("/request/decisions/")
    p.next()
    p.errors("Select which decisions you disagree with")
    p.choose("The special educational provision in the plan (section F)", "I'm not sure")
    # GOV.UK Frontend clears the other boxes when "I'm not sure" is ticked.
    assert not p.page.get_by_label("The special educational provision in the plan (section F)").is_checked()
    p.choose("The special educational provision in the plan (section F)")
    assert not p.page.get_by_label("I'm not sure").is_checked()
    p.next()

    p.at("/request/letter-date/")
    p.next()
    p.errors("Enter the date on the decision letter, or select that you do not know it")
    p.date(today() + datetime.timedelta(days=2))
    p.next()
    p.errors("The date on the decision letter must be today or in the past")
    p.date(letter_sent("near"))
    p.next()

    p.at("/request/time-limit/")
    assert p.heading() == "Your time limit"
    assert p.page.locator(".govuk-warning-text").is_visible()
    p.next()

    p.at("/request/letter/")
    upload = p.page.get_by_label("Upload a file")
    for name, content, message in [
        ("letter.pdf", files.TEXT, "The selected file must be a PDF, JPG, PNG or DOCX"),
        ("letter.pdf", b"", "The selected file is empty"),
        ("letter.pdf", files.TOO_BIG, "The selected file must be smaller than 10MB"),
    ]:
        upload = p.page.get_by_label("Upload a file")
        upload.set_input_files({"name": name, "mimeType": "application/pdf", "buffer": content})
        p.next()
        p.errors(message)
    p.page.get_by_label("Upload a file").set_input_files(
        {"name": "Wrong letter.pdf", "mimeType": "application/pdf", "buffer": files.PDF}
    )
    p.next()
    p.at("/request/letter/")
    banner = p.page.locator(".govuk-notification-banner--success")
    assert banner.inner_text().split("\n")[-1] == "You uploaded Wrong letter.pdf"
    p.page.get_by_role("button", name="Remove this file").click()
    p.page.wait_for_load_state()
    p.axe()
    assert banner.inner_text().split("\n")[-1] == "You removed the file"
    assert "Wrong letter.pdf" not in p.text()
    p.page.get_by_label("Upload a file").set_input_files(
        {"name": "Council letter.jpg", "mimeType": "image/jpeg", "buffer": files.JPEG}
    )
    p.next()
    p.at("/request/letter/")
    assert banner.inner_text().split("\n")[-1] == "You uploaded Council letter.jpg"
    p.next()

    p.at("/request/child/")
    assert p.heading() == "About your child"
    p.next()
    p.errors("Enter your child's full name", "Enter your child's date of birth")
    p.fill("Your child's full name", "Amir Khan")
    p.date(years_ago(9))
    p.next()

    p.at("/request/postcode/")
    assert p.page.get_by_label("What is your home postcode?").input_value() == "SW1A 1AA"
    p.fill("What is your home postcode?", "SW1")
    p.next()
    p.errors("Enter a full UK postcode, like SW1A 1AA")
    p.fill("What is your home postcode?", "sw1a 1aa")
    p.next()

    p.at("/request/area/")
    assert p.heading() == "We work with Westminster"
    p.next()

    p.at("/request/contact/")
    p.next()
    p.errors("Enter your full name", "Select how we can contact you")
    p.fill("Your full name", "Sarah Khan")
    p.choose("Phone", "Email")
    p.axe("contact, both revealed")
    p.next()
    p.errors("Enter a phone number", "Enter an email address")
    p.fill("Phone number", "07700 900123")
    p.fill("Email address", "sarah@")
    p.next()
    p.errors("Enter an email address in the correct format, like name@example.com")
    p.fill("Email address", "sarah.khan@example.org")
    p.next()

    p.at("/request/access/")
    p.next()
    p.errors("Select if you need any help to take part, or select 'No'")
    p.choose(
        "An interpreter for another spoken language",
        "Something else, for example large print or a step-free room",
    )
    p.next()
    p.errors("Enter the language for the interpreter", "Enter what help is needed")
    p.fill("Which language?", "Urdu")
    p.fill("What do you need?", "A room on the ground floor")
    p.next()

    p.at("/request/check/")
    main = p.text()
    for shown in ("Amir Khan", "Council letter.jpg", "An interpreter for Urdu", "Westminster: we work with"):
        assert shown in main
    assert "Send this request today" in main

    # Change links return to check answers.
    p.page.get_by_role("link", name="Change the postcode").click()
    p.at("/request/postcode/")
    p.axe()
    p.fill("What is your home postcode?", "M1 1AE")
    p.next()
    p.at("/request/check/")
    assert "Manchester" in p.text()
    p.page.get_by_role("link", name="Change what help is wanted").click()
    p.choose("Disagreement resolution")
    p.next()
    p.at("/request/disagreement/")
    p.next()
    p.errors("Select who the disagreement is with")
    p.choose("A school or academy")
    p.next()
    p.at("/request/check/")
    assert "Decision letter" not in p.text()
    p.page.get_by_role("link", name="Change what help is wanted").click()
    p.page.get_by_role("link", name="Back").click()
    p.at("/request/check/")
    p.page.get_by_role("link", name="Change what help is wanted").click()
    p.choose("Mediation")
    p.next()
    p.at("/request/check/")  # the earlier answers still apply
    assert "Council letter.jpg" in p.text()

    p.next("Send request")
    p.at("/request/sent/")
    assert re.search(r"We will phone you by \w+day \d{1,2} \w+ \d{4}\.", p.text())
    reference = p.page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(rf"MED-{timezone.localdate().year}-\d{{6}}", reference)
    request = HelpRequest.objects.get()
    assert request.reference == reference and request.decision_letter_type == "jpg"
    assert request.decisions == ["provision"] and request.postcode == "M1 1AE"
    assert request.other_adjustments == "A room on the ground floor"

    # Back and send again: the same confirmation, still one request.
    p.page.go_back()
    p.page.wait_for_load_state()
    p.at("/request/sent/")
    assert HelpRequest.objects.count() == 1


def test_a_young_person_asks_for_advice_with_javascript_off(person_without_js, personas):
    p = person_without_js
    p.open("/request/")
    p.page.get_by_role("button", name="Start now").click()
    p.axe()
    p.choose("A young person aged 16 to 25, asking for myself")
    p.next()
    p.choose("Mediation advice and a certificate")
    p.next()
    p.choose("It will stop the EHC plan", "I'm not sure")  # no script clears the other box
    p.next()
    p.errors("Select which decisions you disagree with, or select 'I'm not sure'")
    p.page.get_by_label("I'm not sure").uncheck()
    p.next()
    p.fill("Day", "30")
    p.fill("Month", "Feb")
    p.fill("Year", str(today().year))
    p.next()
    p.errors("The date on the decision letter must be a real date")
    p.date(today())
    p.choose("I do not know the date, or I have not had a letter")
    p.next()
    p.errors("Enter the date on the decision letter, or select that you do not know it, not both")
    for part in ("Day", "Month", "Year"):
        p.fill(part, "")
    p.next()

    p.at("/request/child/")
    assert p.heading() == "About you"
    p.fill("Your full name", "Jordan Price")
    p.date(years_ago(14))
    p.next()
    p.errors("You must be 16 to 25 to ask for yourself")
    p.date(years_ago(19))
    p.next()
    p.fill("What is your home postcode?", "CT1 2EH")
    p.next()
    assert p.heading() == "We do not usually work with Kent"
    p.next()
    p.at("/request/contact/")
    assert (
        p.page.get_by_label("Phone number").is_visible() and p.page.get_by_label("Email address").is_visible()
    )
    p.choose("Phone")
    p.fill("Phone number", "12345")
    p.next()
    p.errors("Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192")
    p.fill("Phone number", "07700 900 456")
    p.fill("Good times to call (optional)", "After 4pm")
    p.next()
    p.choose("A British Sign Language (BSL) interpreter", "No, I do not need any of these")
    p.next()
    p.errors("Select the help needed, or select 'No'")
    p.page.get_by_label("A British Sign Language (BSL) interpreter").uncheck()
    p.next()
    p.at("/request/check/")
    p.page.get_by_role("link", name="Change how to contact").click()
    p.at("/request/contact/")
    p.axe()
    p.choose("Email")
    p.fill("Email address", "jordan.price@example.org")
    p.next()
    p.at("/request/check/")
    assert "Email: jordan.price@example.org" in p.text()
    p.next("Send request")
    p.at("/request/sent/")
    assert "We have sent a confirmation email to jordan.price@example.org" in p.text()
    request = HelpRequest.objects.get()
    assert request.who == "young_person" and request.decision_letter_date is None
    assert request.local_authority == personas.other_authority
    assert request.good_times_to_call == "After 4pm"


def test_a_professional_refers_a_family_for_disagreement_resolution(person):
    p = person
    p.open("/request/who/")
    p.choose("A professional, referring a family")
    p.next()
    p.at("/request/your-details/")
    p.fill("Work email address", "not an email")
    p.next()
    p.errors(
        "Enter your full name",
        "Enter the name of your organisation",
        "Enter an email address in the correct format, like name@example.com",
    )
    p.fill("Full name", "Priya Shah")
    p.fill("Organisation", "Hill Top School")
    p.fill("Work email address", "senco@hilltop.example")
    p.next()
    p.at("/request/family-agreed/")
    p.next()
    p.errors("Confirm that the family has agreed to the referral")
    p.choose("The family has agreed that I can refer them to you")
    p.next()
    assert p.heading() == "What help does the family want?"
    p.choose("Disagreement resolution")
    p.next()
    p.choose("A nursery or other early years provider", "The health service (integrated care board)")
    p.next()
    assert p.heading() == "About the child or young person"
    p.fill("Their full name", "Lily Brown")
    p.date(years_ago(4))
    p.next()
    p.fill("What is the family's postcode?", "EH1 1YZ")
    p.next()
    assert p.heading() == "This postcode is not in England"
    p.next()
    assert p.heading() == "The family's contact details"
    p.fill("Name of the parent, carer or young person to contact", "Dan Brown")
    p.choose("Email")
    p.fill("Email address", "dan.brown@example.org")
    p.next()
    assert p.heading() == "Does the family need any help to take part?"
    p.choose("No, they do not need any of these")
    p.next()
    p.at("/request/check/")
    assert "Yes, you confirmed this at" in p.text()
    p.next("Send request")
    request = HelpRequest.objects.get()
    assert request.family_agreed_at is not None and request.postcode_country == "scotland"
    assert request.disagreement_with == ["early_years", "health"]


def test_not_sure_with_no_letter_and_a_postcode_we_cannot_find(person):
    p = person
    p.open("/request/who/")
    p.choose("A parent or carer")
    p.next()
    p.choose("I'm not sure")
    p.next()
    p.choose("I'm not sure")
    p.next()
    p.choose("I do not know the date, or I have not had a letter")
    p.next()
    p.at("/request/child/")
    p.fill("Your child's full name", "Sam Green")
    p.date(years_ago(3))
    p.next()
    p.fill("What is your home postcode?", "ZZ9 9ZZ")
    p.next()
    assert p.heading() == "We could not find that postcode"
    p.next()
    p.fill("Your full name", "Alex Green")
    p.choose("Phone")
    p.fill("Phone number", "+44 808 157 0192")
    p.next()
    p.choose("No, I do not need any of these")
    p.next()
    p.next("Send request")
    p.at("/request/sent/")
    assert HelpRequest.objects.get().help_wanted == "not_sure"


@pytest.mark.parametrize("state", ["open", "passed"])
def test_the_time_limit_page_for_an_open_and_a_passed_limit(person, state):
    p = person
    p.open("/request/who/")
    p.choose("A parent or carer")
    p.next()
    p.choose("Mediation")
    p.next()
    p.choose("It will not carry out an education, health and care (EHC) needs assessment")
    p.next()
    p.date(letter_sent(state))
    p.next()
    p.at("/request/time-limit/")
    expected = "The time limit has passed" if state == "passed" else "Your time limit"
    assert p.heading() == expected
    assert p.page.locator(".govuk-warning-text").count() == (1 if state == "passed" else 0)


def _answer_everything(p) -> None:
    p.open("/request/who/")
    for label in (
        "A parent or carer",
        "Mediation",
        "It will not issue an EHC plan after an assessment",
        "I do not know the date, or I have not had a letter",
    ):
        p.choose(label)
        p.next()
    p.fill("Your child's full name", "Amir Khan")
    p.date(years_ago(9))
    p.next()
    p.fill("What is your home postcode?", "SW1A 1AA")
    p.next()
    p.next()
    p.fill("Your full name", "Sarah Khan")
    p.choose("Email")
    p.fill("Email address", "sarah.khan@example.org")
    p.next()
    p.choose("No, I do not need any of these")
    p.next()
    p.at("/request/check/")


def test_sending_from_two_tabs_makes_one_request(person, chromium):
    p = person
    _answer_everything(p)
    second = p.page.context.new_page()
    second.goto(p.page.url)
    p.next("Send request")
    first_reference = p.page.locator(".govuk-panel__body strong").inner_text()
    second.get_by_role("button", name="Send request").click()
    second.wait_for_load_state()
    assert second.url.endswith("/request/sent/")
    assert second.locator(".govuk-panel__body strong").inner_text() == first_reference
    assert HelpRequest.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database refuses a second writer at once instead of waiting; "
    "the same race on an SQLite file is covered by test_services, and this runs on PostgreSQL",
)
def test_a_double_click_without_javascript_makes_one_request(person_without_js):
    p = person_without_js
    _answer_everything(p)
    p.page.get_by_role("button", name="Send request").dblclick()
    p.page.wait_for_url("**/request/sent/")
    p.axe()
    assert HelpRequest.objects.count() == 1


def test_a_bot_that_fills_in_every_box_sends_nothing(person):
    p = person
    _answer_everything(p)
    honeypot = p.page.locator("#id_website")
    assert honeypot.get_attribute("tabindex") == "-1" and honeypot.get_attribute("autocomplete") == "off"
    assert p.page.get_by_label("Leave this empty").count() == 1
    # Screen readers never announce it: the form reads as its one button.
    form = p.page.locator("form", has=p.page.get_by_role("button", name="Send request"))
    assert "Leave this empty" not in form.aria_snapshot()
    assert "Send request" in form.aria_snapshot()
    honeypot.fill("https://cheap.example", force=True)
    p.next("Send request")
    assert p.heading() == "Sorry, we could not send your request"
    assert not HelpRequest.objects.exists()


def test_too_many_requests_from_one_address_get_a_polite_429(person, settings):
    settings.INTAKE_SENDS_PER_HOUR = 1
    p = person
    _answer_everything(p)
    p.next("Send request")
    p.page.get_by_role("link", name="Ask for help for someone else").click()
    _answer_everything(p)
    with p.page.expect_response(lambda r: r.request.method == "POST") as response:
        p.page.get_by_role("button", name="Send request").click()
    assert response.value.status == 429
    p.axe()
    assert p.heading() == "You cannot send another request yet"
    assert HelpRequest.objects.count() == 1


def test_every_page_fits_a_small_phone(person_on_a_phone, personas, private_media):
    """Each page, with its errors showing, at 320 px: axe runs and nothing scrolls sideways."""
    p = person_on_a_phone
    _cover(personas.authority)
    p.open("/request/")
    p.page.get_by_role("button", name="Start now").click()
    for label in ("A professional, referring a family",):
        p.next()
        p.choose(label)
        p.next()
    p.fill("Work email address", "x")
    p.next()
    p.fill("Full name", "Priya Shah-Worthington-Fotheringay")
    p.fill("Organisation", "Saint Bartholomew's Church of England Primary Academy")
    p.fill("Work email address", "special.educational.needs.coordinator@saint-bartholomews.example")
    p.next()
    p.next()
    p.choose("The family has agreed that I can refer them to you")
    p.next()
    p.next()
    p.choose("Mediation")
    p.next()
    p.next()
    p.choose("The school or college named in the plan, or its type, or that none is named (section I)")
    p.next()
    p.next()
    p.date(letter_sent("near"))
    p.next()
    p.next()  # the time limit
    p.page.get_by_label("Upload a file").set_input_files(
        {
            "name": "a-very-long-file-name-for-the-decision-letter-from-the-council.pdf",
            "mimeType": "x/y",
            "buffer": b"x",
        }
    )
    p.next()
    p.page.get_by_label("Upload a file").set_input_files(
        {
            "name": "a-very-long-file-name-for-the-decision-letter-from-the-council.pdf",
            "mimeType": "application/pdf",
            "buffer": files.PDF,
        }
    )
    p.next()
    p.at("/request/letter/")  # the file uploaded, with its long name
    p.next()
    p.next()
    p.fill("Their full name", "Maximilian Alexander Montgomery-Featherstonehaugh")
    p.date(years_ago(12))
    p.next()
    p.next()
    p.fill("What is the family's postcode?", "SW1A 1AA")
    p.next()
    p.next()  # the area
    p.next()
    p.fill("Name of the parent, carer or young person to contact", "Sarah Khan")
    p.choose("Phone", "Email")
    p.fill("Phone number", "07700 900123")
    p.fill("Good times to call (optional)", "Weekday mornings before 11am, or after 3pm on Fridays")
    p.fill("Email address", "sarah.khan.with.a.long.address@example.org")
    p.next()
    p.next()
    p.choose("Something else, for example large print or a step-free room")
    p.fill("What do you need?", "A quiet room and breaks every 30 minutes")
    p.next()
    p.at("/request/check/")
    p.next("Send request")
    p.at("/request/sent/")


def _back_walks_the_history(p, first: str, second: str) -> None:
    """Back from the next page shows the question again, and Back again the page before it: never
    the browser's "Confirm Form Resubmission"."""
    p.page.go_back()
    p.page.wait_for_load_state()
    p.at(first)
    assert p.page.locator("h1").count() == 1, p.page.content()[:200]
    p.page.go_back()
    p.page.wait_for_load_state()
    p.at(second)
    assert p.page.locator("h1").count() == 1


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript on", "javascript off"])
def test_back_after_a_mistake_shows_each_page_again(request, javascript, live_server, assert_accessible):
    fixture = "page" if javascript else "page_without_js"
    p = Person(request.getfixturevalue(fixture), live_server, assert_accessible)

    p.open("/request/")
    p.open("/request/who/")
    p.next()
    p.errors("Select who is asking for help")
    p.choose("A parent or carer")
    p.next()
    p.at("/request/help/")
    _back_walks_the_history(p, "/request/who/", "/request/who/")

    p.open("/check-your-area/")
    p.page.get_by_role("button", name="Continue").click()
    p.page.wait_for_load_state()
    p.errors("Enter a postcode")
    p.fill("Postcode", "SW1A 1AA")
    p.next()
    assert "/check-your-area/" in p.page.url and p.page.url != p.base + "/check-your-area/"
    _back_walks_the_history(p, "/check-your-area/", "/check-your-area/")

    p.open("/verify/")
    p.page.get_by_role("button", name="Check the certificate").click()
    p.page.wait_for_load_state()
    p.errors("Enter the certificate number", "Enter the verification code")
    p.fill("Certificate number", "MC-2026-000001")
    p.fill("Verification code", "AAAA-BBBB-CCCC")
    p.next("Check the certificate")
    assert p.page.title().startswith("Certificate not confirmed")
    _back_walks_the_history(p, "/verify/", "/verify/")


@pytest.mark.parametrize("tab", ["page", "page_without_js", "phone_page"])
def test_the_daily_letter_limit_says_so_and_lets_the_family_go_on(
    request, tab, live_server, assert_accessible, settings, private_media
):
    from sendmediation.intake import services
    from sendmediation.intake.models import RequestDraft

    settings.INTAKE_LETTERS_PER_ADDRESS_PER_DAY = 1
    moment = timezone.now()
    RequestDraft.objects.create(
        token="earlier-request-from-this-address",
        created_at=moment,
        updated_at=moment,
        expires_at=moment + services.DRAFT_LIFETIME,
        letter_address_hash=services.letter_address_hash("127.0.0.1"),
        letter_uploaded_at=moment,
    )
    p = Person(request.getfixturevalue(tab), live_server, assert_accessible)
    p.open("/request/who/")
    p.choose("A parent or carer")
    p.next()
    p.choose("Mediation")
    p.next()
    p.choose("The special educational provision in the plan (section F)")
    p.next()
    p.date(letter_sent("near"))
    p.next()
    p.at("/request/time-limit/")
    p.next()
    p.at("/request/letter/")
    p.page.get_by_label("Upload a file").set_input_files(
        {"name": "Council letter.pdf", "mimeType": "application/pdf", "buffer": files.PDF}
    )
    p.next()
    p.at("/request/letter/")
    p.errors(services.LETTERS_PER_DAY_MESSAGE)
    assert not RequestDraft.objects.exclude(decision_letter="").exists()
    p.next()
    p.at("/request/child/")
