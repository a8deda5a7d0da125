"""The request journey's pages. Each parses its form, calls one service, and redirects."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from sendmediation.common import ratelimit
from sendmediation.common.invalid_forms import keep_and_redirect, restore
from sendmediation.common.session_keys import CHECKED_POSTCODE
from sendmediation.common.uploads import UploadRefused
from sendmediation.intake import facts, services
from sendmediation.intake.forms import QUESTION_FORMS, LetterForm, SendForm
from sendmediation.intake.journey import (
    CHECK,
    PREFILL,
    IncompleteRequest,
    can_visit,
    first_unanswered,
    next_slug,
    previous_slug,
)
from sendmediation.intake.models import RequestDraft, Who
from sendmediation.intake.summary import check_answers
from sendmediation.localities.postcodes import is_valid_postcode, normalise_postcode

logger = logging.getLogger(__name__)

SESSION_KEY = "intake_draft"
# What just happened to the decision letter ("uploaded" or "removed"), shown once on the letter page.
LETTER_NOTICE_KEY = "intake_letter_notice"
GONE_MESSAGE = "Your answers have been deleted because you did not finish within 7 days. Start again."
# Requests one address may send in an hour, unless INTAKE_SENDS_PER_HOUR says otherwise (0 for no limit).
SENDS_PER_HOUR = 10


def _draft(request: HttpRequest) -> RequestDraft | None:
    token = request.session.get(SESSION_KEY)
    if not token:
        return None
    return (
        RequestDraft.objects.active(now=timezone.now())
        .select_related("help_request")
        .filter(token=token)
        .first()
    )


def _url(slug: str, *, changing: bool = False) -> str:
    url = reverse("intake:check" if slug == CHECK else f"intake:{slug}")
    return f"{url}?change=1" if changing and slug != CHECK else url


def _changing(request: HttpRequest) -> bool:
    return request.GET.get("change") == "1"


def _back_url(slug: str, answers: dict[str, Any], *, changing: bool) -> str:
    if changing:
        return _url(CHECK)
    before = previous_slug(slug, answers)
    return _url(before) if before else reverse("intake:start")


def _start_again(request: HttpRequest) -> HttpResponseRedirect:
    if request.session.pop(SESSION_KEY, None):
        messages.info(request, GONE_MESSAGE)
    return redirect("intake:start")


def _prefill(request: HttpRequest) -> str:
    """The postcode the family found covered on the coverage check, kept in the session."""
    raw = request.session.get(CHECKED_POSTCODE, "")
    return normalise_postcode(raw) if isinstance(raw, str) and raw and is_valid_postcode(raw) else ""


def _where_to_go(draft: RequestDraft | None, slug: str) -> HttpResponseRedirect | None:
    """A redirect when the page cannot be shown yet (or any more), else None."""
    if draft is not None and draft.submitted_at is not None:
        return redirect("intake:sent")
    answers = draft.answers if draft is not None else {}
    if not can_visit(slug, answers):
        return redirect(_url(first_unanswered(answers) or CHECK))
    return None


@login_not_required
@require_safe
def start(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if draft is not None and draft.submitted_at is not None:
        # Sent already: the next visit begins a new request.
        del request.session[SESSION_KEY]
    return render(request, "intake/start.html", {"start_url": reverse("intake:who")})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, slug: str) -> HttpResponse:
    form_class = QUESTION_FORMS[slug]
    draft = _draft(request)
    if draft is None and slug != "who":
        return _start_again(request)
    blocked = _where_to_go(draft, slug)
    if blocked is not None:
        return blocked
    answers: dict[str, Any] = draft.answers if draft is not None else {}
    changing = _changing(request)
    options = {"who": answers.get("who", {}).get("who", ""), "today": timezone.localdate()}

    if request.method == "POST":
        if slug == "letter" and "remove" in request.POST:
            assert draft is not None
            services.remove_decision_letter(draft=draft)
            request.session[LETTER_NOTICE_KEY] = "removed"
            return redirect(_url(slug, changing=changing))
        form = form_class(request.POST, request.FILES, **options)
        if form.is_valid():
            if draft is None:
                draft = services.start_draft(prefill_postcode=_prefill(request))
                request.session[SESSION_KEY] = draft.token
            elif _prefill(request):
                services.prefill_postcode(draft=draft, postcode=_prefill(request))
            request.session.pop(CHECKED_POSTCODE, None)
            if not request.user.is_authenticated:
                # Kept as long as the answers are, so that a parent can come back another day.
                request.session.set_expiry(int(services.DRAFT_LIFETIME.total_seconds()))
            if isinstance(form, LetterForm) and form.cleaned_data.get("letter"):
                try:
                    services.attach_decision_letter(
                        draft=draft,
                        upload=form.cleaned_data["letter"],
                        client_address=ratelimit.client_address(request),
                    )
                except UploadRefused as refused:
                    form.add_error("letter", ValidationError(refused.message, code=refused.code))
                    return keep_and_redirect(request, form, key=f"intake:{slug}")
                # Back to the same page: the person sees which file they chose, and can remove or replace it.
                request.session[LETTER_NOTICE_KEY] = "uploaded"
                return redirect(_url(slug, changing=changing))
            if isinstance(form, LetterForm):
                services.save_answer(draft=draft, slug=slug, answer={"uploaded": bool(draft.decision_letter)})
            else:
                services.save_answer(draft=draft, slug=slug, answer=form.answer())
            return redirect(_url(next_slug(slug, draft.answers, changing=changing), changing=changing))
        return keep_and_redirect(request, form, key=f"intake:{slug}")
    else:
        saved = answers.get(slug) or (answers.get(PREFILL, {}) if slug == "postcode" else {})
        form = restore(request, lambda data: form_class(data, **options), key=f"intake:{slug}") or form_class(
            initial=form_class.initial_from(saved), **options
        )

    return render(
        request,
        f"intake/{slug}.html",
        {
            "form": form,
            "title": form.heading(),
            "back_url": _back_url(slug, answers, changing=changing),
            "draft": draft,
            "who": options["who"],
            "professional": options["who"] == Who.PROFESSIONAL,
            "young_person": options["who"] == Who.YOUNG_PERSON,
            "letter_notice": request.session.pop(LETTER_NOTICE_KEY, "") if slug == "letter" else "",
        },
    )


def _information_page(request: HttpRequest, slug: str) -> tuple[RequestDraft | None, HttpResponse | None]:
    draft = _draft(request)
    if draft is None:
        return None, _start_again(request)
    blocked = _where_to_go(draft, slug)
    return draft, blocked


@login_not_required
@never_cache
@require_safe
def time_limit(request: HttpRequest) -> HttpResponse:
    draft, blocked = _information_page(request, "time-limit")
    if blocked is not None:
        return blocked
    assert draft is not None
    letter_date = datetime.date.fromisoformat(draft.answers["letter-date"]["date"])
    today = timezone.localdate()
    return render(
        request,
        "intake/time-limit.html",
        {
            "limit": facts.time_limit(letter_date, today=today),
            "back_url": _back_url("time-limit", draft.answers, changing=False),
            "next_url": _url(next_slug("time-limit", draft.answers, changing=False)),
            "professional": draft.answers["who"]["who"] == Who.PROFESSIONAL,
        },
    )


@login_not_required
@never_cache
@require_safe
def area(request: HttpRequest) -> HttpResponse:
    draft, blocked = _information_page(request, "area")
    if blocked is not None:
        return blocked
    assert draft is not None
    return render(
        request,
        "intake/area.html",
        {
            "area": facts.area_for(draft.answers["postcode"]["postcode"], on=timezone.localdate()),
            "back_url": _back_url("area", draft.answers, changing=False),
            "next_url": _url(next_slug("area", draft.answers, changing=False)),
            "professional": draft.answers["who"]["who"] == Who.PROFESSIONAL,
        },
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if draft is None:
        return _start_again(request)
    if draft.submitted_at is not None:
        return redirect("intake:sent")
    missing = first_unanswered(draft.answers)
    if missing is not None:
        return redirect(_url(missing))
    form = SendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_from_a_bot():
            logger.warning("A request was not sent: the box for bots was filled in")
            return render(request, "intake/not_sent.html", status=400)
        retry_after = ratelimit.take(
            request,
            scope="intake-sends",
            limit=int(getattr(settings, "INTAKE_SENDS_PER_HOUR", SENDS_PER_HOUR)),
            window_seconds=60 * 60,
        )
        if retry_after is not None:
            response = render(request, "intake/rate_limited.html", status=429)
            response["Retry-After"] = str(retry_after)
            return response
        try:
            services.submit_request(draft=draft)
        except IncompleteRequest as incomplete:
            return redirect(_url(incomplete.slug))
        except services.DraftGone:
            return _start_again(request)
        return redirect("intake:sent")
    today = timezone.localdate()
    return render(
        request,
        "intake/check.html",
        {
            "form": form,
            "answers": check_answers(draft, today=today),
            "back_url": _back_url(CHECK, draft.answers, changing=False),
            "professional": draft.answers["who"]["who"] == Who.PROFESSIONAL,
        },
    )


@login_not_required
@never_cache
@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if draft is None or draft.help_request is None:
        return _start_again(request)
    help_request = draft.help_request
    sent_on = timezone.localdate(help_request.created_at)
    letter_date = help_request.decision_letter_date
    return render(
        request,
        "intake/sent.html",
        {
            "help_request": help_request,
            "professional": help_request.who == Who.PROFESSIONAL,
            "sent_on": sent_on,
            "time_limit": facts.time_limit(letter_date, today=sent_on) if letter_date else None,
        },
    )
