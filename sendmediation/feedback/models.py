"""The follow-up survey a family is invited to when its case closes, and its answers.

Changes go through ``sendmediation.feedback.services``. A survey is answered once: the answers are
written in one update with ``answered_at``, and never changed after.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q


def new_link_key() -> str:
    return secrets.token_urlsafe(16)


class SurveyQuerySet(models.QuerySet["FollowUpSurvey"]):
    def answered(self) -> SurveyQuerySet:
        return self.filter(answered_at__isnull=False)

    def comments_to_review(self) -> SurveyQuerySet:
        """Comments the family agreed we may publish without their name: the only ones a manager is
        offered. A comment without that agreement is never listed."""
        return self.answered().filter(comment_may_be_published=True).exclude(comment="")


class FollowUpSurvey(models.Model):
    class Satisfaction(models.TextChoices):
        VERY_SATISFIED = "very_satisfied", "Very satisfied"
        SATISFIED = "satisfied", "Satisfied"
        NEITHER = "neither", "Neither satisfied nor dissatisfied"
        DISSATISFIED = "dissatisfied", "Dissatisfied"
        VERY_DISSATISFIED = "very_dissatisfied", "Very dissatisfied"

    class Recommend(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_SURE = "not_sure", "Not sure"

    class AgreementHeld(models.TextChoices):
        YES = "yes", "Yes, it has been kept"
        PARTLY = "partly", "Partly"
        NO = "no", "No, it has not been kept"
        NO_AGREEMENT = "no_agreement", "There was no agreement"

    class Appealed(models.TextChoices):
        YES = "yes", "Yes, we appealed"
        NO = "no", "No"
        NOT_YET = "not_yet", "Not yet, but we still might"

    class Respondent(models.TextChoices):
        PARENT = "parent", "Parent"
        YOUNG_PERSON = "young_person", "Young person"

    # One survey per case, sent when it first closes; closing it again after reopening sends no other.
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="follow_up")
    # Signed into the link with the survey's id; the link opens nothing without it.
    link_key = models.CharField(max_length=32, default=new_link_key, editable=False)
    # Who was asked, as a role only: a testimonial keeps it ("Parent, Kent") and never a name.
    respondent = models.CharField(max_length=20, choices=Respondent.choices)
    invited_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    satisfaction = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    would_recommend = models.CharField(max_length=10, choices=Recommend.choices, blank=True)
    agreement_held = models.CharField(max_length=20, choices=AgreementHeld.choices, blank=True)
    appealed = models.CharField(max_length=10, choices=Appealed.choices, blank=True)
    comment = models.TextField(blank=True)
    comment_may_be_published = models.BooleanField(default=False)

    objects = SurveyQuerySet.as_manager()

    # The comment is the family's own words and may name anyone: never in a report or export.
    PERSONAL_FIELDS = ("comment",)

    class Meta:
        ordering = ["-answered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="survey_answered_all_or_nothing",
                condition=(
                    Q(
                        answered_at__isnull=True,
                        satisfaction="",
                        would_recommend="",
                        agreement_held="",
                        appealed="",
                    )
                    & Q(comment="", comment_may_be_published=False)
                )
                | (
                    Q(answered_at__isnull=False)
                    & ~Q(satisfaction="")
                    & ~Q(would_recommend="")
                    & ~Q(agreement_held="")
                    & ~Q(appealed="")
                ),
                violation_error_message="A survey is either not answered or has every answer.",
            ),
            models.CheckConstraint(
                name="survey_consent_needs_a_comment",
                condition=Q(comment_may_be_published=False) | ~Q(comment=""),
                violation_error_message="Agreement to publish needs a comment to publish.",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-up survey {self.pk}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
