"""Staff pages for writing down an agreement and collecting its signatures; the public signing page."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from sendmediation.accounts.models import User
from sendmediation.agreements import services
from sendmediation.agreements.models import Agreement
from sendmediation.agreements.pdf import render_agreement_pdf
from sendmediation.cases.errors import CaseworkError, InvalidChange, TransitionNotAllowed
from sendmediation.cases.family import case_for_token
from sendmediation.cases.models import AccessLog, Case
from sendmediation.cases.pages import refuse_unless_allowed
from sendmediation.cases.queries import get_case_or_404, log_access
from sendmediation.statutory.rules import ORDER_TYPES, RULES

BLANK_ROWS = 3


def _date(data: Any, prefix: str) -> datetime.date | str | None:
    """A day/month/year date from the form: None when all empty, the error words when not real."""
    parts = [str(data.get(f"{prefix}-{name}", "")).strip() for name in ("day", "month", "year")]
    if not any(parts):
        return None
    try:
        day, month, year = (int(part) for part in parts)
        return datetime.date(year, month, day)
    except (ValueError, OverflowError):  # a 20-digit day is too large for the C library
        return "Enter a real date, for example 27 3 2027"


_ITEM_FIELD = re.compile(r"items\.(\d+)\.(what|who|by)")
_AGREED_FIELD = re.compile(r"agreed\.(\w+)\.(date|note)")


def _form_field(
    field: str, error: str, *, item_rows: list[int], rows: list[dict[str, Any]], agreed_errors: dict[str, str]
) -> str:
    """Where on the form a service's complaint belongs (``items.1.who``: the second item sent,
    counted from 0 as the API counts them, which may be a later row of the form); the row or date
    shows the complaint beside it."""
    item = _ITEM_FIELD.fullmatch(field)
    if item is not None and 0 <= int(item[1]) < len(item_rows):
        index, part = item_rows[int(item[1])], item[2]
        rows[index][f"{part}_error"] = error
        return f"item-{index}-{part}"
    agreed = _AGREED_FIELD.fullmatch(field)
    if agreed is not None and agreed[1] in services.DUTIES:
        if agreed[2] == "note":
            agreed_errors[f"{agreed[1]}-note"] = error
            return f"agreed-{agreed[1]}-note"
        agreed_errors[agreed[1]] = error
        return f"agreed-{agreed[1]}"
    return field


def _anchor(field: str) -> str:
    """The id the error summary links to: a date's first box, or the field itself."""
    if re.fullmatch(r"item-\d+-by", field) or (field.startswith("agreed-") and not field.endswith("-note")):
        return f"{field}-day"
    return field if field.startswith(("item-", "agreed-")) or field == "order" else "main-form"


def _page(
    request: HttpRequest, case: Case, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {"case": case, **context}, status=status)


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, reference: str) -> HttpResponseBase:
    case = get_case_or_404(request.user, reference)
    refused = refuse_unless_allowed(request, case, "record_agreement")
    if refused is not None:
        return refused
    agreement = services.agreement_for(case)
    if request.method == "GET" and request.GET.get("preview") and agreement is not None:
        log_access(user=request.user, case=case, what=AccessLog.What.AGREEMENT_PREVIEW)
        response = HttpResponse(render_agreement_pdf(agreement), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="agreement-{case.reference}-preview.pdf"'
        return response
    default_duties, default_order = services.default_duties(case)
    error, status = "", 400
    field = ""
    rows: list[dict[str, Any]] = []
    if request.method == "POST":
        data = request.POST
        rows_sent = str(data.get("rows", "0"))
        count = min(int(rows_sent) if rows_sent.isdigit() else 0, services.MAX_ITEMS)
        items: list[dict[str, Any]] = []
        item_rows: list[int] = []  # the form's row of each item sent to the service
        for index in range(count):
            what, who = data.get(f"item-{index}-what", "").strip(), data.get(f"item-{index}-who", "").strip()
            by = _date(data, f"item-{index}-by")
            rows.append(
                {
                    "what": what,
                    "who": who,
                    "day": data.get(f"item-{index}-by-day", ""),
                    "month": data.get(f"item-{index}-by-month", ""),
                    "year": data.get(f"item-{index}-by-year", ""),
                }
            )
            if isinstance(by, str):
                # Numbered as the form numbers its rows, and shown beside the date.
                error, field = f"Item {index + 1}: {by}", f"item-{index}-by"
                rows[-1]["by_error"] = by
            elif what or who:
                items.append({"what": what, "who": who, "by": by})
                item_rows.append(index)
        duties = data.getlist("duties")
        agreed: dict[str, tuple[datetime.date, str]] = {}
        agreed_errors: dict[str, str] = {}
        for code in duties:
            day = _date(data, f"agreed-{code}")
            if isinstance(day, str):
                error, field = f"{RULES[code].label if code in RULES else code}: {day}", f"agreed-{code}"
                agreed_errors[code] = day
            elif day is not None:
                agreed[code] = (day, data.get(f"agreed-{code}-note", ""))
        if not error:
            try:
                services.record_agreement(
                    actor=_actor(request),
                    case=case,
                    items=items,
                    duties=duties,
                    order=data.get("order", ""),
                    agreed=agreed,
                )
            except CaseworkError as problem:
                error, status = problem.message, _status_for(problem)
                field = _form_field(
                    str(getattr(problem, "field", "")),
                    error,
                    item_rows=item_rows,
                    rows=rows,
                    agreed_errors=agreed_errors,
                )
            else:
                messages.success(request, "Agreement saved")
                return redirect("cases:case_detail", case.reference)
        chosen, order = duties, data.get("order", "")
        agreed_rows: dict[str, dict[str, Any]] = {
            code: {
                "note": data.get(f"agreed-{code}-note", ""),
                "day": data.get(f"agreed-{code}-day", ""),
                "month": data.get(f"agreed-{code}-month", ""),
                "year": data.get(f"agreed-{code}-year", ""),
                "error": agreed_errors.get(code, ""),
                "note_error": agreed_errors.get(f"{code}-note", ""),
            }
            for code in services.DUTIES
        }
    else:
        if agreement is not None:
            rows = [
                {
                    "what": item.what,
                    "who": item.who,
                    "day": item.by.day if item.by else "",
                    "month": item.by.month if item.by else "",
                    "year": item.by.year if item.by else "",
                }
                for item in agreement.items.all()
            ]
            chosen, order = list(agreement.duties), agreement.order
            dates = agreement.agreed_dates()
            agreed_rows = {
                code: {
                    "note": agreement.agreed.get(code, {}).get("note", ""),
                    "day": dates[code].day if code in dates else "",
                    "month": dates[code].month if code in dates else "",
                    "year": dates[code].year if code in dates else "",
                }
                for code in services.DUTIES
            }
        else:
            chosen, order = default_duties, default_order
            agreed_rows = {code: {"note": "", "day": "", "month": "", "year": ""} for code in services.DUTIES}
    rows = rows + [{"what": "", "who": "", "day": "", "month": "", "year": ""}] * BLANK_ROWS
    reasons = services.duty_reasons(case)
    return _page(
        request,
        case,
        "agreements/edit.html",
        {
            "agreement": agreement,
            "rows": rows,
            "duties": [
                {
                    "code": code,
                    "label": RULES[code].label,
                    "reason": reasons[code],
                    "checked": code in chosen,
                    "agreed": agreed_rows[code],
                }
                for code in services.DUTIES
            ],
            "orders": [(slug, kind.label) for slug, kind in ORDER_TYPES.items()],
            "order": order,
            "error": error,
            "field": field,
            "anchor": _anchor(field),
            "sent": agreement is not None and agreement.status == Agreement.Status.SENT_FOR_SIGNATURE,
        },
        status=status if error else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def send(request: HttpRequest, reference: str) -> HttpResponseBase:
    case = get_case_or_404(request.user, reference)
    refused = refuse_unless_allowed(request, case, "send_for_signature")
    if refused is not None:
        return refused
    agreement = services.agreement_for(case)
    error, status = "", 400
    if request.method == "POST":
        try:
            services.send_for_signature(actor=_actor(request), case=case)
        except CaseworkError as problem:
            error, status = problem.message, _status_for(problem)
        else:
            messages.success(request, "Agreement sent for signature")
            return redirect("cases:case_detail", case.reference)
    return _page(
        request,
        case,
        "agreements/send.html",
        {"agreement": agreement, "signatories": services.signatories(case), "error": error},
        status=status if error else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def wet_signature(request: HttpRequest, reference: str) -> HttpResponseBase:
    case = get_case_or_404(request.user, reference)
    refused = refuse_unless_allowed(request, case, "record_wet_signature")
    if refused is not None:
        return refused
    agreement = services.agreement_for(case)
    waiting = (
        list(agreement.current_requests().filter(used_at__isnull=True, voided_at__isnull=True))
        if agreement is not None and agreement.status == Agreement.Status.SENT_FOR_SIGNATURE
        else []
    )
    error, status = "", 400
    values = {"signatory": "", "day": "", "month": "", "year": ""}
    if request.method == "POST":
        values = {
            key: request.POST.get(key if key == "signatory" else f"signed_on-{key}", "") for key in values
        }
        day = _date(request.POST, "signed_on")
        try:
            if day is None or isinstance(day, str):
                raise InvalidChange(day or "Enter the date they signed", field="signed_on")
            signatory = int(request.POST.get("signatory") or 0)
            services.record_wet_signature(
                actor=_actor(request),
                case=case,
                signatory=signatory,
                signed_on=day,
                scan=request.FILES.get("scan"),  # type: ignore[arg-type]
            )
        except ValueError:
            error = "Choose who signed"
        except CaseworkError as problem:
            error, status = problem.message, _status_for(problem)
        else:
            messages.success(request, "Signature on paper recorded")
            return redirect("cases:case_detail", case.reference)
    return _page(
        request,
        case,
        "agreements/wet_signature.html",
        {"agreement": agreement, "waiting": waiting, "error": error, "values": values},
        status=status if error else 200,
    )


# --- without sign-in -------------------------------------------------------------------------------


def _status_for(problem: CaseworkError) -> int:
    """As the API answers: 409 when the case's state refuses it, 400 for what was entered."""
    return 409 if isinstance(problem, TransitionNotAllowed) else 400


def _private(response: HttpResponseBase) -> HttpResponseBase:
    # The link is the key: never send it to another site. "same-origin" rather than "no-referrer",
    # because with no referrer at all browsers post the signing form with Origin "null", which the
    # CSRF check refuses: nobody could sign.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sign(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        signing = services.open_request(token)
    except services.SigningLinkError as problem:
        return _private(render(request, "agreements/link_problem.html", {"problem": problem}, status=410))
    error, field = "", ""
    full_name = ""
    if request.method == "POST":
        full_name = request.POST.get("full_name", "")
        try:
            services.sign(
                token=token,
                full_name=full_name,
                confirmed=request.POST.get("confirmed") == "yes",
                ip=_client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except services.SigningLinkError as problem:
            return _private(render(request, "agreements/link_problem.html", {"problem": problem}, status=410))
        except InvalidChange as problem:
            error, field = problem.message, problem.field
        else:
            signing.agreement.refresh_from_db(fields=["status"])
            everybody = signing.agreement.status == Agreement.Status.SIGNED
            return _private(
                render(request, "agreements/signed.html", {"request_": signing, "everybody": everybody})
            )
    agreement = signing.agreement
    return _private(
        render(
            request,
            "agreements/sign.html",
            {
                "signing": signing,
                "agreement": agreement,
                "case": agreement.case,
                "items": list(agreement.items.all()),
                "token": token,
                "error": error,
                "field": field,
                "full_name": full_name,
            },
            status=400 if error else 200,
        )
    )


@login_not_required
@never_cache
@require_safe
def sign_pdf(request: HttpRequest, token: str) -> HttpResponseBase:
    """The exact PDF the link signs, while the link is open."""
    try:
        signing = services.open_request(token)
    except services.SigningLinkError:
        raise Http404("This link no longer opens the agreement") from None
    agreement = signing.agreement
    response = FileResponse(
        agreement.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"mediation-agreement-{agreement.case.reference}-v{agreement.version}.pdf",
    )
    return _private(response)


@login_not_required
@never_cache
@require_safe
def family_agreement(request: HttpRequest, token: str) -> HttpResponseBase:
    """The signed agreement, from the family's own link page."""
    case = case_for_token(token)
    if case is None:
        raise Http404("This link has expired or is not right")
    agreement = case.agreements.filter(status=Agreement.Status.SIGNED).first()
    if agreement is None:
        raise Http404("No signed agreement")
    response = FileResponse(
        agreement.signed_pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"mediation-agreement-{case.reference}.pdf",
    )
    return _private(response)
