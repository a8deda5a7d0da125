"""A manager reads the comments families agreed we may publish and makes a testimonial of one."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sendmediation.cases.models import Party
from sendmediation.feedback.models import FollowUpSurvey
from sendmediation.feedback.tests.helpers import answered, closed_case
from sendmediation.website import models as website_models
from sendmediation.website import testimonials
from sendmediation.website.testimonials import make_testimonial_from_survey

Testimonials = website_models.Testimonial.objects

pytestmark = pytest.mark.django_db

COMMENT = (
    "Sarah here. Mina Patel was brilliant and Amir's school (St Jude's) finally listened. "
    "I will recommend you."
)
STRIPPED = (
    "[name] here. [name] was brilliant and [name]'s school ([name]) finally listened. I will recommend you."
)


def _consented(personas, comment: str = COMMENT) -> FollowUpSurvey:
    case = closed_case(personas)
    case.mediator = personas.mediator
    case.save(update_fields=["mediator"])
    Party.objects.create(
        case=case, role=Party.Role.EDUCATION_PROVIDER, name="Head Teacher", organisation="St Jude's"
    )
    return answered(FollowUpSurvey.objects.get(case=case), comment=comment, may_publish=True)


def _manager(personas) -> Client:
    client = Client()
    client.force_login(personas.manager)
    return client


def test_the_manager_sees_each_consented_comment_as_it_would_be_published(personas):
    survey = _consented(personas)
    response = _manager(personas).get(reverse("feedback_review:comments"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert STRIPPED.replace("'", "&#x27;") in html
    assert "Parent, Westminster" in html
    assert f'action="{reverse("feedback_review:make_testimonial", args=[survey.pk])}"' in html


def test_a_comment_without_agreement_is_never_offered(personas):
    other = closed_case(personas, child_first_name="Bo")
    answered(FollowUpSurvey.objects.get(case=other), comment="Private words for you only", may_publish=False)
    html = _manager(personas).get(reverse("feedback_review:comments")).content.decode()
    assert "Private words for you only" not in html
    assert "There are no comments that families agreed we may publish." in html
    with pytest.raises(testimonials.TestimonialRefused):
        make_testimonial_from_survey(actor=personas.manager, survey_id=other.follow_up.pk)
    assert not Testimonials.filter(from_survey__isnull=False).exists()


def test_one_click_makes_one_testimonial_without_names_keeping_the_role_and_the_area(personas):
    survey = _consented(personas)
    client = _manager(personas)
    url = reverse("feedback_review:make_testimonial", args=[survey.pk])

    response = client.post(url, follow=True)
    assert "Testimonial made" in response.content.decode()
    testimonial = Testimonials.get(from_survey__isnull=False)
    assert testimonial.quote == STRIPPED
    assert testimonial.attribution == "Parent, Westminster"
    assert testimonial.area == personas.authority
    assert testimonial.consent_recorded and testimonial.consent_date == timezone.localdate(survey.answered_at)
    assert testimonial.from_survey == survey
    # Consent recorded and the area covered: the website shows it, as it would one added by hand.
    personas.authority.covered_from = datetime.date(2020, 1, 1)
    personas.authority.save()
    assert testimonial in Testimonials.shown_on_website(on=timezone.localdate())

    again = client.post(url, follow=True).content.decode()
    assert "A testimonial has already been made from that comment" in again
    assert Testimonials.filter(from_survey__isnull=False).count() == 1


def test_only_a_manager_may_make_one(personas):
    survey = _consented(personas)
    url = reverse("feedback_review:make_testimonial", args=[survey.pk])
    for person in (personas.coordinator, personas.adviser, personas.mediator, personas.la_officer):
        client = Client()
        client.force_login(person)
        assert client.post(url).status_code == 403
        assert client.get(reverse("feedback_review:comments")).status_code == 403
        with pytest.raises(PermissionDenied):
            make_testimonial_from_survey(actor=person, survey_id=survey.pk)
    assert not Testimonials.filter(from_survey__isnull=False).exists()


def test_a_young_persons_comment_says_young_person(personas):
    case = closed_case(personas)
    survey = FollowUpSurvey.objects.get(case=case)
    FollowUpSurvey.objects.filter(pk=survey.pk).update(respondent=FollowUpSurvey.Respondent.YOUNG_PERSON)
    answered(survey, comment="It helped me", may_publish=True)
    testimonial = make_testimonial_from_survey(actor=personas.manager, survey_id=survey.pk)
    assert testimonial.attribution == "Young person, Westminster"


def test_the_list_takes_the_same_queries_for_one_comment_or_many(personas):
    _consented(personas)
    client = _manager(personas)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("feedback_review:comments"))
    for n in range(3):
        other = closed_case(personas, child_first_name=f"Child{n}")
        answered(FollowUpSurvey.objects.get(case=other), comment=f"Comment {n}", may_publish=True)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("feedback_review:comments")).content.decode()
    assert html.count("Make a testimonial<") == 4
    assert len(many) == len(one)
