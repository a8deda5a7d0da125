"""What families and local authorities read: case links, checking a certificate, call times, time limits."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.registry import MESSAGE_TYPES, InvalidContext, MissingContext
from sendmediation.notifications.services import queue_email, render_message, send_due_messages
from sendmediation.notifications.templatetags.notifications_email import day_and_time
from sendmediation.notifications.tests.conftest import SmtpServer
from sendmediation.notifications.tests.factories import certificate_context

pytestmark = pytest.mark.django_db

EMAILS = Path(__file__).resolve().parents[1] / "templates" / "notifications" / "emails"
LINK = "https://mediation.example/your-case/abc.def-123/"
THIRTY_DAYS = "this link works for 30 days; ask us for a new one after that"
FAMILY_LINKED = ("certificate_issued", "case_opened", "advice_call_booked")


def sample(name: str, **changes: Any) -> dict[str, Any]:
    return {**MESSAGE_TYPES[name].sample, **changes}


def bodies(name: str, **changes: Any) -> tuple[str, str]:
    rendered = render_message(name, sample(name, **changes))
    return rendered.text, rendered.html


def words(html: str) -> str:
    """The HTML as a reader sees it: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" .", ".").replace(" ,", ",")


def template_names(name: str) -> set[str]:
    """Context names a message's templates read (not brand, site_url or loop variables)."""
    found: set[str] = set()
    for suffix in ("txt", "html"):
        source = (EMAILS / f"{name}.{suffix}").read_text()
        loops = set(re.findall(r"{%\s*for\s+(\w+)\s+in", source))
        for expression in re.findall(r"{{\s*(.*?)\s*}}", source) + re.findall(
            r"{%\s*(?:if|elif|for)\s+(.*?)%}", source
        ):
            without_strings = re.sub(r"\"[^\"]*\"|'[^']*'", " ", expression.split("|")[0])
            found.update(re.findall(r"(?<![\w.])([a-z_]\w*)", without_strings))
        found -= loops
    return found - {"brand", "site_url", "and", "or", "not", "in", "is"}


# --- The registry ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MESSAGE_TYPES))
def test_every_sample_passes_its_own_check_and_names_every_key_the_templates_read(name: str) -> None:
    kind = MESSAGE_TYPES[name]

    kind.check_context(kind.sample)

    assert not set(kind.required) & set(kind.optional)
    assert set(kind.choices) <= set(kind.required)
    assert template_names(name) <= set(kind.required) | set(kind.optional), "undeclared context key"
    for key, allowed in kind.choices.items():
        assert kind.sample[key] in allowed
    for variant, (_label, changes) in kind.variants.items():
        assert set(changes) <= set(kind.required) | set(kind.optional), variant
        kind.check_context(kind.sample_for(variant))


def test_the_keys_each_family_email_needs() -> None:
    assert MESSAGE_TYPES["certificate_issued"].required == (
        "reference",
        "name",
        "certificate_number",
        "issued_on",
        "appeal_by",
        "case_link",
        "verification_code",
        "verify_url",
    )
    assert MESSAGE_TYPES["case_opened"].required == ("reference", "name", "case_link", "kind")
    assert MESSAGE_TYPES["case_opened"].optional == ("appeal_by", "adviser_call_by")
    assert MESSAGE_TYPES["advice_call_booked"].required == (
        "reference",
        "name",
        "starts_at",
        "adviser_name",
        "case_link",
    )
    assert MESSAGE_TYPES["request_received"].required == ("reference", "name", "contact_by")
    assert "appeal_by" in MESSAGE_TYPES["request_received"].optional
    assert MESSAGE_TYPES["certificate_issued_la"].optional == ("case_url", "verification_code", "verify_url")


def test_a_certificate_email_without_the_checking_details_is_refused_when_queued() -> None:
    context = certificate_context()
    del context["verification_code"], context["verify_url"]

    with pytest.raises(MissingContext, match="needs verification_code, verify_url"):
        queue_email(to="parent@example.org", template="certificate_issued", context=context, dedupe_key="c")

    assert OutboxMessage.objects.count() == 0


def test_a_case_opened_email_for_an_unknown_kind_of_case_is_refused_when_queued() -> None:
    with pytest.raises(InvalidContext, match="kind must be one of advice_only, mediation"):
        queue_email(
            to="parent@example.org",
            template="case_opened",
            context=sample("case_opened", kind="tribunal"),
            dedupe_key="case-opened:1:family",
        )

    assert OutboxMessage.objects.count() == 0


# --- No child's name, ever ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MESSAGE_TYPES))
def test_no_email_reads_or_shows_anything_about_the_child(name: str) -> None:
    for suffix in ("txt", "html"):
        source = (EMAILS / f"{name}.{suffix}").read_text()
        assert not re.search(r"{[{%][^}]*child", source), f"{name}.{suffix} reads a child's detail"
    assert not [key for key in MESSAGE_TYPES[name].sample if "child" in key]

    rendered = render_message(
        name,
        sample(name, child_name="Zebedee Quill", child_initials="ZQX", child={"name": "Zebedee Quill"}),
    )

    for body in (rendered.subject, rendered.text, rendered.html):
        assert "Zebedee" not in body and "Quill" not in body and "ZQX" not in body


# --- The family's case link --------------------------------------------------------------------


@pytest.mark.parametrize("name", FAMILY_LINKED)
def test_the_case_link_is_in_both_bodies_with_how_long_it_works(name: str) -> None:
    text, html = bodies(name, case_link=LINK)

    assert f"\n{LINK}\n" in text
    assert f"({THIRTY_DAYS}):" in text
    label = (
        "See your case and download the certificate again"
        if name == "certificate_issued"
        else "See your case"
    )
    assert re.search(rf'<a href="{re.escape(LINK)}"[^>]*>{label}</a> \({THIRTY_DAYS}\)\.', html)


@pytest.mark.parametrize("name", FAMILY_LINKED)
def test_without_a_case_link_the_sentence_goes(name: str) -> None:
    text, html = bodies(name, case_link="")

    for body in (text, html):
        assert "30 days" not in body
        assert "See your case" not in body
        assert "your-case" not in body
        assert 'href=""' not in body


def test_the_certificate_email_links_the_case_and_says_how_to_check_the_certificate() -> None:
    text, html = bodies("certificate_issued")

    assert (
        "Your mediation certificate is attached. If it is missing, use the link below to download it." in text
    )
    assert (
        "See your case and download the certificate again (this link works for 30 days; "
        "ask us for a new one after that):\nhttps://mediation.example/your-case/sample-signed-link/\n"
    ) in text
    assert "\nIf someone needs to check the certificate\n" in text
    assert (
        "They can check it is genuine at https://mediation.example/verify/ with the certificate number "
        "MC-2026-000107 and the code KZ7P-M4QX-9RTB."
    ) in text
    assert "you must do so by Monday 4 January 2027. Send a copy of this certificate" in text
    assert ">If someone needs to check the certificate</h2>" in html
    assert (
        "They can check it is genuine at https://mediation.example/verify/ with the certificate number "
        "MC-2026-000107 and the code KZ7P-M4QX-9RTB."
    ) in words(html)
    assert '<a href="https://mediation.example/your-case/sample-signed-link/"' in html


def test_without_a_link_the_certificate_email_says_to_ask_for_the_attachment() -> None:
    text, html = bodies("certificate_issued", case_link="")

    missing = "If it is missing, contact us and we will send it again."
    assert missing in text and missing in words(html)
    assert "link below" not in text and "link below" not in html


def test_without_an_appeal_date_the_certificate_email_does_not_print_an_empty_one() -> None:
    text, html = bodies("certificate_issued", appeal_by="")

    assert "by ." not in text and "by <strong></strong>" not in html
    assert "Contact us if you are not sure of the time limit." in text


# --- The local authority's copy ----------------------------------------------------------------


def test_the_la_email_explains_why_it_names_nobody_and_can_carry_the_checking_details() -> None:
    text, html = bodies("certificate_issued_la")

    privacy = "For privacy, this email does not name the child or family."
    assert (
        f"{privacy} Sign in to see the case: https://mediation.example/staff/cases/MED-2026-000042/" in text
    )
    assert privacy in words(html) and ">Sign in to see the case</a>" in html
    assert "on purpose" not in text and "on purpose" not in html
    check = (
        "You can check the certificate is genuine at https://mediation.example/verify/ with the "
        "certificate number MC-2026-000107 and the code KZ7P-M4QX-9RTB."
    )
    assert check in text and check in words(html)


def test_the_la_email_without_the_optional_details() -> None:
    context = {
        key: value
        for key, value in MESSAGE_TYPES["certificate_issued_la"].sample.items()
        if key not in ("case_url", "verification_code", "verify_url")
    }

    rendered = render_message("certificate_issued_la", context)

    for body in (rendered.text, words(rendered.html)):
        assert "genuine" not in body and "KZ7P" not in body
        assert (
            "For privacy, this email does not name the child or family. "
            "Sign in to the service to see the case." in body
        )
    assert "staff/cases" not in rendered.html


# --- Case opened -------------------------------------------------------------------------------


ADVISER_WILL_PHONE = (
    "A mediation adviser will phone you by Tuesday 13 October 2026 to talk through mediation and what it "
    "means for you. You do not have to decide anything before the call."
)
ASK_EVERYONE = (
    "We will contact everyone involved to ask whether they agree to disagreement resolution. "
    "It is voluntary for everyone, including you."
)


@pytest.mark.parametrize(
    ("kind", "next_step", "not_said"),
    [
        ("advice_only", ADVISER_WILL_PHONE, ASK_EVERYONE),
        ("mediation", ADVISER_WILL_PHONE, ASK_EVERYONE),
        ("disagreement_resolution", ASK_EVERYONE, "mediation adviser"),
    ],
)
def test_case_opened_says_what_happens_next_for_each_kind_of_case(
    kind: str, next_step: str, not_said: str
) -> None:
    rendered = render_message("case_opened", sample("case_opened", kind=kind))

    assert rendered.subject == "We have opened your case (reference MED-2026-000042)"
    for body in (rendered.text, words(rendered.html)):
        assert "We have opened your case. Your reference is MED-2026-000042." in body
        assert next_step in body
        assert not_said not in body
        assert (
            "If you want to appeal to the SEND Tribunal, the time limit is Tuesday 1 December 2026." in body
        )


def test_case_opened_is_accurate_about_the_appeal_time_limit() -> None:
    mediation, _ = bodies("case_opened", kind="mediation")
    resolution, _ = bodies("case_opened", kind="disagreement_resolution")

    assert (
        "Talking to us does not change it. "
        "If we issue a mediation certificate, the time limit may move later." in mediation
    )
    # Disagreement resolution never produces a certificate and never blocks an appeal.
    assert "certificate" not in resolution
    assert (
        "Disagreement resolution does not change it, and you can still appeal while it goes on." in resolution
    )


def test_case_opened_leaves_out_dates_it_was_not_given() -> None:
    text, html = bodies("case_opened", adviser_call_by="", appeal_by="")

    assert "A mediation adviser will phone you to talk through mediation" in text
    assert "A mediation adviser will phone you to talk through mediation" in words(html)
    for body in (text, html):
        assert "time limit" not in body and "Tribunal" not in body
        assert " by ." not in body and "<strong></strong>" not in body


def test_case_opened_works_with_the_case_kind_the_cases_app_stores() -> None:
    from sendmediation.cases.models import Case

    message = queue_email(
        to="parent@example.org",
        template="case_opened",
        context=sample("case_opened", kind=Case.Kind.DISAGREEMENT_RESOLUTION),
        dedupe_key="case-opened:2:family",
    )

    assert message.context["kind"] == "disagreement_resolution"
    assert ASK_EVERYONE in render_message("case_opened", message.context).text


# --- The advice call ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_at", "said"),
    [
        ("2026-11-30T10:00:00+00:00", "Monday 30 November 2026 at 10am"),
        ("2026-11-30T14:30:00+00:00", "Monday 30 November 2026 at 2:30pm"),
        # British Summer Time: given in UK time, and given in UTC.
        ("2026-06-01T09:30:00+01:00", "Monday 1 June 2026 at 9:30am"),
        ("2026-07-01T13:30:00+00:00", "Wednesday 1 July 2026 at 2:30pm"),
        # Late evening UTC in summer is already the next day in the UK.
        ("2026-06-30T23:30:00+00:00", "Wednesday 1 July 2026 at 12:30am"),
        # The morning the clocks go back.
        ("2026-10-25T11:00:00+00:00", "Sunday 25 October 2026 at 11am"),
        ("2026-03-29T12:00:00+01:00", "Sunday 29 March 2026 at midday"),
        ("2026-12-01T00:00:00+00:00", "Tuesday 1 December 2026 at midnight"),
        (datetime(2026, 6, 1, 8, 30, tzinfo=UTC), "Monday 1 June 2026 at 9:30am"),
        ("", ""),
        ("not a time", "not a time"),
    ],
)
def test_call_times_read_as_a_day_and_a_uk_time(starts_at: object, said: str) -> None:
    assert day_and_time(starts_at) == said


@pytest.mark.parametrize(
    ("starts_at", "said"),
    [
        ("2026-11-30T10:00:00+00:00", "Monday 30 November 2026 at 10am"),
        ("2026-07-01T13:30:00+00:00", "Wednesday 1 July 2026 at 2:30pm"),
    ],
)
def test_the_advice_call_email_says_who_will_phone_and_when(starts_at: str, said: str) -> None:
    rendered = render_message("advice_call_booked", sample("advice_call_booked", starts_at=starts_at))

    assert rendered.subject == "Your call with a mediation adviser (reference MED-2026-000042)"
    sentence = f"Sam Adviser, a mediation adviser, will phone you on {said}."
    assert sentence in rendered.text and sentence in words(rendered.html)
    change = (
        "If the time does not suit you, call us on 0808 157 0192 or email help@kestrel-mediation.example."
    )
    assert change in rendered.text and change in words(rendered.html)
    assert 'href="tel:08081570192"' in rendered.html


# --- The request confirmation ------------------------------------------------------------------


def test_the_request_email_gives_the_appeal_time_limit_only_when_known() -> None:
    with_limit, html = bodies("request_received")
    without, html_without = bodies("request_received", appeal_by="")

    said = "The time limit for appealing to the SEND Tribunal is Tuesday 1 December 2026."
    assert said in with_limit and said in words(html)
    assert "Tribunal" not in without and "Tribunal" not in html_without


# --- Through the queue and the worker ----------------------------------------------------------


def test_the_family_emails_arrive_as_written(smtp_server: SmtpServer) -> None:
    queue_email(
        to="parent@example.org",
        template="advice_call_booked",
        context=sample("advice_call_booked", starts_at=datetime(2026, 6, 1, 8, 30, tzinfo=UTC)),
        dedupe_key="advice-call:1:family",
        case="MED-2026-000042",
    )
    queue_email(
        to="parent@example.org",
        template="case_opened",
        context=sample("case_opened", case_link=""),
        dedupe_key="case-opened:1:family",
        case="MED-2026-000042",
    )

    assert send_due_messages().sent == 2

    received = {str(message["Subject"]): message for message in smtp_server.messages}
    call = received["Your call with a mediation adviser (reference MED-2026-000042)"]
    text = call.get_body(preferencelist=("plain",))
    assert text is not None
    assert "will phone you on Monday 1 June 2026 at 9:30am." in text.get_content()
    assert "https://mediation.example/your-case/sample-signed-link/" in text.get_content()
    opened = received["We have opened your case (reference MED-2026-000042)"]
    html = opened.get_body(preferencelist=("html",))
    assert html is not None
    assert "by <strong>Tuesday 13 October 2026</strong>" in html.get_content()
    assert "30 days" not in html.get_content()
