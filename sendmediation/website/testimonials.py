"""Turning a family's consented survey comment into a testimonial: the manager's one click.

The comment's names are taken out (``feedback.names``), the role and the area are kept, and the
family's agreement in the survey is recorded as the testimonial's consent, dated the day they
answered. A testimonial with recorded consent is shown on the website wherever the service covers
the area (``Testimonial.objects.shown_on_website``), as for one an editor adds by hand; an editor can
untick the consent in the CMS to take it down.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import can_review_feedback
from sendmediation.feedback.models import FollowUpSurvey
from sendmediation.feedback.services import testimonial_draft
from sendmediation.website.models import Testimonial

logger = logging.getLogger(__name__)

# The newest comments shown for review; older ones have long been read.
REVIEW_SHOWN = 100


class TestimonialRefused(Exception):
    """The comment cannot become a testimonial; ``message`` is fit to show the manager."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def comments_for_review(*, limit: int = REVIEW_SHOWN) -> list[FollowUpSurvey]:
    """The newest comments the family agreed we may publish, with what each needs to be shown as a
    testimonial. Comments without that agreement are never listed."""
    return list(
        FollowUpSurvey.objects.comments_to_review()
        .select_related(
            "case__local_authority", "case__coordinator", "case__adviser", "case__mediator", "testimonial"
        )
        .prefetch_related("case__parties")
        .order_by("-answered_at", "-id")[:limit]
    )


def make_testimonial_from_survey(*, actor: User, survey_id: int) -> Testimonial:
    """Create the testimonial for one consented comment, once."""
    if not can_review_feedback(actor):
        raise PermissionDenied
    with transaction.atomic():
        survey = (
            FollowUpSurvey.objects.comments_to_review()
            .select_for_update()
            .select_related("case__local_authority")
            .filter(pk=survey_id)
            .first()
        )
        if survey is None:
            raise TestimonialRefused("That comment cannot be published: the family did not agree to it")
        if Testimonial.objects.filter(from_survey=survey).exists():
            raise TestimonialRefused("A testimonial has already been made from that comment")
        draft = testimonial_draft(survey)
        testimonial = Testimonial.objects.create(
            quote=draft.quote,
            attribution=draft.attribution,
            area_id=draft.area_id,
            consent_recorded=True,
            consent_date=draft.consent_date,
            from_survey=survey,
        )
    logger.info("Testimonial id=%s made from survey id=%s by user id=%s", testimonial.pk, survey.pk, actor.pk)
    return testimonial
