"""A family works out their deadlines in a real browser, with JavaScript on and off and on a phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, field: str, day: str, month: str, year: str) -> None:
    for part, value in zip("012", (day, month, year), strict=True):
        page.fill(f"#id_{field}_{part}", value)


def submit(page) -> None:
    page.get_by_role("button", name="Work out my deadlines").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript on", "javascript off"])
def test_a_family_works_out_their_deadlines(
    live_server, page, page_without_js, assert_accessible, javascript
):
    tab = page if javascript else page_without_js
    label = "JavaScript on" if javascript else "JavaScript off"
    tab.goto(live_server.url + reverse("website:deadlines"))
    assert tab.get_by_role("heading", level=1, name="Work out your deadlines").is_visible()
    assert_accessible(tab, label=f"deadlines question, {label}")

    # Nothing typed: the error summary links to the first box.
    submit(tab)
    assert tab.title().startswith("Error: ")
    assert_accessible(tab, label=f"deadlines question with an error, {label}")
    tab.get_by_role("link", name="Enter the date on the decision letter").click()
    if javascript:
        # GOV.UK Frontend moves the focus to the box itself.
        assert tab.evaluate("document.activeElement.id") == "id_decision_letter_sent_0"
    else:
        assert tab.url.endswith("#id_decision_letter_sent_0")

    # An impossible date keeps what was typed.
    fill_date(tab, "decision_letter_sent", "30", "2", "2026")
    submit(tab)
    assert tab.get_by_role("link", name="The date on the decision letter must be a real date").is_visible()
    assert tab.input_value("#id_decision_letter_sent_0") == "30"

    fill_date(tab, "decision_letter_sent", "1", "10", "2025")
    fill_date(tab, "certificate_issued", "29", "11", "2025")
    submit(tab)
    assert tab.get_by_role("heading", level=1, name="Your deadlines").is_visible()
    assert (
        tab.locator("[data-deadline=contact_mediation_adviser_by]").inner_text() == "Monday 1 December 2025"
    )
    assert tab.locator("[data-deadline=appeal_by]").inner_text() == "Friday 2 January 2026"
    # The reasons sit in a details element that opens with or without JavaScript.
    tab.get_by_text("How we worked out the date to appeal").click()
    assert tab.get_by_text("The first working day after 1 January 2026 is Fri 2 Jan 2026").is_visible()
    assert_accessible(tab, label=f"deadlines results, {label}")

    # The result is a link: reloading or sharing it gives the same page.
    assert "decision_letter_sent_0=1" in tab.url
    tab.reload()
    assert tab.locator("[data-deadline=appeal_by]").inner_text() == "Friday 2 January 2026"

    tab.get_by_role("link", name=re.compile("^Change the dates")).click()
    assert tab.input_value("#id_certificate_issued_0") == "29"


def test_a_letter_dated_in_the_future_is_refused(live_server, page, assert_accessible):
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.goto(live_server.url + reverse("website:deadlines"))
    fill_date(page, "decision_letter_sent", str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))
    submit(page)

    assert page.get_by_role(
        "link", name="The date on the decision letter must be today or in the past"
    ).is_visible()
    assert_accessible(page, label="deadlines, letter in the future")


def test_when_the_dates_have_passed_the_page_is_accessible_and_says_what_is_open(
    live_server, page_without_js, assert_accessible
):
    page_without_js.goto(live_server.url + reverse("website:deadlines"))
    fill_date(page_without_js, "decision_letter_sent", "2", "3", "2020")
    submit(page_without_js)

    assert page_without_js.get_by_role("heading", name="What you can still do").is_visible()
    assert_accessible(page_without_js, label="deadlines passed, JavaScript off")


def test_nothing_scrolls_sideways_on_a_small_phone(live_server, phone_page, assert_accessible):
    question = live_server.url + reverse("website:deadlines")
    results = live_server.url + reverse("website:deadlines_results")
    for url in (
        question,
        results + "?decision_letter_sent_0=30&decision_letter_sent_1=2&decision_letter_sent_2=2026",
        results + "?decision_letter_sent_0=1&decision_letter_sent_1=10&decision_letter_sent_2=2025"
        "&certificate_issued_0=29&certificate_issued_1=11&certificate_issued_2=2025",
        results + "?decision_letter_sent_0=2&decision_letter_sent_1=3&decision_letter_sent_2=2020",
    ):
        phone_page.goto(url)
        for summary in phone_page.locator("summary").all():
            summary.click()
        assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    assert_accessible(phone_page, label="deadlines on a phone")
