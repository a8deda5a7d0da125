"""Managers read the comments families agreed we may publish, and make a testimonial of one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import can_review_feedback
from sendmediation.feedback.models import FollowUpSurvey
from sendmediation.feedback.services import testimonial_draft
from sendmediation.website.testimonials import (
    TestimonialRefused,
    comments_for_review,
    make_testimonial_from_survey,
)


@require_safe
def comments(request: HttpRequest) -> HttpResponse:
    if not can_review_feedback(request.user):
        raise PermissionDenied
    rows = [{"survey": survey, "draft": testimonial_draft(survey)} for survey in comments_for_review()]
    return render(
        request,
        "website/feedback_comments.html",
        {"rows": rows, "nav": "feedback", "total": FollowUpSurvey.objects.comments_to_review().count()},
    )


@require_POST
def make_testimonial(request: HttpRequest, survey_id: int) -> HttpResponse:
    if not can_review_feedback(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)
    try:
        make_testimonial_from_survey(actor=request.user, survey_id=survey_id)
    except TestimonialRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "Testimonial made. It is shown on the website while we cover the area.")
    return redirect("feedback_review:comments")
