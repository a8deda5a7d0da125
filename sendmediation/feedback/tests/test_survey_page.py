"""The family's survey page: no sign-in, kept by no cache, answered once."""

from __future__ import annotations

import datetime
import time

import pytest
from django.urls import reverse

from sendmediation.feedback.models import FollowUpSurvey
from sendmediation.feedback.services import survey_token
from sendmediation.feedback.tests.helpers import ANSWERS, closed_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(personas) -> FollowUpSurvey:
    return FollowUpSurvey.objects.get(case=closed_case(personas))


def _url(survey: FollowUpSurvey) -> str:
    return reverse("feedback_public:survey", args=[survey_token(survey)])


def _private(response) -> None:
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex"


def test_the_page_asks_the_questions_without_sign_in(client, survey):
    response = client.get(_url(survey))
    assert response.status_code == 200
    _private(response)
    html = response.content.decode()
    for question in (
        "How satisfied are you with the service we gave you?",
        "Would you recommend us to another family?",
        "If you reached an agreement, has it been kept?",
        "Did you appeal to the SEND Tribunal after your case with us?",
        "You may publish my comment on your website without my name",
    ):
        assert question in html
    assert 'type="radio"' in html and "govuk-radios" in html
    # The case is not named: the link is all the page knows the family by.
    assert survey.case.child_first_name not in html and survey.case.reference not in html


def test_answering_stores_the_answers_and_the_link_then_only_thanks(client, survey):
    url = _url(survey)
    response = client.post(url, {**ANSWERS, "comment": "Thank you", "comment_may_be_published": "on"})
    assert response.status_code == 200
    _private(response)
    assert "Thank you for your answers" in response.content.decode()
    survey.refresh_from_db()
    assert survey.is_answered and survey.comment == "Thank you" and survey.comment_may_be_published

    again = client.get(url)
    assert again.status_code == 200
    _private(again)
    html = again.content.decode()
    assert "Thank you, you have already answered" in html and '<form method="post" novalidate' not in html
    changed = client.post(url, {**ANSWERS, "satisfaction": "very_dissatisfied"})
    assert "Thank you, you have already answered" in changed.content.decode()
    survey.refresh_from_db()
    assert survey.satisfaction == "very_satisfied"


def test_a_missing_answer_is_named_and_what_was_typed_is_kept(client, survey):
    response = client.post(_url(survey), {"satisfaction": "satisfied", "comment": "Half done"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Error: How did it go?" in html
    assert (
        "Choose whether you would recommend us" in html
        and "Choose whether you appealed to the Tribunal" in html
    )
    assert "Half done" in html
    survey.refresh_from_db()
    assert not survey.is_answered


def test_agreeing_to_publish_with_no_comment_is_refused_in_words(client, survey):
    response = client.post(_url(survey), {**ANSWERS, "comment_may_be_published": "on"})
    assert "Write a comment, or untick the box about publishing it" in response.content.decode()
    survey.refresh_from_db()
    assert not survey.is_answered


def test_a_forged_link_gets_a_plain_page(client, survey):
    response = client.get(reverse("feedback_public:survey", args=[survey_token(survey)[:-3] + "abc"]))
    assert response.status_code == 404
    _private(response)
    assert "This link does not work" in response.content.decode()
    assert client.post(reverse("feedback_public:survey", args=["made-up"]), ANSWERS).status_code == 404


def test_an_expired_link_gets_a_plain_page(client, survey, monkeypatch):
    url = _url(survey)
    later = time.time() + datetime.timedelta(days=61).total_seconds()
    monkeypatch.setattr(time, "time", lambda: later)  # the clock signing reads
    response = client.get(url)
    assert response.status_code == 410
    _private(response)
    assert "This link has expired" in response.content.decode()
    assert client.post(url, ANSWERS).status_code == 410
    survey.refresh_from_db()
    assert not survey.is_answered


def test_answers_are_rate_limited_like_other_public_forms(client, survey, settings):
    settings.SURVEY_RATE_LIMIT = 2
    url = reverse("feedback_public:survey", args=["made-up"])
    assert [client.post(url, ANSWERS).status_code for _ in range(3)] == [404, 404, 429]
    limited = client.post(url, ANSWERS)
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    _private(limited)
