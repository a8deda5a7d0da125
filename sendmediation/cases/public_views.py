"""Pages without sign-in: a family's own case (through its signed link), an organisation's answer to
disagreement resolution (through its single-purpose link), and checking a certificate."""

from __future__ import annotations

import contextlib
import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sendmediation.cases import services
from sendmediation.cases.certificates import RENDER_RETRY_SECONDS, ready_pdf, verify, verify_url
from sendmediation.cases.errors import InvalidChange, TransitionNotAllowed
from sendmediation.cases.family import LinkProblem, check_token
from sendmediation.cases.forms import DrConsentAnswerForm, VerifyForm
from sendmediation.cases.models import AccessLog, AdviceCall, Case, Certificate, Deadline
from sendmediation.cases.queries import log_access
from sendmediation.cases.services.resolution import ConsentLinkProblem, answer_dr_consent, consent_request_for
from sendmediation.common import ratelimit
from sendmediation.common.invalid_forms import keep_and_redirect, restore
from sendmediation.statutory.calendar import format_date
from sendmediation.statutory.rules import RuleCode

Status = Case.Status

# Attempts a minute from one address: enough for a clerk, too few to guess codes.
VERIFY_ATTEMPTS_PER_MINUTE = 10


# --- the family's page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    text: str
    date_label: str = ""
    date: datetime.date | None = None


def _running(case: Case, rule: str) -> Deadline | None:
    return case.deadlines.filter(rule=rule).first()


def next_step(case: Case) -> NextStep:
    """What happens next for the family, in their words, and the next date that matters to them."""
    status = case.status
    if status in (Status.RECEIVED, Status.TRIAGED):
        return NextStep("We will contact you to arrange a call with a mediation adviser.")
    if status == Status.ADVICE_BOOKED:
        call = case.advice_calls.filter(held_at__isnull=True).order_by("-id").first()
        if call and call.booked_for:
            return NextStep(
                "A mediation adviser will call you.", "Your call is booked for", call.booked_for.date()
            )
        return NextStep("A mediation adviser will call you.")
    if status == Status.ADVICE_GIVEN:
        last = case.advice_calls.latest_reached()
        certificate = _running(case, RuleCode.CERTIFICATE_AFTER_ADVICE)
        if last and last.outcome == AdviceCall.Outcome.DECLINES_MEDIATION and certificate:
            return NextStep(
                "You told us you do not want mediation. We will send your mediation certificate.",
                "We will send it by",
                certificate.due,
            )
        return NextStep("Tell us whether you want mediation. Contact us if you have any questions.")
    if status in (Status.MEDIATION_REQUESTED, Status.LA_NOTIFIED):
        held_by = _running(case, RuleCode.MEDIATION_BY)
        return NextStep(
            "You asked for mediation. We will contact you to arrange the meeting.",
            "The mediation should be held by",
            held_by.effective_due if held_by else None,
        )
    if status == Status.MEDIATION_NOT_ARRANGED:
        certificate = _running(case, RuleCode.CERTIFICATE_WHEN_NOT_ARRANGED)
        return NextStep(
            "The mediation cannot be held in time. We will send your mediation certificate.",
            "We will send it by",
            certificate.due if certificate else None,
        )
    if status == Status.CERTIFICATE_ISSUED:
        appeal = _running(case, RuleCode.APPEAL_BY)
        return NextStep(
            "Your mediation certificate is ready. If you want to appeal to the SEND Tribunal, send a copy "
            "with your appeal form (SEND35).",
            "Appeal by",
            appeal.due if appeal else None,
        )
    if status == Status.CONSENT_PENDING:
        return NextStep("We are asking everyone involved whether they agree to take part.")
    if status == Status.CONSENT_GIVEN:
        return NextStep("Everyone agreed to take part. We will contact you to arrange the meeting.")
    if status == Status.CONSENT_REFUSED:
        return NextStep(
            "Not everyone agreed to take part, so disagreement resolution cannot go ahead. See below for "
            "what you can do next."
        )
    return NextStep("Your case is closed. If you need help again, contact us.")


def dr_refused(case: Case) -> bool:
    """Disagreement resolution cannot go ahead because someone declined: the family's page then says
    what they can do instead."""
    return case.kind == Case.Kind.DISAGREEMENT_RESOLUTION and (
        case.status == Status.CONSENT_REFUSED
        or (case.status == Status.CLOSED and case.outcome == Case.Outcome.CONSENT_REFUSED)
    )


class FamilyLinkDoesNotWork(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _family_case(token: str) -> Case:
    case, problem = check_token(token)
    if case is None:
        raise FamilyLinkDoesNotWork(problem)
    return case


def family_link_problem(request: HttpRequest, problem: str) -> HttpResponse:
    """A plain page for a link that opens nothing: gone (410) when it was ours but stopped or ran
    out, not found (404) when it never was."""
    status = 404 if problem == LinkProblem.UNKNOWN else 410
    return _private(render(request, "cases/family_link_problem.html", {"problem": problem}, status=status))


def family_link_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The family's pages answer a link that does not work with the plain page, not an error."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, token, *args, **kwargs)
        except FamilyLinkDoesNotWork as problem:
            return family_link_problem(request, problem.problem)

    return wrapped


@login_not_required
@never_cache
@require_safe
@family_link_page
def family_case(request: HttpRequest, token: str) -> HttpResponse:
    case = _family_case(token)
    log_access(user=None, case=case, what=AccessLog.What.FAMILY_PAGE)
    response = render(
        request,
        "cases/family_case.html",
        {
            "case": case,
            "token": token,
            "next": next_step(case),
            "dr_refused": dr_refused(case),
            "appeal_by": _running(case, RuleCode.APPEAL_BY),
            "certificates": list(case.certificates.all()),
            "verify_url": verify_url(),
            "may_ask_for_certificate": services.may_ask_for_certificate(case),
            "certificate_asked_on": services.certificate_asked_on(case),
        },
    )
    # The link is the key: never send it to another site. (Not "no-referrer": a form posted from a
    # page with no referrer carries Origin "null", which the CSRF check refuses.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def certificate_not_ready(request: HttpRequest) -> HttpResponse:
    """The PDF could not be made just now: say so plainly, and when to try again."""
    response = render(request, "cases/certificate_not_ready.html", status=503)
    response["Retry-After"] = str(RENDER_RETRY_SECONDS)
    response["Cache-Control"] = "private, no-store"
    return response


def certificate_download_response(
    request: HttpRequest, certificate: Certificate, *, handed_over: Callable[[Certificate], None]
) -> HttpResponseBase:
    """The certificate's PDF as a download, or the page saying it cannot be had just now.
    ``handed_over`` runs only when the file is sent (to log who had it)."""
    ready = ready_pdf(certificate)
    if ready is None:
        return certificate_not_ready(request)
    handed_over(ready)
    response = FileResponse(
        ready.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"mediation-certificate-{ready.number}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@never_cache
@require_safe
@family_link_page
def family_certificate(request: HttpRequest, token: str, number: str) -> HttpResponseBase:
    case = _family_case(token)
    certificate = case.certificates.filter(number=number).first()
    if certificate is None:
        raise Http404("Certificate not found")
    response = certificate_download_response(
        request,
        certificate,
        handed_over=lambda ready: log_access(
            user=None, case=case, what=AccessLog.What.FAMILY_CERTIFICATE, item=ready.number
        ),
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- an organisation's answer to disagreement resolution -------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    # The link is the key: never send it to another site. "same-origin" rather than "no-referrer",
    # because with no referrer at all browsers post the form with Origin "null", which CSRF refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def _link_problem(request: HttpRequest, problem: ConsentLinkProblem) -> HttpResponse:
    answered_on = None
    if problem.problem == ConsentLinkProblem.USED and problem.request is not None:
        answered_on = problem.request.party.dr_consent_on
    status = 404 if problem.problem == ConsentLinkProblem.UNKNOWN else 410
    return _private(
        render(
            request,
            "cases/dr_consent_link_problem.html",
            {"problem": problem.problem, "answered_on": answered_on},
            status=status,
        )
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def dr_consent(request: HttpRequest, token: str) -> HttpResponse:
    """One organisation's page to agree to disagreement resolution, or decline with a reason. It shows
    the case in the fewest words: its reference, who is asked, the child's initials."""
    try:
        link = consent_request_for(token)
    except ConsentLinkProblem as problem:
        return _link_problem(request, problem)
    form = DrConsentAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answered = answer_dr_consent(
                token=token,
                consent=form.cleaned_data["consent"],
                reason=form.cleaned_data["reason"],
                ip=ratelimit.client_address(request),
            )
        except ConsentLinkProblem as problem:
            return _link_problem(request, problem)
        except InvalidChange as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return _private(
                render(
                    request,
                    "cases/dr_consent_done.html",
                    {"party": answered.party, "case": answered.party.case},
                )
            )
    party = link.party
    return _private(
        render(
            request,
            "cases/dr_consent.html",
            {
                "form": form,
                "case": party.case,
                "asked": party.organisation or party.get_role_display(),
                "expires_on": timezone.localdate(link.expires_at),
            },
        )
    )


# --- checking a certificate ----------------------------------------------------------------------


_VERIFY_SESSION_KEY = "verify-result"


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify_certificate(request: HttpRequest) -> HttpResponse:
    """Check a certificate (number and code) or a signed agreement (its SHA-256).

    A check is posted, and its answer shown after a redirect to this page with GET (kept in the
    session for one view), so that the browser's Back button never asks to send the form again."""
    if request.method == "POST":
        wait = ratelimit.take(
            request,
            scope="certificate-verify",
            limit=int(getattr(settings, "CERTIFICATE_VERIFY_RATE_LIMIT", VERIFY_ATTEMPTS_PER_MINUTE)),
            window_seconds=60,
        )
        if wait is not None:
            response = render(request, "cases/verify_rate_limited.html", {"wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        if "sha256" in request.POST:
            raw = request.POST.get("sha256", "").strip()[:200]
            request.session[_VERIFY_SESSION_KEY] = {"agreement": raw}
            return HttpResponseRedirect(reverse("cases_public:verify") + "#agreement", status=303)
        form = VerifyForm(request.POST)
        if not form.is_valid():
            return keep_and_redirect(request, form, key="verify")
        found = verify(form.cleaned_data["number"], form.cleaned_data["code"])
        request.session[_VERIFY_SESSION_KEY] = {
            "certificate": found.pk if found is not None else None,
            # Shown again after a failed check, to correct and try again.
            "typed": {} if found is not None else {key: form.cleaned_data[key] for key in ("number", "code")},
        }
        return HttpResponseRedirect(reverse("cases_public:verify"), status=303)
    kept = request.session.pop(_VERIFY_SESSION_KEY, None)
    if isinstance(kept, dict) and "agreement" in kept:
        raw = str(kept["agreement"])
        return render(
            request,
            "cases/verify.html",
            {
                "form": VerifyForm(),
                "checked": False,
                "agreement_checked": True,
                "title": "Agreement checked" if raw else "Check a mediation certificate",
                "agreement_error": "" if raw else "Enter the SHA-256 hash of the agreement",
                "sha256": raw,
                "agreement": signed_agreement(raw) if raw else None,
            },
        )
    checked = isinstance(kept, dict) and "certificate" in kept
    typed = kept.get("typed", {}) if checked and isinstance(kept, dict) else {}
    form = restore(request, VerifyForm, key="verify") or VerifyForm(initial=typed)
    result: Certificate | None = None
    if checked and kept["certificate"] is not None:
        result = (
            Certificate.objects.select_related("case", "replaced_by").filter(pk=kept["certificate"]).first()
        )
    if not checked:
        title = "Check a mediation certificate"
    elif result is None:
        title = "Certificate not confirmed"
    elif result.revoked_on is not None:
        title = "Certificate revoked"
    else:
        title = "Certificate confirmed as genuine"
    return render(
        request,
        "cases/verify.html",
        {
            "form": form,
            "title": title,
            "checked": checked,
            "certificate": result,
            "issued_on": format_date(result.issued_on) if result else "",
            "revoked_on": format_date(result.revoked_on) if result and result.revoked_on else "",
            "replaced_on": (
                format_date(result.replaced_by.issued_on) if result and result.replaced_by is not None else ""
            ),
        },
    )


def signed_agreement(sha256: str) -> dict[str, object] | None:
    """The case reference and signing date of the signed agreement whose PDF has this SHA-256, read
    through the case's reverse relation (the agreements app keeps the agreement). No personal data."""
    digest = "".join(sha256.split()).lower()
    if len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest):
        return None
    row = (
        Case.objects.filter(agreements__signed_sha256=digest, agreements__status="signed")
        .values("reference", "agreements__signed_on", "agreements__version")
        .first()
    )
    if row is None:
        return None
    return {
        "reference": row["reference"],
        "signed_on": format_date(row["agreements__signed_on"]) if row["agreements__signed_on"] else "",
        "version": row["agreements__version"],
    }


@login_not_required
@never_cache
@require_POST
@family_link_page
def family_ask_for_certificate(request: HttpRequest, token: str) -> HttpResponse:
    """The family asks for its certificate after mediation; back to its page, which says so."""
    case = _family_case(token)
    # Once the certificate is out the page no longer offers this, and says what the case is now.
    with contextlib.suppress(TransitionNotAllowed):
        services.ask_for_certificate(case=case)
    return HttpResponseRedirect(reverse("cases_public:family_case", args=[token]), status=303)
