"""The front doors of the follow-up survey: inviting the family, answering once, and what a manager
needs to turn a consented comment into a testimonial.

The invitation is written in the transaction that closes the case (through ``case_stopped``), with
its email in the outbox, so a closed case and its invitation commit or roll back together.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from sendmediation.cases.models import Case, Party
from sendmediation.feedback.models import FollowUpSurvey
from sendmediation.feedback.names import strip_names
from sendmediation.notifications.services import queue_email

SALT = "sendmediation.feedback.survey-link"
SURVEY_LINK_DAYS = 60
COMMENT_LIMIT = 2000


class SurveyLinkProblem(Exception):
    """A survey link that cannot be answered, and why."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    ANSWERED = "answered"

    def __init__(self, problem: str, survey: FollowUpSurvey | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.survey = survey


class InvalidAnswer(Exception):
    """An answer the survey cannot take; ``message`` is fit to show the family."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- the link ------------------------------------------------------------------------------------


def link_days() -> int:
    return int(getattr(settings, "SURVEY_LINK_DAYS", SURVEY_LINK_DAYS))


def survey_token(survey: FollowUpSurvey) -> str:
    return signing.dumps({"s": survey.pk, "k": survey.link_key}, salt=SALT, compress=True)


def survey_url(survey: FollowUpSurvey) -> str:
    try:
        return settings.SITE_URL + reverse("feedback_public:survey", args=[survey_token(survey)])
    except NoReverseMatch:  # the public pages are not mounted in this deployment
        return ""


def survey_for_token(token: str) -> FollowUpSurvey:
    """The survey a link opens, if it can still be answered; SurveyLinkProblem says why not."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=datetime.timedelta(days=link_days()))
    except signing.SignatureExpired:
        raise SurveyLinkProblem(SurveyLinkProblem.EXPIRED) from None
    except signing.BadSignature:
        raise SurveyLinkProblem(SurveyLinkProblem.UNKNOWN) from None
    if not isinstance(payload, dict):
        raise SurveyLinkProblem(SurveyLinkProblem.UNKNOWN)
    survey_id, key = payload.get("s"), payload.get("k")
    if not isinstance(survey_id, int) or not isinstance(key, str):
        raise SurveyLinkProblem(SurveyLinkProblem.UNKNOWN)
    survey = FollowUpSurvey.objects.select_related("case").filter(pk=survey_id).first()
    if survey is None or not constant_time_compare(survey.link_key, key):
        raise SurveyLinkProblem(SurveyLinkProblem.UNKNOWN)
    if survey.is_answered:
        raise SurveyLinkProblem(SurveyLinkProblem.ANSWERED, survey)
    return survey


# --- inviting the family -------------------------------------------------------------------------


def invite_family_to_survey(*, case: Case, now: datetime.datetime | None = None) -> FollowUpSurvey | None:
    """Invite the family to the survey by email, once per case.

    Only a family that gave us an email address is written to: the service keeps a parent's or
    young person's email only when they chose to be contacted by email. Returns None when there is
    nobody to write to; a case already invited keeps its first survey and gets no second email."""
    family = case.parties.family_contact()
    if family is None or not family.email:
        return None
    with transaction.atomic():
        survey, created = FollowUpSurvey.objects.get_or_create(
            case=case,
            defaults={
                "respondent": (
                    FollowUpSurvey.Respondent.YOUNG_PERSON
                    if family.role == Party.Role.YOUNG_PERSON
                    else FollowUpSurvey.Respondent.PARENT
                ),
                "invited_at": now or timezone.now(),
            },
        )
        if created:
            queue_email(
                to=family.email,
                template="follow_up_survey",
                context={
                    "reference": case.reference,
                    "name": family.name,
                    "survey_link": survey_url(survey),
                    "link_days": link_days(),
                },
                dedupe_key=f"follow-up-survey:{survey.pk}:family",
                case=case,
            )
    return survey


def invite_when_case_closes(sender: Any, *, case: Case, **kwargs: Any) -> None:
    """Heard inside the transaction that closes a case. A withdrawn case is not surveyed: the family
    (or the service) stopped before the end, and the questions are about how it ended."""
    if case.status == Case.Status.CLOSED:
        invite_family_to_survey(case=case)


# --- answering -----------------------------------------------------------------------------------


def _choice(value: str, choices: type[Any], *, field: str, message: str) -> str:
    if value not in choices.values:
        raise InvalidAnswer(message, field=field)
    return value


def answer_survey(
    *,
    token: str,
    satisfaction: str,
    would_recommend: str,
    agreement_held: str,
    appealed: str,
    comment: str = "",
    may_publish: bool = False,
    now: datetime.datetime | None = None,
) -> FollowUpSurvey:
    """Store the family's answers, once. A second answer through the same link is refused."""
    Survey = FollowUpSurvey
    answers = {
        "satisfaction": _choice(
            satisfaction, Survey.Satisfaction, field="satisfaction", message="Choose how satisfied you are"
        ),
        "would_recommend": _choice(
            would_recommend,
            Survey.Recommend,
            field="would_recommend",
            message="Choose whether you would recommend us",
        ),
        "agreement_held": _choice(
            agreement_held,
            Survey.AgreementHeld,
            field="agreement_held",
            message="Choose whether the agreement has been kept",
        ),
        "appealed": _choice(
            appealed, Survey.Appealed, field="appealed", message="Choose whether you appealed to the Tribunal"
        ),
    }
    comment = comment.strip()
    if len(comment) > COMMENT_LIMIT:
        raise InvalidAnswer(f"Your comment must be {COMMENT_LIMIT:,} characters or fewer", field="comment")
    if "\x00" in comment:
        raise InvalidAnswer("Your comment has a hidden character in it: type it again", field="comment")
    if may_publish and not comment:
        raise InvalidAnswer(
            "Write a comment, or untick the box about publishing it", field="comment_may_be_published"
        )
    with transaction.atomic():
        survey = survey_for_token(token)
        locked = FollowUpSurvey.objects.select_for_update().get(pk=survey.pk)
        if locked.is_answered:  # answered by another request since the link was read
            raise SurveyLinkProblem(SurveyLinkProblem.ANSWERED, locked)
        for name, value in answers.items():
            setattr(locked, name, value)
        locked.comment = comment
        locked.comment_may_be_published = may_publish
        locked.answered_at = now or timezone.now()
        locked.save(update_fields=[*answers, "comment", "comment_may_be_published", "answered_at"])
    return locked


# --- a comment as a testimonial ------------------------------------------------------------------


def names_on_case(case: Case) -> list[str]:
    """Every name the case holds: the child's, each party's and their organisation's, and its staff's."""
    names = [case.child_first_name, case.child_last_name, case.child_name]
    for party in case.parties.all():
        names += [party.name, party.organisation]
    for user in (case.coordinator, case.adviser, case.mediator):
        if user is not None:
            names += [user.first_name, user.last_name, user.get_full_name()]
    return [name for name in names if name]


@dataclass(frozen=True)
class TestimonialDraft:
    """What a consented comment would become: the words without names, who said it and where."""

    quote: str
    attribution: str
    area_id: int
    consent_date: datetime.date


def testimonial_draft(survey: FollowUpSurvey) -> TestimonialDraft:
    """The comment with names taken out, and the role and area it keeps."""
    if not (survey.is_answered and survey.comment_may_be_published and survey.comment):
        raise InvalidAnswer("The family did not agree that this comment may be published", field="comment")
    case = survey.case
    answered_at = survey.answered_at
    assert answered_at is not None
    return TestimonialDraft(
        quote=strip_names(survey.comment, names_on_case(case)),
        attribution=f"{survey.get_respondent_display()}, {case.local_authority.name}"[:100],
        area_id=case.local_authority_id,
        consent_date=timezone.localdate(answered_at),
    )
