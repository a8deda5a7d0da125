"""The email a family gets when its request arrives carries the Tribunal's time limit."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sendmediation.cases.tests.test_browser import website_request
from sendmediation.intake import services as intake
from sendmediation.intake.forms import QUESTION_FORMS
from sendmediation.intake.tests.journey import young_person_advice
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.services import render_message
from sendmediation.statutory.rules import family_deadlines
from sendmediation.statutory.services import current_calendar

pytestmark = pytest.mark.django_db


def test_the_request_email_gives_the_appeal_time_limit_while_it_runs(personas):
    request = website_request()
    assert request.decision_letter_date is not None
    expected = family_deadlines(request.decision_letter_date, calendar=current_calendar()).appeal_by.due
    assert expected >= timezone.localdate()
    message = OutboxMessage.objects.get(template="request_received")
    assert message.context["appeal_by"] == expected.isoformat()


def test_a_request_without_a_letter_date_has_no_appeal_date(personas):
    draft = intake.start_draft()
    who = ""
    for slug, data in young_person_advice():
        form = QUESTION_FORMS[slug](data, who=who, today=timezone.localdate())
        assert form.is_valid(), (slug, form.errors)
        answer = form.answer()
        intake.save_answer(draft=draft, slug=slug, answer=answer)
        who = str(answer.get("who", who))
    request = intake.submit_request(draft=draft)
    assert request.decision_letter_date is None
    message = OutboxMessage.objects.get(template="request_received")
    assert message.context["appeal_by"] == ""


def _send(steps):
    draft = intake.start_draft()
    who = ""
    for slug, data in steps:
        form = QUESTION_FORMS[slug](data, who=who, today=timezone.localdate())
        assert form.is_valid(), (slug, form.errors)
        answer = form.answer()
        intake.save_answer(draft=draft, slug=slug, answer=answer)
        who = str(answer.get("who", who))
    return intake.submit_request(draft=draft)


def test_the_words_follow_the_contact_choices(personas):
    from sendmediation.intake.tests.journey import parent_mediation

    _send(young_person_advice())  # email only
    by_email = OutboxMessage.objects.get(template="request_received")
    rendered = render_message(by_email.template, by_email.context)
    for body in (rendered.text, rendered.html):
        assert "phone number" not in body
        assert "We will email you by" in body
        assert "If we cannot reach you" not in body
        assert "we will write to you first" in body
    by_email.delete()
    _send(parent_mediation())  # phone and email
    by_phone = OutboxMessage.objects.get(template="request_received")
    rendered = render_message(by_phone.template, by_phone.context)
    assert "We will phone you by" in rendered.text
    assert "your phone number or email address changes" in rendered.text
