"""The public page "Work out your deadlines", through the Django test client."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendmediation.statutory.rules import family_deadlines
from sendmediation.statutory.services import add_one_off_holiday, current_calendar
from sendmediation.website.deadlines import Outlook

pytestmark = pytest.mark.django_db

QUESTION = reverse("website:deadlines")
RESULTS = reverse("website:deadlines_results")


def boxes(sent: date | None = None, certificate: date | None = None, **typed: str) -> dict[str, str]:
    values = {
        f"{name}_{part}": "" for name in ("decision_letter_sent", "certificate_issued") for part in "012"
    }
    for name, when in (("decision_letter_sent", sent), ("certificate_issued", certificate)):
        if when is not None:
            values.update(
                {f"{name}_0": str(when.day), f"{name}_1": str(when.month), f"{name}_2": str(when.year)}
            )
    values.update(typed)
    return values


def text(response) -> str:
    """The page's main content as plain text, one space between words."""
    found = re.search(r"<main.*?</main>", response.content.decode(), re.S)
    assert found is not None
    main = found.group(0)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def title(response) -> str:
    found = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert found is not None
    return unescape(found.group(1)).strip()


def long_date(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B} {d.year}"


def test_the_question_page_asks_for_the_date_on_the_letter(client):
    response = client.get(QUESTION)

    assert response.status_code == 200
    assert title(response).startswith("Work out your deadlines")
    page = text(response)
    assert "What date is on the decision letter?" in page
    assert "not when you got it" in page
    assert "what date was it issued? (optional)" in page
    html = response.content.decode()
    assert f'action="{RESULTS}"' in html
    assert 'method="get"' in html
    assert 'name="decision_letter_sent_0"' in html


def test_the_results_show_both_dates_and_the_reasons(client):
    # As the worked example for 2026, a year earlier (a certificate cannot be dated in the future).
    response = client.get(RESULTS, boxes(date(2025, 10, 1), date(2025, 11, 29)))

    assert response.status_code == 200
    assert title(response).startswith("Your deadlines")
    page = text(response)
    assert "Contact a mediation adviser by Monday 1 December 2025" in page
    assert "Appeal to the SEND Tribunal by Friday 2 January 2026" in page
    assert "Mon 29 Dec 2025 falls between 25 December and 1 January" in page
    assert "The first working day after 1 January 2026 is Fri 2 Jan 2026" in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_worked_example_in_august(client):
    page = text(client.get(RESULTS, boxes(date(2026, 6, 15))))
    assert "Contact a mediation adviser by Saturday 15 August 2026" in page
    assert "Appeal to the SEND Tribunal by Tuesday 1 September 2026" in page
    assert "Sat 15 Aug 2026 falls in August, so it moves to the first working day after 31 August" in page


def test_a_recent_letter_says_what_to_do_next(client):
    today = timezone.localdate()
    sent = today - timedelta(days=10)
    found = family_deadlines(sent, calendar=current_calendar())
    page = text(client.get(RESULTS, boxes(sent)))

    assert f"Contact a mediation adviser by {long_date(found.contact_mediation_adviser_by.due)}" in page
    days = (found.contact_mediation_adviser_by.due - today).days
    assert f"That is in {days} days." in page
    assert "What to do next" in page
    assert "Contact us for mediation advice by" in page
    assert "What you can still do" not in page


def test_a_letter_sent_today_is_accepted(client):
    response = client.get(RESULTS, boxes(timezone.localdate()))
    assert title(response).startswith("Your deadlines")


def test_when_the_contact_date_has_passed_the_page_says_what_is_still_open(client):
    page = text(client.get(RESULTS, boxes(date(2020, 3, 2))))

    assert "What you can still do" in page
    assert "The date to contact a mediation adviser was 2 May 2020." in page
    assert "The date to appeal was 4 May 2020." in page
    assert "disagreement resolution" in page
    assert "It can be used at any time" in page
    assert "Call us on" in page
    assert "What to do next" not in page
    # Plain statements of dates, never blame.
    for word in ("missed", "failed", "too late", "should have"):
        assert word not in page.lower()


def test_between_the_contact_date_and_a_later_appeal_date_the_page_says_what_is_still_open(rf):
    # The results template worded for a fixed today: 20 August 2026, after the contact date
    # (Sat 15 Aug) and before the appeal date (Tue 1 Sep, moved out of August).
    found = family_deadlines(date(2026, 6, 15), calendar=current_calendar())
    today = date(2026, 8, 20)
    html = render_to_string(
        "website/deadlines/results.html",
        {"outlook": Outlook(found, today, current_calendar()), "today": today, "change_url": QUESTION},
        request=rf.get(RESULTS),
    )
    page = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())

    assert (
        "The date to contact a mediation adviser was 15 August 2026. There are still things you can do."
        in page
    )
    assert "only about the school or college named in the plan (section I), its type, or that none" in page
    assert "You can still appeal about that by 1 September 2026." in page
    assert "health and social care" not in page
    assert "That is in 12 days." in page
    assert "accept an appeal after the time limit" not in page


def _results_on(rf, sent: date, today: date) -> str:
    found = family_deadlines(sent, calendar=current_calendar())
    html = render_to_string(
        "website/deadlines/results.html",
        {"outlook": Outlook(found, today, current_calendar()), "today": today, "change_url": QUESTION},
        request=rf.get(RESULTS),
    )
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize(
    ("sent", "today", "closed"),
    [
        # 2 months after 25 October 2026 is Christmas Day.
        (date(2026, 10, 25), date(2026, 12, 3), "25 December is a bank holiday (Christmas Day)"),
        # 2 months after 30 June 2026 is a Sunday.
        (date(2026, 6, 30), date(2026, 7, 1), "30 August is a Sunday"),
    ],
)
def test_a_last_day_when_the_phone_line_is_closed_points_to_the_ways_that_count(rf, sent, today, closed):
    page = _results_on(rf, sent, today)

    assert f"{closed}, so our phone line is closed that day." in page
    assert "You can still ask for help online or email" in page
    assert "both count as contacting us" in page


def test_a_last_day_on_a_working_day_says_nothing_about_the_phone_line(rf):
    # 2 months after 1 October 2026 is Tuesday 1 December.
    page = _results_on(rf, date(2026, 10, 1), date(2026, 10, 2))

    assert "phone line is closed" not in page


def test_with_a_certificate_the_contact_step_is_done(client):
    today = timezone.localdate()
    sent, issued = today - timedelta(days=40), today - timedelta(days=3)
    page = text(client.get(RESULTS, boxes(sent, issued)))

    assert "You have a mediation certificate, so you have already done this." in page
    assert "send form SEND35 to the SEND Tribunal with your mediation certificate" in page


def test_the_change_link_fills_the_form_in_again(client):
    response = client.get(
        RESULTS,
        boxes(
            date(2025, 10, 1),
            certificate_issued_0="29",
            certificate_issued_1="Nov",
            certificate_issued_2="2025",
        ),
    )
    link = re.search(r'href="([^"]*)">Change the dates', response.content.decode())
    assert link is not None
    change = unescape(link.group(1))
    assert change.startswith(QUESTION + "?")

    form = client.get(change).content.decode()
    assert 'name="decision_letter_sent_0" type="text" inputmode="numeric" value="1"' in form
    assert 'name="certificate_issued_1" type="text" inputmode="numeric" value="Nov"' in form
    assert "There is a problem" not in form


def test_a_one_off_holiday_counts_on_the_page(client, personas, django_capture_on_commit_callbacks):
    personas.manager.is_superuser = True
    personas.manager.save()
    # 2 months after Mon 7 Apr 2025 is Sat 7 Jun; the next working day is Mon 9 Jun, unless...
    assert "Appeal to the SEND Tribunal by Monday 9 June 2025" in text(
        client.get(RESULTS, boxes(date(2025, 4, 7)))
    )
    with django_capture_on_commit_callbacks(execute=True):
        add_one_off_holiday(actor=personas.manager, date=date(2025, 6, 9), name="Proclaimed holiday")

    page = text(client.get(RESULTS, boxes(date(2025, 4, 7))))
    assert "Appeal to the SEND Tribunal by Tuesday 10 June 2025" in page
    assert "Proclaimed holiday, Mon 9 Jun 2025, is not a working day" in page


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message", "target"),
    [
        ({}, "Enter the date on the decision letter", "decision_letter_sent"),
        ({"decision_letter_sent_2": "  "}, "Enter the date on the decision letter", "decision_letter_sent"),
        (
            {"decision_letter_sent_0": "1", "decision_letter_sent_2": "2026"},
            "The date on the decision letter must include a month",
            "decision_letter_sent",
        ),
        (
            {"decision_letter_sent_0": "30", "decision_letter_sent_1": "2", "decision_letter_sent_2": "2026"},
            "The date on the decision letter must be a real date",
            "decision_letter_sent",
        ),
        (
            {
                "decision_letter_sent_0": "1",
                "decision_letter_sent_1": "\u00b2",
                "decision_letter_sent_2": "2026",
            },
            "The date on the decision letter must be a real date",
            "decision_letter_sent",
        ),
        (
            {"decision_letter_sent_0": "1", "decision_letter_sent_1": "10", "decision_letter_sent_2": "26"},
            "Year must include 4 numbers",
            "decision_letter_sent",
        ),
        (
            {"decision_letter_sent_0": "1", "decision_letter_sent_1": "10", "decision_letter_sent_2": "1999"},
            "The date on the decision letter must be the same as or after 1 January 2000",
            "decision_letter_sent",
        ),
        (
            {
                "decision_letter_sent_0": "1",
                "decision_letter_sent_1": "10",
                "decision_letter_sent_2": "2026",
                "certificate_issued_0": "30",
                "certificate_issued_1": "9",
                "certificate_issued_2": "2026",
            },
            "The date the mediation certificate was issued must be the same as or after the date on "
            "the decision letter",
            "certificate_issued",
        ),
        (
            {
                "decision_letter_sent_0": "1",
                "decision_letter_sent_1": "10",
                "decision_letter_sent_2": "2026",
                "certificate_issued_0": "30",
                "certificate_issued_2": "2026",
            },
            "The date the mediation certificate was issued must include a month",
            "certificate_issued",
        ),
    ],
)
def test_each_problem_gets_a_govuk_error_message(client, typed, message, target):
    response = client.get(RESULTS, boxes(**typed))

    assert response.status_code == 200
    assert title(response).startswith("Error: Work out your deadlines")
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'<a href="#id_{target}_0">{unescape(message)}</a>' in unescape(html)
    assert f'<p id="id_{target}-error" class="govuk-error-message">' in html
    # What was typed stays in the boxes.
    for name, value in typed.items():
        assert f'name="{name}" type="text" inputmode="numeric" value="{value}"' in html


@pytest.mark.parametrize("field", ["decision_letter_sent", "certificate_issued"])
def test_dates_in_the_future_are_refused(client, field):
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    typed = boxes(today - timedelta(days=5))
    typed.update(
        {f"{field}_0": str(tomorrow.day), f"{field}_1": str(tomorrow.month), f"{field}_2": str(tomorrow.year)}
    )
    subject = {
        "decision_letter_sent": "The date on the decision letter",
        "certificate_issued": "The date the mediation certificate was issued",
    }[field]

    response = client.get(RESULTS, typed)

    assert f"{subject} must be today or in the past" in text(response)
    assert title(response).startswith("Error: ")


def test_the_page_takes_only_get_and_head(client):
    assert client.post(RESULTS, boxes(date(2026, 10, 1))).status_code == 405
    assert client.head(RESULTS, boxes(date(2026, 10, 1))).status_code == 200


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.one_of(st.text(max_size=12), st.integers(-5, 10_000).map(str)), min_size=6, max_size=6)
)
def test_whatever_is_typed_the_page_answers(parts):
    names = [f"{name}_{part}" for name in ("decision_letter_sent", "certificate_issued") for part in "012"]
    response = Client().get(RESULTS, dict(zip(names, parts, strict=True)))
    assert response.status_code == 200
