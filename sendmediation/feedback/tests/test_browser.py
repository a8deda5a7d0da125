"""The survey and the managers' review of comments in a real Chromium, checked with axe: JavaScript on
and off, and 320 px wide."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sendmediation.cases.tests.test_browser import sign_in
from sendmediation.feedback.models import FollowUpSurvey
from sendmediation.feedback.services import survey_token
from sendmediation.feedback.tests.helpers import answered, closed_case
from sendmediation.website.models import Testimonial as SiteTestimonial

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_page_without_js(chromium: Any) -> Any:
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 900}, locale="en-GB"
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.javascript_off = True
    yield tab
    context.close()


def _fits(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("tab", ["small_page_without_js", "phone_page"])
def test_a_family_answers_the_survey_on_a_small_screen(
    live_server, personas, assert_accessible, request, tab
):
    page = request.getfixturevalue(tab)
    survey = FollowUpSurvey.objects.get(case=closed_case(personas))
    url = live_server.url + reverse("feedback_public:survey", args=[survey_token(survey)])

    page.goto(url)
    assert page.get_by_role("heading", name="How did it go?").is_visible()
    assert _fits(page)
    assert_accessible(page, label=f"the survey ({tab})")

    # Two questions left out: the error summary names them and links to them.
    page.get_by_label("Very satisfied").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Anything else you would like to tell us (optional)").fill("Kind and clear")
    page.get_by_role("button", name="Send your answers").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_text("Choose whether the agreement has been kept").is_visible()
    assert summary.get_by_text("Choose whether you appealed to the Tribunal").is_visible()
    assert (
        page.get_by_label("Anything else you would like to tell us (optional)").input_value()
        == "Kind and clear"
    )
    assert _fits(page)
    assert_accessible(page, label=f"the survey with errors ({tab})")

    page.get_by_label("There was no agreement").check()
    page.get_by_label("Not yet, but we still might").check()
    page.get_by_label("You may publish my comment on your website without my name").check()
    page.get_by_role("button", name="Send your answers").click()
    assert page.get_by_role("heading", name="Thank you for your answers").is_visible()
    assert_accessible(page, label=f"answers sent ({tab})")
    survey.refresh_from_db()
    assert (survey.satisfaction, survey.appealed, survey.comment_may_be_published) == (
        "very_satisfied",
        "not_yet",
        True,
    )

    page.goto(url)
    assert page.get_by_role("heading", name="Thank you, you have already answered").is_visible()
    assert_accessible(page, label=f"a used link ({tab})")

    page.goto(live_server.url + reverse("feedback_public:survey", args=["not-a-real-link"]))
    assert page.get_by_role("heading", name="This link does not work").is_visible()
    assert_accessible(page, label=f"a forged link ({tab})")


@pytest.mark.parametrize("tab", ["page", "page_without_js", "phone_page"])
def test_a_manager_makes_a_testimonial_from_the_review_page(
    live_server, personas, assert_accessible, request, tab
):
    page = request.getfixturevalue(tab)
    survey = FollowUpSurvey.objects.get(case=closed_case(personas))
    answered(survey, comment="Amir is settled now and Sarah Khan says thank you.", may_publish=True)

    sign_in(page, live_server, "max", reverse("feedback_review:comments"))
    assert page.get_by_role("heading", name="Families' comments").is_visible()
    assert page.get_by_text("[name] is settled now and [name] says thank you.").is_visible()
    if tab == "phone_page":
        assert _fits(page), "the review page scrolls sideways at 320 px"
    assert_accessible(page, label=f"the review page ({tab})")

    page.get_by_role("button", name="Make a testimonial").click()
    assert page.get_by_text(
        "Testimonial made. It is shown on the website while we cover the area."
    ).is_visible()
    assert_accessible(page, label=f"a testimonial made ({tab})")
    made = SiteTestimonial.objects.get(from_survey=survey)
    assert made.quote == "[name] is settled now and [name] says thank you."
