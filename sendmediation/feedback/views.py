"""The family's survey page: one link, one set of answers, no sign-in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sendmediation.common import ratelimit
from sendmediation.feedback.forms import SurveyForm
from sendmediation.feedback.services import InvalidAnswer, SurveyLinkProblem, answer_survey, survey_for_token

# Answers a minute from one address: far more than a family needs, too few to try links.
SURVEY_POSTS_PER_MINUTE = 10


def _private(response: HttpResponse) -> HttpResponse:
    # The link is the key: never send it to another site. "same-origin" rather than "no-referrer",
    # because with no referrer at all browsers post the form with Origin "null", which CSRF refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def _problem(request: HttpRequest, problem: SurveyLinkProblem) -> HttpResponse:
    status = {SurveyLinkProblem.ANSWERED: 200, SurveyLinkProblem.EXPIRED: 410}.get(problem.problem, 404)
    return _private(
        render(request, "feedback/survey_link_problem.html", {"problem": problem.problem}, status=status)
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        wait = ratelimit.take(
            request,
            scope="follow-up-survey",
            limit=int(getattr(settings, "SURVEY_RATE_LIMIT", SURVEY_POSTS_PER_MINUTE)),
            window_seconds=60,
        )
        if wait is not None:
            response = render(request, "feedback/survey_rate_limited.html", {"wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return _private(response)
    try:
        survey_for_token(token)
    except SurveyLinkProblem as problem:
        return _problem(request, problem)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = form.cleaned_data
        try:
            answer_survey(
                token=token,
                satisfaction=answers["satisfaction"],
                would_recommend=answers["would_recommend"],
                agreement_held=answers["agreement_held"],
                appealed=answers["appealed"],
                comment=answers["comment"],
                may_publish=answers["comment_may_be_published"],
            )
        except SurveyLinkProblem as problem:
            return _problem(request, problem)
        except InvalidAnswer as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return _private(render(request, "feedback/survey_done.html"))
    return _private(render(request, "feedback/survey.html", {"form": form}))
