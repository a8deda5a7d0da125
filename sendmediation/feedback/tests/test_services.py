"""Inviting the family when a case closes, and answering the survey once, through the front doors."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core import signing
from django.db import IntegrityError, transaction

from sendmediation.cases import services as case_services
from sendmediation.cases.models import Case, Party
from sendmediation.cases.tests.builders import case_in
from sendmediation.feedback import services
from sendmediation.feedback.models import FollowUpSurvey
from sendmediation.feedback.services import InvalidAnswer, SurveyLinkProblem, survey_for_token, survey_token
from sendmediation.feedback.tests.helpers import ANSWERS, answered, closed_case
from sendmediation.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _survey_emails(case: Case) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template="follow_up_survey", case_reference=case.reference))


def test_closing_a_case_invites_the_family_by_email_in_the_outbox(personas):
    case = closed_case(personas)

    survey = FollowUpSurvey.objects.get(case=case)
    assert survey.respondent == FollowUpSurvey.Respondent.PARENT and not survey.is_answered
    [email] = _survey_emails(case)
    assert email.recipients == [personas.parent.email]
    sent_token = email.context["survey_link"].rstrip("/").rsplit("/", 1)[-1]
    assert email.context["survey_link"].endswith(f"/survey/{sent_token}/")
    assert survey_for_token(sent_token) == survey
    assert email.dedupe_key == f"follow-up-survey:{survey.pk}:family"
    assert survey_for_token(survey_token(survey)) == survey


def test_the_invitation_is_written_in_the_closing_transaction(personas):
    case = case_in(personas, Case.Status.ADVICE_GIVEN)

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        case_services.close_case(actor=personas.coordinator, case=case, outcome=Case.Outcome.ADVICE_ONLY)
        assert FollowUpSurvey.objects.filter(case=case).exists() and _survey_emails(case)
        raise Undone

    case.refresh_from_db()
    assert case.status == Case.Status.ADVICE_GIVEN
    assert not FollowUpSurvey.objects.filter(case=case).exists() and not _survey_emails(case)


def test_a_withdrawn_case_is_not_surveyed(personas):
    case = case_in(personas, Case.Status.WITHDRAWN)
    assert not FollowUpSurvey.objects.filter(case=case).exists() and not _survey_emails(case)


def test_a_family_without_an_email_address_is_not_written_to(personas):
    case = case_in(personas, Case.Status.ADVICE_GIVEN)
    Party.objects.filter(case=case).update(email="")
    case_services.close_case(actor=personas.coordinator, case=case, outcome=Case.Outcome.ADVICE_ONLY)
    assert not FollowUpSurvey.objects.filter(case=case).exists() and not _survey_emails(case)


def test_a_young_person_in_their_own_right_is_asked_as_a_young_person(personas):
    case = case_in(personas, Case.Status.ADVICE_GIVEN)
    Party.objects.create(
        case=case, role=Party.Role.YOUNG_PERSON, name="Jordan Price", email="jordan@example.org"
    )
    case_services.close_case(actor=personas.coordinator, case=case, outcome=Case.Outcome.ADVICE_ONLY)
    survey = FollowUpSurvey.objects.get(case=case)
    assert survey.respondent == FollowUpSurvey.Respondent.YOUNG_PERSON
    assert [email.recipients for email in _survey_emails(case)] == [["jordan@example.org"]]


def test_closing_again_after_reopening_sends_no_second_invitation(personas):
    case = closed_case(personas)
    case_services.reopen_case(actor=personas.coordinator, case=case, reason="Closed by mistake")
    case_services.close_case(actor=personas.coordinator, case=case, outcome=Case.Outcome.ADVICE_ONLY)
    assert FollowUpSurvey.objects.filter(case=case).count() == 1 and len(_survey_emails(case)) == 1


def test_the_answers_are_stored_once_and_the_link_then_says_so(personas):
    survey = FollowUpSurvey.objects.get(case=closed_case(personas))
    token = survey_token(survey)
    done = answered(survey, appealed="yes", comment="  Kind and clear.  ", may_publish=True)

    survey.refresh_from_db()
    assert (survey.satisfaction, survey.would_recommend, survey.agreement_held, survey.appealed) == (
        "very_satisfied",
        "yes",
        "no_agreement",
        "yes",
    )
    assert survey.comment == "Kind and clear." and survey.comment_may_be_published
    assert survey.answered_at == done.answered_at is not None
    with pytest.raises(SurveyLinkProblem) as problem:
        services.answer_survey(token=token, **{**ANSWERS, "appealed": "no"})
    assert problem.value.problem == SurveyLinkProblem.ANSWERED
    survey.refresh_from_db()
    assert survey.appealed == "yes"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"satisfaction": ""}, "satisfaction", "Choose how satisfied you are"),
        ({"would_recommend": "maybe"}, "would_recommend", "Choose whether you would recommend us"),
        ({"agreement_held": "YES"}, "agreement_held", "Choose whether the agreement has been kept"),
        ({"appealed": "perhaps"}, "appealed", "Choose whether you appealed to the Tribunal"),
        ({"comment": "x" * 2001}, "comment", "Your comment must be 2,000 characters or fewer"),
        ({"comment": "a\x00b"}, "comment", "Your comment has a hidden character in it: type it again"),
        (
            {"comment": "   ", "may_publish": True},
            "comment_may_be_published",
            "Write a comment, or untick the box about publishing it",
        ),
    ],
)
def test_an_answer_the_survey_cannot_take_is_refused_in_words(personas, changes, field, message):
    survey = FollowUpSurvey.objects.get(case=closed_case(personas))
    with pytest.raises(InvalidAnswer) as error:
        answered(survey, **changes)
    assert (error.value.field, error.value.message) == (field, message)
    survey.refresh_from_db()
    assert not survey.is_answered


def test_a_forged_or_altered_link_opens_nothing(personas):
    survey = FollowUpSurvey.objects.get(case=closed_case(personas))
    token = survey_token(survey)
    forged = [
        token[:-2] + ("xx" if not token.endswith("xx") else "yy"),
        "",
        "not-a-token",
        # Signed with the right salt, but the key does not match the survey's.
        signing.dumps({"s": survey.pk, "k": "guessed"}, salt=services.SALT, compress=True),
        signing.dumps({"s": survey.pk + 1000, "k": survey.link_key}, salt=services.SALT, compress=True),
        signing.dumps(["s", survey.pk], salt=services.SALT),
        # The family's case link is signed for another purpose and opens no survey.
        signing.dumps({"s": survey.pk, "k": survey.link_key}, salt="sendmediation.cases.family-link"),
    ]
    for bad in forged:
        with pytest.raises(SurveyLinkProblem) as problem:
            survey_for_token(bad)
        assert problem.value.problem == SurveyLinkProblem.UNKNOWN, bad


def test_a_link_expires_after_its_days(personas, settings, monkeypatch):
    survey = FollowUpSurvey.objects.get(case=closed_case(personas))
    settings.SURVEY_LINK_DAYS = 60
    token = survey_token(survey)
    assert survey_for_token(token) == survey
    later = time.time() + datetime.timedelta(days=61).total_seconds()
    monkeypatch.setattr(time, "time", lambda: later)  # the clock signing reads
    with pytest.raises(SurveyLinkProblem) as problem:
        survey_for_token(token)
    assert problem.value.problem == SurveyLinkProblem.EXPIRED


def test_the_database_refuses_half_an_answer(personas):
    survey = FollowUpSurvey.objects.get(case=closed_case(personas))
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpSurvey.objects.filter(pk=survey.pk).update(satisfaction="satisfied")
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpSurvey.objects.filter(pk=survey.pk).update(comment="", comment_may_be_published=True)


def test_removing_the_cases_personal_data_removes_the_comment_and_stops_the_link(personas):
    """The retention schedule (or an erasure on request) reaches the survey: the family's words go,
    an unused link stops working, and the answers the reports count stay."""
    from sendmediation.cases.retention import anonymise_case

    case = closed_case(personas)
    survey = FollowUpSurvey.objects.get(case=case)
    answered(survey, appealed="yes", comment="Ms Jones was kind.", may_publish=True)
    other = FollowUpSurvey.objects.get(case=closed_case(personas))
    unused_token = survey_token(other)

    for which in (case, other.case):
        assert anonymise_case(case=which, actor=None, today=datetime.date(2033, 1, 1))
    survey.refresh_from_db()
    assert (survey.comment, survey.comment_may_be_published) == ("", False)
    assert (survey.appealed, survey.satisfaction) == ("yes", "very_satisfied")
    with pytest.raises(SurveyLinkProblem):
        survey_for_token(unused_token)
