"""The request journey through Django's test client: branches, errors, change links, sending."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone
from PIL import Image

from config.brand import brand
from sendmediation.intake import facts
from sendmediation.intake.models import HelpRequest, RequestDraft
from sendmediation.intake.tests import files
from sendmediation.intake.tests.journey import (
    answer_all,
    date_fields,
    letter_sent,
    not_sure,
    parent_mediation,
    professional_dr,
    today,
    years_ago,
    young_person_advice,
)
from sendmediation.localities.models import LocalAuthority
from sendmediation.notifications.models import OutboxMessage
from sendmediation.statutory.rules import family_deadlines
from sendmediation.statutory.services import current_calendar

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def _text(html: str) -> str:
    """The words of the page's main part, as a reader sees them."""
    main = re.split(r'id="main-content"[^>]*>', html, maxsplit=1)[-1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main).replace("&#x27;", "'").replace("&quot;", '"')
    return re.sub(r"\s+([.,])", r"\1", re.sub(r"\s+", " ", text)).strip()


def _draft() -> RequestDraft:
    return RequestDraft.objects.get()


def _route(client, steps):
    """Where each page sends the person next."""
    seen = []
    for slug, data in steps:
        response = client.post(f"/request/{slug}/", data)
        assert response.status_code == 302, (slug, _html(response)[:2000])
        seen.append(response["Location"])
    return seen


def test_a_parent_asks_for_mediation_and_gets_a_reference(client, personas):
    LocalAuthority.objects.filter(pk=personas.authority.pk).update(
        covered_from=today() - datetime.timedelta(days=1)
    )
    assert client.get("/request/").status_code == 200
    route = _route(client, parent_mediation())
    assert route == [
        "/request/help/",
        "/request/decisions/",
        "/request/letter-date/",
        "/request/time-limit/",
        "/request/child/",
        "/request/postcode/",
        "/request/area/",
        "/request/access/",
        "/request/check/",
    ]
    area = _html(client.get("/request/area/"))
    assert "We work with Westminster" in area

    check = _html(client.get("/request/check/"))
    for shown in (
        "Amir Khan",
        "SW1A 1AA",
        "Westminster: we work with this local authority",
        "The school or college named in the plan",
        "Phone: 07700 900123",
        "Good times to call: Weekday mornings",
        "Email: sarah.khan@example.org",
        "An interpreter for Urdu",
        "Not uploaded",
    ):
        assert shown in check
    assert 'href="/request/decisions/?change=1"' in check

    sent = client.post("/request/check/", {"website": ""})
    assert sent["Location"] == "/request/sent/"
    page = _html(client.get("/request/sent/"))
    year = timezone.localdate().year
    assert f"MED-{year}-000001" in page
    assert "We have sent a confirmation email to" in page and "sarah.khan@example.org</span>" in page

    request = HelpRequest.objects.get()
    assert request.reference == f"MED-{year}-000001"
    assert request.status == HelpRequest.Status.NEW
    assert request.source == HelpRequest.Source.WEBSITE
    assert request.who == "parent"
    assert request.help_wanted == "mediation"
    assert request.decisions == ["needs", "placement"]
    assert request.disagreement_with == []
    assert request.decision_letter_date == letter_sent("open")
    assert request.contact_adviser_by == facts.time_limit(letter_sent("open"), today=today()).contact_by
    assert (request.child_name, request.child_date_of_birth) == ("Amir Khan", years_ago(9))
    assert (request.postcode, request.local_authority) == ("SW1A 1AA", personas.authority)
    assert request.postcode_country == "england"
    assert (request.contact_name, request.phone, request.email) == (
        "Sarah Khan",
        "07700 900123",
        "sarah.khan@example.org",
    )
    assert request.contact_by_phone and request.contact_by_email
    assert request.needs_interpreter and request.interpreter_language == "Urdu" and not request.needs_bsl
    assert request.reply_by == facts.reply_by(today())
    assert request.family_agreed_at is None

    message = OutboxMessage.objects.get(dedupe_key=f"request-received:{request.reference}")
    assert message.template == "request_received"
    assert message.recipients == ["sarah.khan@example.org"]
    assert message.context["reference"] == request.reference
    assert message.context["contact_by"] == request.reply_by.isoformat()

    draft = _draft()
    assert draft.help_request == request and draft.answers == {}


def test_a_young_person_asks_for_advice_for_themselves(client, personas):
    route = _route(client, young_person_advice())
    # No letter date: no time limit and no upload.
    assert route[3] == "/request/child/"
    child_page = _html(client.get("/request/child/"))
    assert "About you" in child_page and 'autocomplete="bday-day"' in child_page
    contact_page = _html(client.get("/request/contact/"))
    assert "Your full name" not in contact_page
    check = _html(client.get("/request/check/"))
    assert "About you" in check and "Kent: we do not usually work with this local authority" in check
    client.post("/request/check/", {"website": ""})
    request = HelpRequest.objects.get()
    assert request.who == "young_person"
    assert request.contact_name == "Jordan Price" == request.child_name
    assert request.decision_letter_date is None and request.contact_adviser_by is None
    assert request.needs_bsl and not request.contact_by_phone and request.phone == ""
    assert request.local_authority == personas.other_authority
    # Email only: the words say so, and promise no phone call nobody asked for.
    sent = _text(_html(client.get("/request/sent/", follow=True)))
    assert "We will email you by" in sent
    assert "You asked us to get in touch by email, so we will write first." in sent
    assert "will talk to you for about 20 minutes" not in sent and "will phone you" not in sent


def test_a_professional_refers_a_family_for_disagreement_resolution(client, personas):
    before = timezone.now()
    route = _route(client, professional_dr())
    assert route[:5] == [
        "/request/your-details/",
        "/request/family-agreed/",
        "/request/help/",
        "/request/disagreement/",
        "/request/child/",
    ]
    area = _html(client.get("/request/area/"))
    assert "This postcode is not in England" in area and "Wales" in area
    check = _html(client.get("/request/check/"))
    assert "Yes, you confirmed this at" in check
    assert "Date on the decision letter" not in check and "Decision letter" not in check
    assert "The family&#x27;s contact details" in check
    client.post("/request/check/", {"website": ""})
    request = HelpRequest.objects.get()
    assert request.who == "professional"
    assert (request.referrer_name, request.referrer_organisation) == ("Priya Shah", "Hill Top School")
    assert request.referrer_email == "senco@hilltop.example"
    assert request.family_agreed_at is not None
    assert before <= request.family_agreed_at <= timezone.now()
    assert request.help_wanted == "disagreement_resolution"
    assert request.disagreement_with == ["school", "health"] and request.decisions == []
    assert request.local_authority is None and request.postcode_country == "wales"
    assert request.contact_name == "Dan Brown" and request.email == ""
    assert request.other_adjustments == "Meetings after 3pm"
    # Only phone: no email to send.
    assert not OutboxMessage.objects.exists()


def test_someone_not_sure_with_an_unknown_postcode_can_still_send(client):
    answer_all(client, not_sure())
    assert "We could not find that postcode" in _html(client.get("/request/area/"))
    check = _html(client.get("/request/check/"))
    assert "We could not find this postcode" in check and "No letter, or the date is not known" in check
    client.post("/request/check/", {"website": ""})
    request = HelpRequest.objects.get()
    assert request.postcode == "ZZ9 9ZZ" and request.local_authority is None
    assert request.decisions == ["not_sure"]


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        ("open", "Sending this request is one way to contact us."),
        ("near", "Send this request today"),
        ("passed", "The time limit has passed"),
    ],
)
def test_the_time_limit_is_shown_and_warned_about_but_never_blocks(client, state, shown):
    sent = letter_sent(state)
    steps = parent_mediation()
    steps[3] = ("letter-date", {**date_fields("date", sent)})
    answer_all(client, steps[:4])
    page = _html(client.get("/request/time-limit/"))
    limit = facts.time_limit(sent, today=today())
    assert shown in page
    assert limit.contact_by.strftime("%B %Y").lstrip("0") in page
    answer_all(client, steps[4:])
    check = _html(client.get("/request/check/"))
    assert ("govuk-warning-text" in check) is (state != "open")
    client.post("/request/check/", {"website": ""})
    assert HelpRequest.objects.get().contact_adviser_by == limit.contact_by


def _found(pattern: str, html: str) -> re.Match[str]:
    match = re.search(pattern, html)
    assert match is not None, pattern
    return match


def _long(value: datetime.date) -> str:
    return dateformat.format(value, "l j F Y")


@pytest.mark.parametrize("state", ["open", "passed"])
def test_the_confirmation_says_when_we_will_be_in_touch_apart_from_the_time_limit(client, state):
    steps = parent_mediation()
    steps[3] = ("letter-date", date_fields("date", letter_sent(state)))
    answer_all(client, steps)
    client.post("/request/check/", {"website": ""})
    request = HelpRequest.objects.get()
    assert request.contact_adviser_by is not None
    html = _html(client.get("/request/sent/"))
    text = _text(html)
    next_steps, limits = text.split("What happens next", 1)[1].split("Time limits", 1)
    reply_by = _long(request.reply_by)
    assert f"We will phone you by {reply_by}." in next_steps
    assert (
        f"If you have not heard from us by {reply_by}, or you need to talk to us sooner, call us on "
        f"{brand()['phone']} and give your reference number." in next_steps
    )
    assert "by then" not in text
    assert reply_by not in limits and "mediation adviser about this decision" not in next_steps
    contact_by = dateformat.format(request.contact_adviser_by, "j F Y")
    deadlines = (
        '<a class="govuk-link" href="/deadlines/">Work out the deadlines from the date on the letter</a>'
    )
    if state == "open":
        appeal_by = family_deadlines(letter_sent(state), calendar=current_calendar()).appeal_by.due
        assert limits.startswith(
            f" The time limit to contact a mediation adviser about this decision is {contact_by}. This "
            f"request reached us on {dateformat.format(today(), 'j F Y')}, within the time limit. The time "
            f"limit to appeal to the SEND Tribunal is {_long(appeal_by)}. If you get a mediation "
            "certificate, you will have at least 1 month from the date on it to appeal. Work out the "
            "deadlines"
        )
        assert deadlines in html
    else:
        assert limits.startswith(
            f" The time limit to contact a mediation adviser about this decision was {contact_by}. We will "
            "talk to you about what you can do. Ask for help for someone else"
        )
        assert deadlines not in html


def test_the_confirmation_says_how_we_will_be_in_touch_with_no_time_limit_to_show(client):
    answer_all(client, young_person_advice())
    client.post("/request/check/", {"website": ""})
    reply_by = _long(HelpRequest.objects.get().reply_by)
    text = _text(_html(client.get("/request/sent/")))
    assert f"We will email you by {reply_by}." in text
    assert f"If you have not heard from us by {reply_by}," in text
    assert "Time limits" not in text and "time limit to contact" not in text


def test_a_professional_is_told_when_we_will_be_in_touch_with_the_family(client):
    answer_all(client, professional_dr())
    client.post("/request/check/", {"website": ""})
    reply_by = _long(HelpRequest.objects.get().reply_by)
    text = _text(_html(client.get("/request/sent/")))
    assert f"We will phone the family by {reply_by}." in text
    assert f"If the family has not heard from us by {reply_by}, or you need to talk to us sooner" in text
    assert "give the reference number" in text and "Time limits" not in text


# The hint under each decision, for whoever is asking.
DECISION_HINTS = {
    "parent": [
        "The assessment decides if your child needs an EHC plan.",
        "An EHC plan is a legal document. It describes your child's needs and the help they must get.",
        "Section B describes what your child finds difficult and needs help with.",
        "Section F sets out the help your child must get, for example speech and language therapy or extra "
        "support in class.",
        "Section I names the school or college, or the type of school or college, that your child will go "
        "to.",
        "A new EHC needs assessment when your child already has a plan.",
        "For example, after the annual review of the plan.",
        'The letter may say it will "cease to maintain" the plan.',
        "Section C describes your child's health needs, and section G the health care they need.",
        "Section D describes your child's social care needs, and sections H1 and H2 the social care they "
        "need.",
    ],
    "young_person": [
        "The assessment decides if you need an EHC plan.",
        "An EHC plan is a legal document. It describes your needs and the help you must get.",
        "Section B describes what you find difficult and need help with.",
        "Section F sets out the help you must get, for example speech and language therapy or extra support "
        "in class.",
        "Section I names the school or college, or the type of school or college, that you will go to.",
        "A new EHC needs assessment when you already have a plan.",
        "For example, after the annual review of the plan.",
        'The letter may say it will "cease to maintain" the plan.',
        "Section C describes your health needs, and section G the health care you need.",
        "Section D describes your social care needs, and sections H1 and H2 the social care you need.",
    ],
    "professional": [
        "The assessment decides if the child or young person needs an EHC plan.",
        "An EHC plan is a legal document. It describes the child or young person's needs and the help they "
        "must get.",
        "Section B describes what the child or young person finds difficult and needs help with.",
        "Section F sets out the help the child or young person must get, for example speech and language "
        "therapy or extra support in class.",
        "Section I names the school or college, or the type of school or college, that the child or young "
        "person will go to.",
        "A new EHC needs assessment when the child or young person already has a plan.",
        "For example, after the annual review of the plan.",
        'The letter may say it will "cease to maintain" the plan.',
        "Section C describes the child or young person's health needs, and section G the health care they "
        "need.",
        "Section D describes the child or young person's social care needs, and sections H1 and H2 the "
        "social care they need.",
    ],
}
_WHO_FIRST = {
    "parent": lambda: parent_mediation()[:2],
    "young_person": lambda: young_person_advice()[:2],
    "professional": lambda: [*professional_dr()[:3], ("help", {"help_wanted": "mediation"})],
}


@pytest.mark.parametrize("who", DECISION_HINTS)
def test_the_decisions_page_explains_ehc_plans_and_their_sections_in_plain_words(client, who):
    answer_all(client, _WHO_FIRST[who]())
    html = _html(client.get("/request/decisions/"))
    text = _text(html)
    # EHC is spelt out where it is first used.
    assert text.index("EHC") == text.index("education, health and care (EHC)") + len(
        "education, health and care ("
    )
    options = re.findall(r'<input class="govuk-checkboxes__input" id="([^"]+)"[^>]*>', html)
    assert len(options) == 11
    hints = []
    for option in options[:-1]:  # "I'm not sure" needs none
        tag = _found(rf'<input class="govuk-checkboxes__input" id="{option}"[^>]*>', html).group(0)
        assert f'aria-describedby="{option}-item-hint"' in tag, option
        hint = _found(
            rf'<div id="{option}-item-hint" class="govuk-hint govuk-checkboxes__hint">(.*?)</div>', html
        )
        hints.append(_text(hint.group(1)))
    assert hints == DECISION_HINTS[who]
    assert 'aria-describedby="' not in _found(r'<input[^>]*value="not_sure"[^>]*>', html).group(0)


def test_the_help_page_spells_out_ehc_where_it_first_uses_it(client):
    answer_all(client, parent_mediation()[:1])
    text = _text(_html(client.get("/request/help/")))
    assert text.index("EHC") == text.index("education, health and care (EHC)") + len(
        "education, health and care ("
    )


@pytest.mark.parametrize(
    ("steps_before", "slug", "data", "messages"),
    [
        (0, "who", {}, ["Select who is asking for help"]),
        (
            1,
            "help",
            {},
            ["Select what help you want"],
        ),
        (2, "decisions", {}, ["Select which decisions you disagree with"]),
        (
            2,
            "decisions",
            {"decisions": ["needs", "not_sure"]},
            ["Select which decisions you disagree with, or select &#x27;I&#x27;m not sure&#x27;"],
        ),
        (3, "letter-date", {}, ["Enter the date on the decision letter, or select that you do not know it"]),
        (
            3,
            "letter-date",
            {"unknown": "on", **date_fields("date", today())},
            ["Enter the date on the decision letter, or select that you do not know it, not both"],
        ),
        (
            3,
            "letter-date",
            {"date_0": "31", "date_1": "2", "date_2": "2026"},
            ["The date on the decision letter must be a real date"],
        ),
        (
            3,
            "letter-date",
            {"date_0": "1", "date_1": "", "date_2": "2026"},
            ["The date on the decision letter must include a month"],
        ),
        (
            3,
            "letter-date",
            {**date_fields("date", today() + datetime.timedelta(days=1))},
            ["The date on the decision letter must be today or in the past"],
        ),
        (
            5,
            "child",
            {},
            ["Enter your child&#x27;s full name", "Enter your child&#x27;s date of birth"],
        ),
        (
            5,
            "child",
            {"name": "Old Person", **date_fields("date_of_birth", years_ago(30))},
            ["We can only help with children and young people aged 25 or under"],
        ),
        (6, "postcode", {}, ["Enter your postcode"]),
        (6, "postcode", {"postcode": "not a postcode"}, ["Enter a full UK postcode, like SW1A 1AA"]),
        (7, "contact", {}, ["Enter your full name", "Select how we can contact you"]),
        (
            7,
            "contact",
            {"name": "Sarah", "methods": ["phone", "email"]},
            ["Enter a phone number", "Enter an email address"],
        ),
        (
            7,
            "contact",
            {"name": "Sarah", "methods": ["phone", "email"], "phone": "123", "email": "sarah@"},
            [
                "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
                "Enter an email address in the correct format, like name@example.com",
            ],
        ),
        (8, "access", {}, ["Select if you need any help to take part, or select &#x27;No&#x27;"]),
        (
            8,
            "access",
            {"needs": ["interpreter", "other"]},
            ["Enter the language for the interpreter", "Enter what help is needed"],
        ),
        (8, "access", {"needs": ["bsl", "none"]}, ["Select the help needed, or select &#x27;No&#x27;"]),
    ],
)
def test_each_page_explains_what_is_wrong_and_keeps_what_was_typed(
    client, steps_before, slug, data, messages
):
    steps = parent_mediation()
    answer_all(client, steps[:steps_before])
    response = client.post(f"/request/{slug}/", data, follow=True)
    # Back to the same page with GET, so the browser's Back button never offers to post again.
    assert response.redirect_chain == [(f"/request/{slug}/", 303)]
    assert response.status_code == 200
    html = _html(response)
    assert "<title>Error: " in html
    assert "There is a problem" in html
    for message in messages:
        assert html.count(message) == 2, message  # in the summary and beside the field
    for value in data.values():
        if isinstance(value, str) and value and slug != "letter-date":
            assert f'value="{value}"' in html or value in html


def test_the_professional_pages_have_their_own_errors(client):
    answer_all(client, professional_dr()[:1])
    details = _html(client.post("/request/your-details/", {"email": "nope", "phone": "12"}, follow=True))
    for message in (
        "Enter your full name",
        "Enter the name of your organisation",
        "Enter an email address in the correct format, like name@example.com",
        "Enter a phone number, like 01632 960 001",
    ):
        assert message in details
    answer_all(client, professional_dr()[1:2])
    agreed = _html(client.post("/request/family-agreed/", {}, follow=True))
    assert agreed.count("Confirm that the family has agreed to the referral") == 2
    answer_all(client, professional_dr()[2:4])
    parties = _html(client.post("/request/disagreement/", {}, follow=True))
    assert parties.count("Select who the disagreement is with") == 2


def test_a_too_long_answer_is_kept_and_named_not_cut_short(client):
    answer_all(client, professional_dr()[:1])
    long_name = "Alexandra " * 50
    html = _html(
        client.post(
            "/request/your-details/",
            {"name": long_name, "organisation": "School", "email": "a@example.com"},
            follow=True,
        )
    )
    assert html.count("Full name must be 120 characters or fewer") == 2  # the summary and the field
    assert "Ensure this value" not in html
    assert "maxlength" not in html
    assert long_name.strip() in html


def test_an_uncovered_area_gets_the_same_message_as_the_postcode_check(client):
    from sendmediation.localities.models import LocalAuthority
    from sendmediation.localities.services import update_coverage

    update_coverage(
        authority=LocalAuthority.objects.get(code="E10000016"),
        actor=None,
        changes={"other_provider_name": "Weald Family Mediation", "other_provider_phone": "01632 960411"},
        via="test",
    )
    said = "In Kent, mediation is provided by Weald Family Mediation."
    steps = parent_mediation()
    answer_all(
        client, [(slug, {"postcode": "ME14 1XQ"} if slug == "postcode" else data) for slug, data in steps]
    )
    area = _html(client.get("/request/area/"))
    assert said in area and 'href="tel:01632960411"' in area
    assert said in _html(client.get("/check-your-area/council/E10000016/"))
    assert said in _html(client.get("/request/check/"))
    # Changed from check answers, where the information page is skipped, check answers says it.
    client.post("/request/postcode/?change=1", {"postcode": "SW1A 1AA"})
    assert "Weald Family Mediation" not in _html(client.get("/request/check/"))
    client.post("/request/postcode/?change=1", {"postcode": "CT1 2EH"})
    assert said in _html(client.get("/request/check/"))


def test_a_young_person_must_be_16_to_25(client):
    answer_all(client, young_person_advice()[:4])
    html = _html(
        client.post(
            "/request/child/", {"name": "Kim", **date_fields("date_of_birth", years_ago(14))}, follow=True
        )
    )
    assert "You must be 16 to 25 to ask for yourself" in html


def test_change_links_return_to_check_answers(client):
    answer_all(client, parent_mediation())
    # A change that needs no new question goes straight back.
    response = client.post("/request/postcode/?change=1", {"postcode": "M1 1AE"})
    assert response["Location"] == "/request/check/"
    assert "M1 1AE" in _html(client.get("/request/check/"))
    # The back link on a page being changed goes to check answers too.
    assert 'href="/request/check/" class="govuk-back-link"' in _html(
        client.get("/request/postcode/?change=1")
    )
    # A change that brings in a new question asks it, then goes back.
    response = client.post("/request/help/?change=1", {"help_wanted": "disagreement_resolution"})
    assert response["Location"] == "/request/disagreement/?change=1"
    response = client.post("/request/disagreement/?change=1", {"parties": ["local_authority"]})
    assert response["Location"] == "/request/check/"
    check = _html(client.get("/request/check/"))
    assert "Disagreement with" in check and "Decisions disagreed with" not in check
    # Becoming a professional asks for their details and the family's agreement.
    response = client.post("/request/who/?change=1", {"who_asking": "professional"})
    assert response["Location"] == "/request/your-details/?change=1"
    response = client.post(
        "/request/your-details/?change=1",
        {"name": "Priya Shah", "organisation": "SENDIASS", "email": "p@sendiass.example"},
    )
    assert response["Location"] == "/request/family-agreed/?change=1"
    response = client.post("/request/family-agreed/?change=1", {"agreed": "on"})
    assert response["Location"] == "/request/check/"
    client.post("/request/check/", {"website": ""})
    request = HelpRequest.objects.get()
    assert (
        request.postcode == "M1 1AE"
        and request.decisions == []
        and request.disagreement_with == ["local_authority"]
    )
    assert request.decision_letter_date is None
    assert request.who == "professional" and request.family_agreed_at is not None


def test_changing_to_or_from_a_young_person_asks_the_personal_questions_again(client):
    answer_all(client, parent_mediation())
    response = client.post("/request/who/?change=1", {"who_asking": "young_person"})
    assert response["Location"] == "/request/child/?change=1"
    assert "Amir Khan" not in _html(client.get("/request/child/?change=1"))


def test_pages_cannot_be_skipped(client):
    assert client.get("/request/check/")["Location"] == "/request/"
    assert client.get("/request/help/")["Location"] == "/request/"
    answer_all(client, parent_mediation()[:2])
    assert client.get("/request/check/")["Location"] == "/request/decisions/"
    assert client.get("/request/contact/")["Location"] == "/request/decisions/"
    assert client.get("/request/disagreement/")["Location"] == "/request/decisions/"
    assert client.get("/request/time-limit/")["Location"] == "/request/decisions/"
    assert client.get("/request/sent/")["Location"] == "/request/"


def test_back_links_follow_the_answers(client):
    answer_all(client, parent_mediation())
    for slug, back in [
        ("help", "/request/who/"),
        ("letter", "/request/time-limit/"),
        ("child", "/request/letter/"),
        ("contact", "/request/area/"),
    ]:
        assert f'href="{back}" class="govuk-back-link"' in _html(client.get(f"/request/{slug}/"))
    assert 'href="/request/access/" class="govuk-back-link"' in _html(client.get("/request/check/"))
    assert 'href="/request/" class="govuk-back-link"' in _html(client.get("/request/who/"))


def test_the_coverage_checker_can_fill_in_the_postcode(client):
    from sendmediation.localities.models import LocalAuthority

    LocalAuthority.objects.filter(code="E09000033").update(covered_from=datetime.date(2020, 1, 1))
    checked = client.post("/check-your-area/", {"postcode": "sw1a 1aa"}, follow=True)
    assert "We offer mediation in Westminster" in _html(checked)
    start = _html(client.get("/request/"))
    # Carried in the session: no address on the way holds the postcode.
    assert 'href="/request/who/"' in start and "postcode=" not in start
    client.post("/request/who/", {"who_asking": "parent"})
    assert "checked_postcode" not in client.session
    answer_all(client, parent_mediation()[1:6])
    assert 'value="SW1A 1AA"' in _html(client.get("/request/postcode/"))
    # A postcode in the address is no longer read.
    other = Client()
    other.get("/request/?postcode=SW1A+1AA")
    other.post("/request/who/?postcode=SW1A+1AA", {"who_asking": "parent"})
    answer_all(other, parent_mediation()[1:6])
    assert 'value="SW1A 1AA"' not in _html(other.get("/request/postcode/"))


def test_answers_are_kept_on_the_server_between_pages(client):
    answer_all(client, parent_mediation()[:3])
    draft = _draft()
    assert draft.answers["decisions"] == {"decisions": ["needs", "placement"]}
    assert client.session["intake_draft"] == draft.token
    assert draft.expires_at > timezone.now() + datetime.timedelta(days=6)
    # Another browser with the same session cookie (say after a restart) carries on.
    from django.test import Client

    other = Client()
    other.cookies = client.cookies
    assert 'value="needs" checked' in _html(other.get("/request/decisions/"))


def test_expired_answers_mean_starting_again(client):
    answer_all(client, parent_mediation()[:3])
    RequestDraft.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/request/letter-date/")
    assert response["Location"] == "/request/"
    assert "Your answers have been deleted" in _html(client.get("/request/"))


def test_sending_twice_makes_one_request(client):
    answer_all(client, parent_mediation())
    first = client.post("/request/check/", {"website": ""})
    second = client.post("/request/check/", {"website": ""})
    assert first["Location"] == second["Location"] == "/request/sent/"
    assert HelpRequest.objects.count() == 1
    # Going back to a question after sending shows the confirmation, not the form.
    assert client.get("/request/contact/")["Location"] == "/request/sent/"
    assert client.post("/request/contact/", {})["Location"] == "/request/sent/"
    assert client.get("/request/check/")["Location"] == "/request/sent/"
    assert OutboxMessage.objects.count() == 1
    # Starting again begins a new request.
    client.get("/request/")
    answer_all(client, parent_mediation())
    client.post("/request/check/", {"website": ""})
    assert sorted(HelpRequest.objects.values_list("number", flat=True)) == [1, 2]


def test_a_filled_in_honeypot_sends_nothing(client):
    answer_all(client, parent_mediation())
    response = client.post("/request/check/", {"website": "http://cheap.example"})
    assert response.status_code == 400
    assert "Sorry, we could not send your request" in _html(response)
    assert not HelpRequest.objects.exists()
    assert _draft().submitted_at is None


def test_too_many_sends_from_one_address_get_a_429(client, settings):
    settings.INTAKE_SENDS_PER_HOUR = 2
    for _ in range(2):
        client.get("/request/")
        answer_all(client, young_person_advice())
        assert client.post("/request/check/", {"website": ""})["Location"] == "/request/sent/"
    client.get("/request/")
    answer_all(client, young_person_advice())
    response = client.post("/request/check/", {"website": ""})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    html = _html(response)
    assert "You cannot send another request yet" in html and "govuk-heading-l" in html
    assert HelpRequest.objects.count() == 2
    # Another address is not affected.
    response = client.post("/request/check/", {"website": ""}, REMOTE_ADDR="192.0.2.7")
    assert response["Location"] == "/request/sent/"


def _upload(client, name: str, content: bytes, **extra):
    return client.post("/request/letter/", {"letter": SimpleUploadedFile(name, content), **extra})


def test_the_decision_letter_is_checked_by_its_content(
    client, private_media, django_capture_on_commit_callbacks
):
    answer_all(client, parent_mediation()[:4])
    for name, content, message in [
        ("letter.pdf", files.TEXT, "The selected file must be a PDF, JPG, PNG or DOCX"),
        ("letter.docx", files.XLSX, "The selected file must be a PDF, JPG, PNG or DOCX"),
        ("letter.pdf", b"", "The selected file is empty"),
        ("letter.pdf", files.TOO_BIG, "The selected file must be smaller than 10MB"),
    ]:
        html = _html(client.get(_upload(client, name, content)["Location"]))
        assert html.count(message) == 2, name
        assert "<title>Error: " in html
    assert not _draft().decision_letter

    # A PNG with the wrong name is still a PNG; it is stored under a random name.
    response = _upload(client, "Letter from council.pdf", files.PNG)
    assert response["Location"] == "/request/letter/"
    draft = _draft()
    assert draft.decision_letter_type == "png" and draft.decision_letter_name == "Letter from council.pdf"
    stored = Path(private_media) / draft.decision_letter.name
    # Kept re-encoded, without the metadata it came with, and the same picture.
    with Image.open(stored) as kept, Image.open(io.BytesIO(files.PNG)) as sent:
        assert kept.format == "PNG" and kept.size == sent.size
        assert kept.convert("RGB").tobytes() == sent.convert("RGB").tobytes()
    assert draft.decision_letter_size == stored.stat().st_size
    assert re.fullmatch(r"intake/letters/[A-Za-z0-9_-]{32}\.png", draft.decision_letter.name)

    # Replacing it removes the old file.
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, "letter.docx", files.DOCX)
    assert not stored.exists()
    draft.refresh_from_db()
    assert draft.decision_letter_type == "docx"
    assert "letter.docx" in _html(client.get("/request/letter/"))

    # Removing it.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/request/letter/", {"remove": "1"})["Location"] == "/request/letter/"
    draft.refresh_from_db()
    assert not draft.decision_letter and "letter" not in draft.answers
    assert not list((Path(private_media) / "intake" / "letters").iterdir())


def _banner(html: str) -> str:
    """The text of the success banner, or "" when there is none."""
    found = re.search(
        r'<div class="govuk-notification-banner govuk-notification-banner--success".*?</div>\s*</div>',
        html,
        re.S,
    )
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))).strip() if found else ""


def test_after_uploading_the_person_sees_the_file_and_can_remove_or_replace_it(client, private_media):
    answer_all(client, parent_mediation()[:4])
    response = _upload(client, "Letter from council.pdf", files.PDF)
    assert response["Location"] == "/request/letter/"
    page = _html(client.get("/request/letter/"))
    assert _banner(page) == "Success You uploaded Letter from council.pdf"
    assert 'role="alert"' in page and 'aria-labelledby="letter-notice-title"' in page
    assert re.search(r'<dd class="govuk-summary-list__value[^"]*">Letter from council.pdf</dd>', page)
    assert 'name="remove"' in page and "Remove this file" in page
    # Choosing another file is offered, folded away, so nobody thinks they must upload again.
    assert re.search(r'<details class="govuk-details">\s*<summary[^>]*>.*Choose a different file', page)
    # The banner is shown once; the file stays listed.
    again = _html(client.get("/request/letter/"))
    assert _banner(again) == "" and "Letter from council.pdf" in again

    # Continuing without choosing another file keeps this one.
    assert client.post("/request/letter/", {})["Location"] == "/request/child/"
    assert _draft().decision_letter_name == "Letter from council.pdf"

    # Removing it says so, once, and the page offers the upload again.
    assert client.post("/request/letter/", {"remove": "1"})["Location"] == "/request/letter/"
    page = _html(client.get("/request/letter/"))
    assert _banner(page) == "Success You removed the file"
    assert "Letter from council.pdf" not in page and "Remove this file" not in page
    assert _banner(_html(client.get("/request/letter/"))) == ""


def test_uploading_while_changing_an_answer_comes_back_to_check_answers(client, private_media):
    answer_all(client, parent_mediation())
    response = client.post(
        "/request/letter/?change=1", {"letter": SimpleUploadedFile("letter.pdf", files.PDF)}
    )
    assert response["Location"] == "/request/letter/?change=1"
    assert _banner(_html(client.get("/request/letter/?change=1"))) == "Success You uploaded letter.pdf"
    assert client.post("/request/letter/?change=1", {})["Location"] == "/request/check/"
    assert "letter.pdf" in _html(client.get("/request/check/"))


def test_the_letter_goes_with_the_request_and_is_not_public(client, private_media):
    answer_all(client, parent_mediation()[:4])
    _upload(client, "letter.pdf", files.PDF)
    answer_all(client, parent_mediation()[5:])
    assert "letter.pdf" in _html(client.get("/request/check/"))
    client.post("/request/check/", {"website": ""})
    request = HelpRequest.objects.get()
    assert request.decision_letter_name == "letter.pdf" and request.decision_letter_type == "pdf"
    assert request.decision_letter_size == len(files.PDF)
    assert (Path(private_media) / request.decision_letter.name).read_bytes() == files.PDF
    assert not _draft().decision_letter
    assert client.get(f"/media/{request.decision_letter.name}").status_code == 404


def test_a_letter_uploaded_before_saying_there_is_none_is_not_kept(
    client, private_media, django_capture_on_commit_callbacks
):
    answer_all(client, parent_mediation()[:4])
    _upload(client, "letter.pdf", files.PDF)
    stored = Path(private_media) / _draft().decision_letter.name
    client.post("/request/letter-date/?change=1", {"unknown": "on"})
    answer_all(client, parent_mediation()[5:])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/request/check/", {"website": ""})
    assert not HelpRequest.objects.get().decision_letter
    assert not stored.exists()


def test_the_pages_work_for_strangers_only_through_get_and_post(client):
    assert client.put("/request/who/").status_code == 405
    assert client.post("/request/").status_code == 405
    assert client.get(reverse("intake:who"))["Cache-Control"].startswith("max-age=0")


def test_a_letter_uploaded_before_changing_to_disagreement_resolution_is_not_sent(client, private_media):
    answer_all(client, parent_mediation()[:4])
    _upload(client, "letter.pdf", files.PDF)
    answer_all(client, parent_mediation()[5:])
    client.post("/request/help/?change=1", {"help_wanted": "disagreement_resolution"})
    client.post("/request/disagreement/?change=1", {"parties": ["school"]})
    check = _html(client.get("/request/check/"))
    assert "letter.pdf" not in check and "Decision letter" not in check
    client.post("/request/check/", {"website": ""})
    request = HelpRequest.objects.get()
    assert not request.decision_letter and request.decision_letter_date is None
