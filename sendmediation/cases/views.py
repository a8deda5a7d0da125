"""Staff pages: my work, the case list, a case, and one small form per action.

Every case is fetched with ``get_case_or_404`` (outside a person's scope it does not exist); every
change is one call to a service in ``sendmediation.cases.services``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import (
    can_arrange,
    can_see_documents,
    can_see_family_contact,
    can_see_notes,
    can_triage_requests,
)
from sendmediation.cases import forms as case_forms
from sendmediation.cases import services, workflow
from sendmediation.cases.errors import (
    ActionNotPermitted,
    BookingClash,
    CaseNotVisible,
    CaseworkError,
    InvalidChange,
    OtherAuthority,
)
from sendmediation.cases.models import AccessLog, Case, CaseEvent
from sendmediation.cases.public_views import certificate_download_response
from sendmediation.cases.queries import (
    MY_WORK_ROWS,
    PAGE_SIZE,
    CasePage,
    asked_for,
    booked_advice_calls,
    find_duplicates,
    get_case_or_404,
    known_order,
    known_total,
    log_access,
    log_list_read,
    without_coordinator,
)
from sendmediation.cases.queries import (
    case_list as query_case_list,
)
from sendmediation.cases.queries import (
    my_work as query_my_work,
)
from sendmediation.cases.services.advice import MISSED_CALL_STATUSES
from sendmediation.cases.services.resolution import ask_by_phone
from sendmediation.cases.timeline import describe, title
from sendmediation.intake.models import HelpRequest
from sendmediation.intake.services import RequestAlreadyDecided
from sendmediation.intake.uploads import letter_content_type
from sendmediation.localities.coverage import is_covered
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.registry import UnknownMessageType, without_private_links
from sendmediation.notifications.services import describe_message, emails_for_case, render_message
from sendmediation.statutory.rules import RULES
from sendmediation.statutory.services import current_calendar


def _staff_nav(user: Any) -> dict[str, bool]:
    return {"can_triage": can_arrange(user)}


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, nav: str = "cases", status: int = 200
) -> HttpResponse:
    return render(request, template, {**_staff_nav(request.user), "nav": nav, **context}, status=status)


# --- my work and the list ------------------------------------------------------------------------


@require_safe
def my_work(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    buckets = query_my_work(request.user, today=today, limit=MY_WORK_ROWS)
    waiting = HelpRequest.objects.new().count() if can_triage_requests(request.user) else 0
    arranging = can_arrange(request.user)
    uncoordinated = without_coordinator(Case.objects.visible_to(request.user)).count() if arranging else 0
    calls = booked_advice_calls(request.user)
    log_list_read(
        user=request.user,
        what=AccessLog.What.MY_WORK,
        query={},
        shown=sum(len(bucket.rows) for bucket in buckets) + len(calls),
    )
    return _render(
        request,
        "cases/my_work.html",
        {
            "buckets": buckets,
            "today": today,
            "now": timezone.now(),
            "waiting_requests": waiting,
            "uncoordinated": uncoordinated,
            "calls": calls,
        },
        nav="my_work",
    )


@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = case_forms.CaseFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = query_case_list(
        user,
        today=timezone.localdate(),
        status=filters.get("status", ""),
        age=filters.get("age", ""),
        authority=filters.get("authority", ""),
        assignee=filters.get("assignee", ""),
        deadline=filters.get("deadline", ""),
        q=filters.get("q", ""),
    )
    page = CasePage(
        cases,
        number=request.GET.get("page"),
        per_page=PAGE_SIZE,
        count=known_total(user, filters),
        ids=known_order(user, filters),
    )
    log_list_read(
        user=user,
        what=AccessLog.What.CASE_LIST,
        query=asked_for(request.GET, form.fields),
        shown=len(page.object_list),
        page=page.number,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(filters.values()),
            "active_filters": form.active(request.GET),
            "today": timezone.localdate(),
        },
    )


# --- a case --------------------------------------------------------------------------------------


def _offered_for_privacy(name: str, case: Case) -> bool:
    """A hold is offered only to be placed or lifted as the case stands; nothing to correct or
    erase once the personal data is gone."""
    if name == "place_legal_hold":
        return not case.legal_hold and case.anonymised_on is None
    if name == "lift_legal_hold":
        return case.legal_hold
    if name in ("correct_details", "erase_case", "reissue_family_link"):
        return case.anonymised_on is None
    return True


def _next_and_other_actions(case: Case, user: Any, rows: list[Any]) -> dict[str, Any]:
    """The usual next step (as a button when this person may take it) and everything else allowed."""
    offered = [
        (action, workflow.label_for(action, case))
        for action in workflow.allowed_actions(case, user)
        if action.name not in ("add_note", "add_document")
        and (
            action.name != "record_agreed_override"
            or any(RULES[row.rule].may_be_varied_by_agreement and row.met_on is None for row in rows)
        )
        and (action.name != "record_la_duty" or bool(services.la_duties(case)))
        and _offered_for_privacy(action.name, case)
    ]
    step = workflow.next_step(case)
    next_action = None
    if step is not None and step.action:
        next_action = next(((a, label) for a, label in offered if a.name == step.action), None)
    return {
        "next_step": step,
        "next_action": next_action,
        "next_step_by": workflow.who_may(step.action, case) if step is not None and step.action else "",
        "actions": [pair for pair in offered if next_action is None or pair[0] is not next_action[0]],
    }


@require_safe
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case_or_404(request.user, reference)
    user = request.user
    today = timezone.localdate()
    show_notes = can_see_notes(user)
    events = list(case.events.select_related("actor").order_by("-at", "-id")[:200])
    rows = list(case.deadlines.order_by("due", "id"))
    log_access(user=user, case=case, what=AccessLog.What.CASE_PAGE)
    return _render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            # Each party with whether this person may see its email and phone.
            "parties": [(party, can_see_family_contact(user, party)) for party in case.parties.all()],
            "ask_by_phone": ask_by_phone(case),
            "deadlines": [(row, row.state(today=today)) for row in rows],
            "timeline": [
                (event, title(event), describe(event))
                for event in events
                if show_notes or event.kind != CaseEvent.Kind.NOTE_ADDED
            ],
            **_next_and_other_actions(case, user, rows),
            "can_note": show_notes and workflow.is_allowed("add_note", case=case, user=user),
            "can_upload": can_see_documents(user)
            and workflow.is_allowed("add_document", case=case, user=user),
            "notes": list(case.notes.select_related("author")) if show_notes else None,
            "documents": list(case.documents.select_related("uploaded_by"))
            if can_see_documents(user)
            else None,
            "certificates": list(case.certificates.select_related("issued_by", "replaced_by")),
            "authority_covered": is_covered(case.local_authority.code, on=today),
            "advice_calls": list(case.advice_calls.select_related("adviser")),
            "authority_contacts": list(case.authority_contacts.select_related("recorded_by")),
            # The service's own record of what it told whom; an authority sees its letters in its inbox.
            "emails": emails_for_case(case.reference) if can_see_documents(user) else None,
            "can_retry_emails": can_arrange(user),
            "note_form": case_forms.NoteForm(),
            "today": today,
        },
    )


@require_safe
def certificate_download(request: HttpRequest, reference: str, number: str) -> HttpResponseBase:
    case = get_case_or_404(request.user, reference)
    certificate = case.certificates.filter(number=number).first()
    if certificate is None:
        raise Http404("Certificate not found")
    return certificate_download_response(
        request,
        certificate,
        handed_over=lambda ready: log_access(
            user=request.user, case=case, what=AccessLog.What.CERTIFICATE, item=ready.number
        ),
    )


@require_safe
def document_download(request: HttpRequest, reference: str, document_id: int) -> FileResponse:
    case = get_case_or_404(request.user, reference)
    if not can_see_documents(request.user):
        raise Http404("Document not found")
    document = case.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404("Document not found")
    log_access(user=request.user, case=case, what=AccessLog.What.DOCUMENT, item=f"document {document.pk}")
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type or "application/octet-stream",
        as_attachment=True,
        filename=document.name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


PRIVATE_LINK = "[the family's private link, not shown]"
OTHER_PRIVATE_LINK = "[a private link, not shown]"


@require_safe
def case_email(request: HttpRequest, reference: str, email_id: int) -> HttpResponse:
    """One email about the case, as the recipient sees it, for the service's own staff."""
    case = get_case_or_404(request.user, reference)
    if not can_see_documents(request.user):
        raise Http404("Email not found")
    message = OutboxMessage.objects.filter(case_reference=case.reference, pk=email_id).first()
    if message is None:
        raise Http404("Email not found")
    log_access(user=request.user, case=case, what=AccessLog.What.EMAIL, item=f"email {message.pk}")
    describe_message(message)
    # The family's own link opens their case without signing in: staff have no need of it, and
    # a copy on a screen or in a screenshot would let anyone in.
    # Nor have they need of a signing, consent or survey link: each is shown as a placeholder.
    context = without_private_links(
        message.template, message.context, OTHER_PRIVATE_LINK, named={"case_link": PRIVATE_LINK}
    )
    try:
        text = render_message(message.template, context).text
    except (UnknownMessageType, TemplateSyntaxError, TemplateDoesNotExist):
        text = ""
    response = _render(request, "cases/case_email.html", {"case": case, "message": message, "text": text})
    response["Cache-Control"] = "private, no-store"
    return response


# --- actions: each a small form and one service call ---------------------------------------------

Perform = Callable[[HttpRequest, Case, Any], str]


@dataclass(frozen=True)
class ActionPage:
    form: Callable[[HttpRequest, Case, Any], forms.Form]
    perform: Perform
    button: str = "Continue"
    warning: str = ""
    # Where the service's complaint about one of its arguments is shown on this page's form.
    fields: Mapping[str, str] = field(default_factory=dict)


def _plain(form_class: type[forms.Form]) -> Callable[[HttpRequest, Case, Any], forms.Form]:
    def make(request: HttpRequest, case: Case, data: Any) -> forms.Form:
        return form_class(data, request.FILES or None) if data is not None else form_class()

    return make


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _triage(request: HttpRequest, case: Case, form: Any) -> str:
    services.triage(actor=_actor(request), case=case, kind=form.cleaned_data["kind"])
    return "Case triaged"


def _book_advice(request: HttpRequest, case: Case, form: Any) -> str:
    try:
        services.book_advice(
            actor=_actor(request),
            case=case,
            adviser=form.cleaned_data["adviser"],
            booked_for=form.booked_for(),
            allow_clash=bool(getattr(form, "clash_shown", False) and form.cleaned_data.get("allow_clash")),
        )
    except BookingClash as clash:
        form.show_clash()
        raise InvalidChange(
            f"{clash.message}. Choose another time, or tick the box to book it anyway", field="allow_clash"
        ) from None
    return "Advice call booked"


def _record_advice(request: HttpRequest, case: Case, form: Any) -> str:
    services.record_advice_outcome(
        actor=_actor(request),
        case=case,
        outcome=form.cleaned_data["outcome"],
        held_at=form.held_at(),
        notes=form.cleaned_data["notes"],
        calendar=current_calendar(),
    )
    return "Advice call recorded"


def _request_mediation(request: HttpRequest, case: Case, form: Any) -> str:
    services.request_mediation(actor=_actor(request), case=case, calendar=current_calendar())
    return "Mediation requested"


def _notify_la(request: HttpRequest, case: Case, form: Any) -> str:
    data = form.cleaned_data
    services.notify_la(
        actor=_actor(request), case=case, notified_on=data["on"], how=data["how"], person=data["person"]
    )
    return "Recorded that the local authority was told"


def _not_arranged(request: HttpRequest, case: Case, form: Any) -> str:
    data = form.cleaned_data
    services.record_mediation_not_arranged(
        actor=_actor(request),
        case=case,
        told_on=data["on"],
        how=data["how"],
        person=data["person"],
        reason=data["reason"],
        calendar=current_calendar(),
    )
    return "Recorded that mediation cannot be held in time"


def _mediation_held(request: HttpRequest, case: Case, form: Any) -> str:
    data = form.cleaned_data
    services.record_mediation_held(
        actor=_actor(request),
        case=case,
        held_on=data["on"],
        how=data["how"],
        person=data["person"],
        calendar=current_calendar(),
    )
    return "Recorded that the mediation was held"


def _la_duty(request: HttpRequest, case: Case, form: Any) -> str:
    data = form.cleaned_data
    services.record_la_duty(
        actor=_actor(request),
        case=case,
        rule=data["rule"],
        on=data["on"],
        how=data["how"],
        person=data["person"],
        calendar=current_calendar(),
    )
    return "Recorded that the local authority did it"


def _revoke_certificate(request: HttpRequest, case: Case, form: Any) -> str:
    certificate = form.certificates[form.cleaned_data["certificate"]]
    services.revoke_certificate(
        actor=_actor(request),
        case=case,
        certificate=certificate,
        reason=form.cleaned_data["reason"],
        calendar=current_calendar(),
    )
    return f"Certificate {certificate.number} revoked"


def _issue_certificate(request: HttpRequest, case: Case, form: Any) -> str:
    certificate = services.issue_certificate(
        actor=_actor(request), case=case, kind=form.cleaned_data["kind"], calendar=current_calendar()
    )
    return f"Certificate {certificate.number} issued"


def _seek_consent(request: HttpRequest, case: Case, form: Any) -> str:
    services.seek_dr_consent(actor=_actor(request), case=case)
    return "Waiting for the parties' consent"


def _record_consent(request: HttpRequest, case: Case, form: Any) -> str:
    party = form.parties[form.cleaned_data["party"]]
    services.record_dr_consent(
        actor=_actor(request),
        case=case,
        party=party,
        consent=form.cleaned_data["consent"],
        answered_by=form.cleaned_data["answered_by"],
        how=form.cleaned_data["how"],
        reason=form.cleaned_data["reason"],
    )
    return "Consent recorded"


def _close(request: HttpRequest, case: Case, form: Any) -> str:
    services.close_case(actor=_actor(request), case=case, outcome=form.cleaned_data["outcome"])
    return "Case closed"


def _withdraw(request: HttpRequest, case: Case, form: Any) -> str:
    services.withdraw_case(actor=_actor(request), case=case, reason=form.cleaned_data["reason"])
    return "Case withdrawn"


def _reopen(request: HttpRequest, case: Case, form: Any) -> str:
    services.reopen_case(actor=_actor(request), case=case, reason=form.cleaned_data["reason"])
    return "Case reopened"


def _update_details(request: HttpRequest, case: Case, form: Any) -> str:
    services.update_details(
        actor=_actor(request),
        case=case,
        **form.facts(),
        confirm_other_authority=case_forms.authority_confirmed(form),
        calendar=current_calendar(),
    )
    return "Case details saved"


def _assign(request: HttpRequest, case: Case, form: Any) -> str:
    data = form.cleaned_data
    services.assign(
        actor=_actor(request),
        case=case,
        coordinator=data["coordinator"],
        adviser=data["adviser"],
        mediator=data["mediator"],
    )
    return "Staff assigned"


def _add_party(request: HttpRequest, case: Case, form: Any) -> str:
    data = form.cleaned_data
    services.add_party(
        actor=_actor(request),
        case=case,
        role=data["role"],
        name=data["name"],
        organisation=data["organisation"],
        email=data["email"],
        phone=data["phone"],
        address=data["address"],
        has_authority_to_settle=form.authority_to_settle(),
        contact_shared_with_la=data["contact_shared_with_la"],
    )
    return "Party added"


def _add_document(request: HttpRequest, case: Case, form: Any) -> str:
    data = form.cleaned_data
    services.add_document(
        actor=_actor(request),
        case=case,
        upload=data["file"],
        name=data["name"] or data["file"].name,
        kind=data["kind"],
    )
    return "Document added"


def _add_note(request: HttpRequest, case: Case, form: Any) -> str:
    services.add_note(actor=_actor(request), case=case, text=form.cleaned_data["text"])
    return "Note added"


def _override(request: HttpRequest, case: Case, form: Any) -> str:
    services.record_agreed_override(
        actor=_actor(request),
        case=case,
        deadline=form.rows[form.cleaned_data["deadline"]],
        agreed_date=form.cleaned_data["agreed_date"],
        note=form.cleaned_data["note"],
    )
    return "Agreed date recorded"


def _triage_form(request: HttpRequest, case: Case, data: Any) -> forms.Form:
    return case_forms.TriageForm(data, initial={"kind": case.kind})


def _book_advice_form(request: HttpRequest, case: Case, data: Any) -> forms.Form:
    initial = case_forms.BookAdviceForm.initial_for(case)
    return case_forms.BookAdviceForm(data, initial=initial, now=timezone.now())


def _advice_outcome_form(request: HttpRequest, case: Case, data: Any) -> forms.Form:
    now = timezone.now()
    return case_forms.AdviceOutcomeForm(
        data,
        now=now,
        missed_allowed=case.status in MISSED_CALL_STATUSES,
        initial=case_forms.AdviceOutcomeForm.initial_for(case, now=now),
    )


def _certificate_form(request: HttpRequest, case: Case, data: Any) -> forms.Form:
    kinds = workflow.certificate_kinds_allowed(case, request.user)
    return case_forms.IssueCertificateForm(data, kinds=kinds)


def _close_form(request: HttpRequest, case: Case, data: Any) -> forms.Form:
    return case_forms.CloseForm(data, outcomes=workflow.close_outcomes(case))


def _la_duty_form(request: HttpRequest, case: Case, data: Any) -> forms.Form:
    return case_forms.LaDutyForm(data, duties=services.la_duties(case))


def _revoke_form(request: HttpRequest, case: Case, data: Any) -> forms.Form:
    return case_forms.RevokeCertificateForm(data, case=case)


def _consent_form(request: HttpRequest, case: Case, data: Any) -> forms.Form:
    return case_forms.DrConsentForm(data, case=case)


def _details_form(request: HttpRequest, case: Case, data: Any) -> forms.Form:
    return case_forms.CaseFactsForm(data, initial=case_forms.CaseFactsForm.initial_for(case))


def _assign_form(request: HttpRequest, case: Case, data: Any) -> forms.Form:
    initial = {slot: getattr(case, f"{slot}_id") for slot in ("coordinator", "adviser", "mediator")}
    return case_forms.AssignForm(data, initial={k: str(v) if v else "" for k, v in initial.items()})


def _override_form(request: HttpRequest, case: Case, data: Any) -> forms.Form:
    return case_forms.OverrideForm(data, case=case)


def _correction_form(request: HttpRequest, case: Case, data: Any) -> forms.Form:
    return case_forms.CorrectionForm(data, initial=case_forms.CorrectionForm.initial_for(case))


def _correct(request: HttpRequest, case: Case, form: Any) -> str:
    data = form.cleaned_data
    services.correct_details_on_request(
        actor=_actor(request),
        case=case,
        reason=data["reason"],
        **{name: data[name] for name in case_forms.CorrectionForm.FIELDS},
    )
    return "Details corrected"


def _place_hold(request: HttpRequest, case: Case, form: Any) -> str:
    services.place_legal_hold(actor=_actor(request), case=case, reason=form.cleaned_data["reason"])
    return "Legal hold placed: the case will be kept as it is"


def _lift_hold(request: HttpRequest, case: Case, form: Any) -> str:
    services.lift_legal_hold(actor=_actor(request), case=case, reason=form.cleaned_data["reason"])
    return "Legal hold lifted"


def _revoke_family_link(request: HttpRequest, case: Case, form: Any) -> str:
    services.revoke_family_link(actor=_actor(request), case=case, reason=form.cleaned_data["reason"])
    return "The family's link has stopped working"


def _reissue_family_link(request: HttpRequest, case: Case, form: Any) -> str:
    services.reissue_family_link(actor=_actor(request), case=case, reason=form.cleaned_data["reason"])
    return "The old link has stopped working and a new one is being emailed to the family"


def _erase(request: HttpRequest, case: Case, form: Any) -> str:
    services.erase_case_on_request(actor=_actor(request), case=case, reason=form.cleaned_data["reason"])
    return "Personal data erased"


ACTION_PAGES: dict[str, ActionPage] = {
    "triage": ActionPage(_triage_form, _triage, "Save and continue"),
    "book_advice": ActionPage(
        _book_advice_form, _book_advice, "Book the call", fields={"booked_for": "time"}
    ),
    "record_advice_outcome": ActionPage(
        _advice_outcome_form, _record_advice, "Save", fields={"held_at": "time"}
    ),
    "request_mediation": ActionPage(
        _plain(case_forms.ConfirmForm),
        _request_mediation,
        "Record that the family wants mediation",
        "The 30 days for the local authority to hold the mediation start today.",
    ),
    "notify_la": ActionPage(
        _plain(case_forms.NotifyLaForm), _notify_la, "Record that the local authority was told"
    ),
    "record_mediation_not_arranged": ActionPage(
        _plain(case_forms.NotArrangedForm),
        _not_arranged,
        "Yes, record that mediation cannot be held in time",
        "Only record this if the local authority has said it cannot hold the mediation within 30 days. "
        "The family's certificate is then due within 3 working days of the date it said so, and the "
        "mediation will not go ahead.",
    ),
    "record_mediation_held": ActionPage(
        _plain(case_forms.MediationHeldForm),
        _mediation_held,
        "Record that the mediation was held",
        "The certificate after mediation is then due within 3 working days of the mediation.",
    ),
    "record_la_duty": ActionPage(_la_duty_form, _la_duty, "Save", fields={"rule": "rule"}),
    "revoke_certificate": ActionPage(
        _revoke_form,
        _revoke_certificate,
        "Revoke the certificate",
        "Anyone who checks it at /verify/ is told it was revoked, and why. The case goes back a step so "
        "that a corrected certificate can be issued.",
    ),
    "issue_certificate": ActionPage(
        _certificate_form,
        _issue_certificate,
        "Issue the certificate",
        "The certificate is emailed to the family. The local authority is told only if it was told "
        "that the family wanted mediation.",
    ),
    "seek_dr_consent": ActionPage(_plain(case_forms.ConfirmForm), _seek_consent, "Ask for consent"),
    "record_dr_consent": ActionPage(_consent_form, _record_consent, "Save"),
    "close_case": ActionPage(_close_form, _close, "Close the case"),
    "withdraw_case": ActionPage(
        _plain(case_forms.WithdrawForm), _withdraw, "Withdraw the case", "Its deadlines stop."
    ),
    "reopen_case": ActionPage(_plain(case_forms.ReopenForm), _reopen, "Reopen the case"),
    "update_details": ActionPage(_details_form, _update_details, "Save"),
    "assign": ActionPage(_assign_form, _assign, "Save"),
    "add_party": ActionPage(_plain(case_forms.PartyForm), _add_party, "Add the party"),
    "add_document": ActionPage(_plain(case_forms.DocumentForm), _add_document, "Upload"),
    "record_agreed_override": ActionPage(_override_form, _override, "Save the agreed date"),
    "add_note": ActionPage(_plain(case_forms.NoteForm), _add_note, "Add the note"),
    "revoke_family_link": ActionPage(
        _plain(case_forms.RevokeFamilyLinkForm),
        _revoke_family_link,
        "Stop the link",
        "Every link to the family's page sent so far stops working at once, and no new link is sent. "
        "Send the family a new link when they need one.",
    ),
    "reissue_family_link": ActionPage(
        _plain(case_forms.ReissueFamilyLinkForm),
        _reissue_family_link,
        "Stop the old link and send a new one",
        "Every link sent so far stops working at once. A new link is emailed to the family's contacts "
        "who have an email address on the case.",
    ),
    "place_legal_hold": ActionPage(
        _plain(case_forms.LegalHoldForm),
        _place_hold,
        "Place the legal hold",
        "While the hold lasts, the retention schedule will not remove this case's personal data.",
    ),
    "lift_legal_hold": ActionPage(_plain(case_forms.LiftHoldForm), _lift_hold, "Lift the legal hold"),
    "correct_details": ActionPage(_correction_form, _correct, "Save the correction"),
    "erase_case": ActionPage(
        _plain(case_forms.EraseForm),
        _erase,
        "Erase the personal data",
        "Names, contact details, the date of birth, the postcode, notes, free text and documents are "
        "removed for good. The reference, dates and outcome stay for our figures. This cannot be undone.",
    ),
}


@require_http_methods(["GET", "HEAD", "POST"])
def case_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    page = ACTION_PAGES.get(action)
    if page is None or action not in workflow.ACTIONS:
        raise Http404("No such action")
    case = get_case_or_404(request.user, reference)
    definition = workflow.ACTIONS[action]
    if not workflow.role_allows(definition, request.user):
        raise PermissionDenied(f"You cannot {definition.verb}")
    form = page.form(request, case, request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            message = page.perform(request, case, form)
        except OtherAuthority as problem:
            case_forms.ask_authority_confirmation(form)
            form.add_error("postcode", problem.message)
        except InvalidChange as problem:
            name = page.fields.get(problem.field, problem.field)
            form.add_error(name if name in form.fields else None, problem.message)
        except CaseNotVisible:
            raise Http404("Case not found") from None
        except ActionNotPermitted as problem:
            raise PermissionDenied(problem.message) from None
        except CaseworkError as problem:
            error = problem.message
        else:
            messages.success(request, message)
            return redirect("cases:case_detail", case.reference)
    status = 200
    if not workflow.is_allowed(action, case=case, user=request.user) and not error:
        error = f"You cannot {definition.verb} now: the case is '{case.get_status_display().lower()}'"
        status = 409 if request.method == "POST" else 200
    elif error:
        status = 409
    preview = None
    if action == "issue_certificate":
        preview = _certificate_preview(case, request.user)
        log_access(user=request.user, case=case, what=AccessLog.What.CERTIFICATE_PREVIEW)
    return _render(
        request,
        "cases/action.html",
        {
            "case": case,
            "action": definition,
            "label": workflow.label_for(definition, case),
            "page": page,
            "form": form,
            "problem": error,
            "family": _family_contact(case) if action in ("book_advice", "record_advice_outcome") else None,
            "preview": preview,
        },
        status=status,
    )


def _certificate_preview(case: Case, user: Any) -> dict[str, Any]:
    """What the certificate will say, so that it is checked before it is issued."""
    return {
        "family": case.parties.family_contact(),
        "decisions": case.decision_labels(),
        "issued_on": timezone.localdate(),
        "issuer": user,
        "can_change": workflow.is_allowed("update_details", case=case, user=user),
    }


def _family_contact(case: Case) -> dict[str, Any]:
    """Who to phone and when they said suits them, for the pages about the advice call."""
    party = case.parties.family_contact()
    source = case.source_request
    return {
        "party": party,
        "good_times": source.good_times_to_call if source is not None else "",
        "booked": case.advice_calls.filter(held_at__isnull=True, booked_for__isnull=False)
        .order_by("-id")
        .first(),
    }


# --- opening cases, and requests from the website ------------------------------------------------


def _require_triage(user: Any) -> None:
    if not can_triage_requests(user):
        raise PermissionDenied("Only coordinators and managers open cases")


@require_http_methods(["GET", "HEAD", "POST"])
def open_case(request: HttpRequest) -> HttpResponse:
    _require_triage(request.user)
    form = case_forms.OpenCaseForm(request.POST or None)
    duplicates: list[Case] = []
    if request.method == "POST" and form.is_valid():
        facts = form.facts()
        duplicates = find_duplicates(
            child_first_name=facts["child_first_name"],
            child_last_name=facts["child_last_name"],
            child_date_of_birth=facts["child_date_of_birth"],
            local_authority_id=facts["local_authority"].pk,
        )
        if not duplicates or request.POST.get("confirm_new") == "yes":
            data = form.cleaned_data
            try:
                case = services.open_case(
                    actor=_actor(request),
                    kind=data["kind"],
                    family=services.FamilyContact(
                        role=data["family_role"],
                        name=data["family_name"],
                        email=data["family_email"],
                        phone=data["family_phone"],
                    ),
                    triage=True,
                    confirm_other_authority=case_forms.authority_confirmed(form),
                    calendar=current_calendar(),
                    **facts,
                )
            except OtherAuthority as problem:
                case_forms.ask_authority_confirmation(form)
                form.add_error("postcode", problem.message)
            except InvalidChange as problem:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
            else:
                messages.success(request, f"Case {case.reference} opened")
                return redirect("cases:case_detail", case.reference)
    return _render(request, "cases/open_case.html", {"form": form, "duplicates": duplicates}, nav="requests")


@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    _require_triage(request.user)
    requests = HelpRequest.objects.new().select_related("local_authority").order_by("created_at", "id")
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    log_list_read(
        user=request.user,
        what=AccessLog.What.REQUEST_LIST,
        query={},
        shown=len(page.object_list),
        page=page.number,
    )
    return _render(request, "cases/request_list.html", {"page": page}, nav="requests")


def _new_request(reference: str) -> HelpRequest:
    help_request = HelpRequest.objects.select_related("local_authority").filter(reference=reference).first()
    if help_request is None:
        raise Http404("Request not found")
    return help_request


def _request_page(
    request: HttpRequest,
    help_request: HelpRequest,
    *,
    accept_form: forms.Form | None = None,
    decline_form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    first, last = services.split_name(help_request.child_name)
    accept_form = accept_form or case_forms.AcceptRequestForm(
        initial={
            "child_first_name": first,
            "child_last_name": last,
            "local_authority": help_request.local_authority.code if help_request.local_authority else "",
            "kind": services.kind_for_request(help_request),
        }
    )
    duplicates = find_duplicates(
        child_first_name=first,
        child_last_name=last,
        child_date_of_birth=help_request.child_date_of_birth,
        local_authority_id=help_request.local_authority_id,
    )
    existing = Case.objects.filter(source_request=help_request).first()
    return _render(
        request,
        "cases/request_detail.html",
        {
            "help_request": help_request,
            "accept_form": accept_form,
            "decline_form": decline_form or case_forms.DeclineRequestForm(),
            "duplicates": duplicates,
            "existing_case": existing,
            "page_has_errors": bool(
                (accept_form.is_bound and accept_form.errors) or (decline_form and decline_form.errors)
            ),
        },
        nav="requests",
        status=status,
    )


@require_safe
def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    _require_triage(request.user)
    help_request = _new_request(reference)
    log_access(user=request.user, help_request=help_request, what=AccessLog.What.REQUEST_PAGE)
    return _request_page(request, help_request)


@require_safe
def request_letter(request: HttpRequest, reference: str) -> HttpResponseBase:
    """The decision letter a family uploaded with its request, for the coordinator deciding on it.
    Once the request is a case the letter is one of the case's documents, read through the case."""
    _require_triage(request.user)
    help_request = _new_request(reference)
    if help_request.status == HelpRequest.Status.ACCEPTED:
        case = Case.objects.visible_to(request.user).filter(source_request=help_request).first()
        if case is None:
            raise Http404("Request not found")
        return redirect("cases:case_detail", case.reference)
    if not help_request.decision_letter:
        raise Http404("This request has no decision letter")
    log_access(user=request.user, help_request=help_request, what=AccessLog.What.REQUEST_LETTER)
    response = FileResponse(
        help_request.decision_letter.open("rb"),
        content_type=letter_content_type(help_request.decision_letter_type),
        as_attachment=True,
        filename=help_request.decision_letter_name or f"decision-letter-{help_request.reference}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def accept_request(request: HttpRequest, reference: str) -> HttpResponse:
    _require_triage(request.user)
    help_request = _new_request(reference)
    form = case_forms.AcceptRequestForm(request.POST)
    if not form.is_valid():
        return _request_page(request, help_request, accept_form=form)
    try:
        case = services.open_case_from_request(
            actor=_actor(request),
            help_request=help_request,
            child_first_name=form.cleaned_data["child_first_name"],
            child_last_name=form.cleaned_data["child_last_name"],
            local_authority=form.cleaned_data["local_authority"],
            kind=form.cleaned_data["kind"],
            triage=True,
            confirm_other_authority=case_forms.authority_confirmed(form),
            calendar=current_calendar(),
        )
    except RequestAlreadyDecided as problem:
        existing = Case.objects.filter(source_request=help_request).first()
        if existing is not None:  # a double-submitted form: the case is already open
            return redirect("cases:case_detail", existing.reference)
        form.add_error(None, str(problem))
        return _request_page(request, help_request, accept_form=form, status=409)
    except OtherAuthority as problem:
        case_forms.ask_authority_confirmation(form)
        form.add_error(None, problem.message)
        return _request_page(request, help_request, accept_form=form)
    except InvalidChange as problem:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        return _request_page(request, help_request, accept_form=form)
    messages.success(request, f"Case {case.reference} opened")
    return redirect("cases:case_detail", case.reference)


@require_POST
def decline_request(request: HttpRequest, reference: str) -> HttpResponse:
    _require_triage(request.user)
    help_request = _new_request(reference)
    form = case_forms.DeclineRequestForm(request.POST)
    if not form.is_valid():
        return _request_page(request, help_request, decline_form=form)
    duplicate_of = None
    if form.cleaned_data["duplicate_of"]:
        duplicate_of = (
            Case.objects.visible_to(request.user).filter(reference=form.cleaned_data["duplicate_of"]).first()
        )
    try:
        services.decline_help_request(
            actor=_actor(request),
            help_request=help_request,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            duplicate_of=duplicate_of,
        )
    except RequestAlreadyDecided as problem:
        form.add_error(None, str(problem))
        return _request_page(request, help_request, decline_form=form, status=409)
    messages.success(request, f"Request {help_request.reference} turned down")
    if duplicate_of is not None:
        return redirect("cases:case_detail", duplicate_of.reference)
    return HttpResponseRedirect(reverse("cases:request_list"))
