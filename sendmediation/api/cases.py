"""Staff casework over JSON, with a bearer token: the same services and the same scope as the pages.

Every request acts as the token's user: a case outside their scope is a 404, an action their role may
not take is a 403, an action the case's status does not allow is a 409, and a missing or wrong token
is a 401. Tokens come from ``manage.py create_api_token USERNAME``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import AwareDatetime

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import can_see_family_contact
from sendmediation.api.errors import ApiError
from sendmediation.cases import services, workflow
from sendmediation.cases.errors import (
    ActionNotPermitted,
    CaseNotVisible,
    CaseworkError,
    InvalidChange,
    TransitionNotAllowed,
)
from sendmediation.cases.models import AccessLog, AdviceCall, Case, Certificate, Deadline, Decision, Party
from sendmediation.cases.queries import (
    MAX_PAGE_SIZE,
    case_list,
    get_case_or_404,
    log_access,
    with_list_details,
)
from sendmediation.cases.tokens import user_for_token
from sendmediation.localities.models import LocalAuthority
from sendmediation.statutory.services import current_calendar


class StaffToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


router = Router(auth=StaffToken())

FamilyRole = Literal["parent", "young_person"]


# --- what goes out -------------------------------------------------------------------------------


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, str]


class ErrorOut(Schema):
    error: ErrorDetail


class AuthorityOut(Schema):
    code: str
    name: str


class PartyOut(Schema):
    id: int
    role: str
    name: str
    organisation: str
    email: str
    phone: str
    dr_consent: str = Field(description="Consent to disagreement resolution: pending, yes or no")
    has_authority_to_settle: bool | None


class DeadlineOut(Schema):
    rule: str = Field(description="The statutory rule's code, as in GET /api/v1/deadlines/rules")
    label: str
    who_acts: str
    start: datetime.date
    due: datetime.date = Field(description="The statutory date")
    agreed_override: datetime.date | None = Field(description="A date the parties agreed (regulation 42(5))")
    met_on: datetime.date | None
    stopped_on: datetime.date | None
    state: str = Field(description="met, stopped, overdue, due_today or running")
    reasons: list[str]


class CertificateOut(Schema):
    number: str
    kind: str
    issued_on: datetime.date


class CaseSummaryOut(Schema):
    reference: str
    kind: str
    status: str
    local_authority: AuthorityOut
    child_first_name: str
    child_last_name: str
    received_on: datetime.date
    next_deadline: datetime.date | None = Field(
        description="The earliest running deadline staff or the LA act on"
    )


class CaseOut(CaseSummaryOut):
    child_date_of_birth: datetime.date | None
    postcode: str
    decisions: list[str]
    decision_letter_sent: datetime.date | None
    issues_education: bool
    issues_health: bool
    issues_social_care: bool
    coordinator: str | None = Field(description="Username")
    adviser: str | None
    mediator: str | None
    closed_on: datetime.date | None
    outcome: str
    parties: list[PartyOut]
    deadlines: list[DeadlineOut]
    certificates: list[CertificateOut]
    allowed_actions: list[str] = Field(description="What the token's user may do to this case now")


class CaseListOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseSummaryOut]


def _username(user: User | None) -> str | None:
    return user.username if user else None


def _authority(case: Case) -> dict[str, str]:
    return {"code": case.local_authority.code, "name": case.local_authority.name}


def _case_out(case: Case, user: User) -> dict[str, Any]:
    today = timezone.localdate()
    rows = list(case.deadlines.order_by("due", "id"))
    running = [row.effective_due for row in rows if row.met_on is None and row.stopped_on is None]
    return {
        "reference": case.reference,
        "kind": case.kind,
        "status": case.status,
        "local_authority": _authority(case),
        "child_first_name": case.child_first_name,
        "child_last_name": case.child_last_name,
        "received_on": case.received_on,
        "next_deadline": min(running) if running else None,
        "child_date_of_birth": case.child_date_of_birth,
        "postcode": case.postcode,
        "decisions": list(case.decisions),
        "decision_letter_sent": case.decision_letter_sent,
        "issues_education": case.issues_education,
        "issues_health": case.issues_health,
        "issues_social_care": case.issues_social_care,
        "coordinator": _username(case.coordinator),
        "adviser": _username(case.adviser),
        "mediator": _username(case.mediator),
        "closed_on": case.closed_on,
        "outcome": case.outcome,
        "parties": [
            {
                "id": party.pk,
                "role": party.role,
                "name": party.name,
                "organisation": party.organisation,
                # A family's email and phone reach the authority only with the family's agreement.
                "email": party.email if can_see_family_contact(user, party) else "",
                "phone": party.phone if can_see_family_contact(user, party) else "",
                "dr_consent": party.dr_consent,
                "has_authority_to_settle": party.has_authority_to_settle,
            }
            for party in case.parties.all()
        ],
        "deadlines": [
            {
                "rule": row.rule,
                "label": row.label,
                "who_acts": row.who_acts,
                "start": row.start,
                "due": row.due,
                "agreed_override": row.agreed_override,
                "met_on": row.met_on,
                "stopped_on": row.stopped_on,
                "state": row.state(today=today),
                "reasons": list(row.reasons),
            }
            for row in rows
        ],
        "certificates": [
            {"number": c.number, "kind": c.kind, "issued_on": c.issued_on} for c in case.certificates.all()
        ],
        "allowed_actions": [action.name for action in workflow.allowed_actions(case, user)],
    }


# --- errors --------------------------------------------------------------------------------------


@contextmanager
def _domain_errors() -> Iterator[None]:
    """Casework's errors in the API's one shape."""
    try:
        yield
    except CaseNotVisible:
        raise ApiError(404, "not_found", "Not found.") from None
    except ActionNotPermitted as problem:
        raise ApiError(403, "forbidden", problem.message) from None
    except TransitionNotAllowed as problem:
        raise ApiError(409, "transition_not_allowed", problem.message) from None
    except InvalidChange as problem:
        fields = {problem.field: problem.message} if problem.field else {}
        raise ApiError(422, "invalid_change", problem.message, fields=fields) from None
    except CaseworkError as problem:
        raise ApiError(409, "conflict", problem.message) from None


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _required_staff(username: str, field: str) -> User:
    user = _staff_member(username, field)
    if user is None:
        raise ApiError(422, "invalid_change", "Choose a member of staff", fields={field: "Required"})
    return user


def _staff_member(username: str | None, field: str) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ApiError(
            422,
            "invalid_change",
            f"There is no member of staff called {username}",
            fields={field: "Unknown user"},
        )
    return user


ERRORS: dict[int | tuple[int, ...], type[Schema]] = {
    (400, 401, 403, 404, 409, 422): ErrorOut,
}


# --- reading -------------------------------------------------------------------------------------


class CaseFilters(Schema):
    status: Case.Status | None = None
    authority: str | None = Field(None, description="The local authority's GSS code, e.g. E09000033")
    assignee: str | None = Field(None, description="me, none, or a user id")
    deadline: Literal["overdue", "today", "week"] | None = None
    q: str | None = Field(None, description="A reference, a name or a postcode", max_length=100)
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


@router.get("", response={200: CaseListOut, **ERRORS}, summary="List cases")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    """The cases the token's user may see, newest first, filtered, a page at a time."""
    user = _user(request)
    cases = case_list(
        user,
        today=timezone.localdate(),
        status=filters.status or "",
        authority=filters.authority or "",
        assignee=filters.assignee or "",
        deadline=filters.deadline or "",
        q=filters.q or "",
    )
    paginator = Paginator(cases.only("pk"), filters.page_size)
    page = paginator.get_page(filters.page) if filters.page <= max(paginator.num_pages, 1) else None
    results = with_list_details(page.object_list) if page is not None else []
    return {
        "count": paginator.count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [
            {
                "reference": case.reference,
                "kind": case.kind,
                "status": case.status,
                "local_authority": _authority(case),
                "child_first_name": case.child_first_name,
                "child_last_name": case.child_last_name,
                "received_on": case.received_on,
                "next_deadline": getattr(case, "next_due", None),
            }
            for case in results
        ],
    }


@router.get("/{reference}", response={200: CaseOut, **ERRORS}, summary="Read a case")
def read_case(request: HttpRequest, reference: str) -> dict[str, Any]:
    """Status, parties, deadlines (with rule codes and due dates) and certificates."""
    user = _user(request)
    case = get_case_or_404(user, reference)
    log_access(user=user, case=case, what=AccessLog.What.API_READ)
    return _case_out(case, user)


# --- opening -------------------------------------------------------------------------------------


class FamilyIn(Schema):
    role: FamilyRole
    name: str = Field(min_length=1, max_length=200)
    email: str = ""
    phone: str = ""


class CaseIn(Schema):
    local_authority: str = Field(description="GSS code, e.g. E09000033")
    kind: Case.Kind
    child_first_name: str = Field(min_length=1, max_length=100)
    child_last_name: str = Field(min_length=1, max_length=100)
    child_date_of_birth: datetime.date | None = None
    postcode: str = Field("", max_length=10)
    decisions: list[Decision] = []
    decision_letter_sent: datetime.date | None = None
    issues_education: bool = True
    issues_health: bool = False
    issues_social_care: bool = False
    summary: str = ""
    family: FamilyIn | None = None


@router.post("", response={201: CaseOut, **ERRORS}, summary="Open a case")
def create_case(request: HttpRequest, data: CaseIn) -> Status[dict[str, Any]]:
    """Open a case keyed in by staff; it gets the next MED-YYYY-NNNNNN reference."""
    user = _user(request)
    authority = LocalAuthority.objects.filter(code=data.local_authority).first()
    if authority is None:
        raise ApiError(
            422, "invalid_change", "Unknown local authority", fields={"local_authority": "Unknown code"}
        )
    with _domain_errors():
        case = services.open_case(
            actor=user,
            local_authority=authority,
            kind=data.kind,
            child_first_name=data.child_first_name,
            child_last_name=data.child_last_name,
            child_date_of_birth=data.child_date_of_birth,
            postcode=data.postcode,
            decisions=list(data.decisions),
            decision_letter_sent=data.decision_letter_sent,
            issues_education=data.issues_education,
            issues_health=data.issues_health,
            issues_social_care=data.issues_social_care,
            summary=data.summary,
            family=services.FamilyContact(**data.family.dict()) if data.family else None,
            calendar=current_calendar(),
        )
    return Status(201, _case_out(get_case_or_404(user, case.reference), user))


# --- actions -------------------------------------------------------------------------------------


class NoInput(Schema):
    pass


class TriageIn(Schema):
    kind: Case.Kind | None = None


class BookAdviceIn(Schema):
    adviser: str = Field(description="The adviser's username")
    booked_for: AwareDatetime = Field(description="With its offset, for example 2026-12-04T14:30:00+00:00")


class AdviceOutcomeIn(Schema):
    outcome: AdviceCall.Outcome
    held_at: AwareDatetime | None = None
    notes: str = ""


class OnDateIn(Schema):
    on: datetime.date | None = Field(None, description="Defaults to today")


class CertificateIn(Schema):
    kind: Certificate.Kind = Certificate.Kind.AFTER_ADVICE
    issued_on: datetime.date | None = None


class ConsentIn(Schema):
    party_id: int
    consent: Literal["yes", "no"]
    on: datetime.date | None = None


class CloseIn(Schema):
    outcome: Case.Outcome
    on: datetime.date | None = None


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)
    on: datetime.date | None = None


class AssignIn(Schema):
    coordinator: str | None = Field(None, description="Username, or null for nobody")
    adviser: str | None = None
    mediator: str | None = None


class PartyIn(Schema):
    role: Party.Role
    name: str = Field(min_length=1, max_length=200)
    organisation: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    has_authority_to_settle: bool | None = None


class NoteIn(Schema):
    text: str = Field(min_length=1, max_length=10000)


class OverrideIn(Schema):
    rule: str = Field(description="The deadline's rule code")
    agreed_date: datetime.date
    note: str = Field(min_length=1)


class DetailsIn(Schema):
    child_first_name: str = Field(min_length=1, max_length=100)
    child_last_name: str = Field(min_length=1, max_length=100)
    child_date_of_birth: datetime.date | None = None
    postcode: str = Field("", max_length=10)
    local_authority: str
    decisions: list[Decision] = []
    decision_letter_sent: datetime.date | None = None
    issues_education: bool = True
    issues_health: bool = False
    issues_social_care: bool = False
    summary: str = ""


def _party(case: Case, party_id: int) -> Party:
    party = case.parties.filter(pk=party_id).first()
    if party is None:
        raise ApiError(
            422, "invalid_change", "No such party on this case", fields={"party_id": "Unknown party"}
        )
    return party


def _deadline(case: Case, rule: str) -> Deadline:
    row = case.deadlines.filter(rule=rule).first()
    if row is None:
        raise ApiError(
            422, "invalid_change", "No such deadline on this case", fields={"rule": "Unknown deadline"}
        )
    return row


def _details(user: User, case: Case, data: DetailsIn) -> None:
    authority = LocalAuthority.objects.filter(code=data.local_authority).first()
    if authority is None:
        raise ApiError(
            422, "invalid_change", "Unknown local authority", fields={"local_authority": "Unknown code"}
        )
    values = data.dict()
    values["local_authority"] = authority
    values["decisions"] = list(data.decisions)
    services.update_details(actor=user, case=case, calendar=current_calendar(), **values)


Handler = Callable[[User, Case, Any], Any]

ACTIONS: dict[str, tuple[type[Schema], Handler]] = {
    "triage": (TriageIn, lambda u, c, d: services.triage(actor=u, case=c, kind=d.kind)),
    "book_advice": (
        BookAdviceIn,
        lambda u, c, d: services.book_advice(
            actor=u, case=c, adviser=_required_staff(d.adviser, "adviser"), booked_for=d.booked_for
        ),
    ),
    "record_advice_outcome": (
        AdviceOutcomeIn,
        lambda u, c, d: services.record_advice_outcome(
            actor=u, case=c, outcome=d.outcome, held_at=d.held_at, notes=d.notes, calendar=current_calendar()
        ),
    ),
    "request_mediation": (
        OnDateIn,
        lambda u, c, d: services.request_mediation(
            actor=u, case=c, requested_on=d.on, calendar=current_calendar()
        ),
    ),
    "notify_la": (OnDateIn, lambda u, c, d: services.notify_la(actor=u, case=c, notified_on=d.on)),
    "record_mediation_not_arranged": (
        OnDateIn,
        lambda u, c, d: services.record_mediation_not_arranged(
            actor=u, case=c, told_on=d.on, calendar=current_calendar()
        ),
    ),
    "issue_certificate": (
        CertificateIn,
        lambda u, c, d: services.issue_certificate(
            actor=u, case=c, kind=d.kind, issued_on=d.issued_on, calendar=current_calendar()
        ),
    ),
    "seek_dr_consent": (NoInput, lambda u, c, d: services.seek_dr_consent(actor=u, case=c)),
    "record_dr_consent": (
        ConsentIn,
        lambda u, c, d: services.record_dr_consent(
            actor=u, case=c, party=_party(c, d.party_id), consent=d.consent, on=d.on
        ),
    ),
    "close_case": (CloseIn, lambda u, c, d: services.close_case(actor=u, case=c, outcome=d.outcome, on=d.on)),
    "withdraw_case": (
        ReasonIn,
        lambda u, c, d: services.withdraw_case(actor=u, case=c, reason=d.reason, on=d.on),
    ),
    "reopen_case": (
        ReasonIn,
        lambda u, c, d: services.reopen_case(actor=u, case=c, reason=d.reason, calendar=current_calendar()),
    ),
    "update_details": (DetailsIn, _details),
    "assign": (
        AssignIn,
        lambda u, c, d: services.assign(
            actor=u,
            case=c,
            coordinator=_staff_member(d.coordinator, "coordinator"),
            adviser=_staff_member(d.adviser, "adviser"),
            mediator=_staff_member(d.mediator, "mediator"),
        ),
    ),
    "add_party": (PartyIn, lambda u, c, d: services.add_party(actor=u, case=c, **d.dict())),
    "record_agreed_override": (
        OverrideIn,
        lambda u, c, d: services.record_agreed_override(
            actor=u, case=c, deadline=_deadline(c, d.rule), agreed_date=d.agreed_date, note=d.note
        ),
    ),
    "add_note": (NoteIn, lambda u, c, d: services.add_note(actor=u, case=c, text=d.text)),
}


def _action_endpoint(name: str, schema: type[Schema], handler: Handler) -> None:
    action = workflow.ACTIONS[name]
    roles = ", ".join(sorted(str(User.Role(role).label).lower() for role in action.roles))
    description = (
        f"{action.label}. Allowed from: {', '.join(sorted(action.sources))}. Who: {roles}. "
        "The case must be in the token user's scope (404 otherwise)."
    )

    def endpoint(request: HttpRequest, reference: str, data: Any) -> dict[str, Any]:
        user = _user(request)
        case = get_case_or_404(user, reference)
        with _domain_errors():
            handler(user, case, data)
        return _case_out(get_case_or_404(user, case.reference), user)

    endpoint.__annotations__ = {
        "request": HttpRequest,
        "reference": str,
        "data": schema,
        "return": dict[str, Any],
    }
    endpoint.__name__ = f"action_{name}"
    router.post(
        f"/{{reference}}/actions/{name}",
        response={200: CaseOut, **ERRORS},
        summary=action.label,
        description=description,
        operation_id=f"cases_action_{name}",
    )(endpoint)


for _name, (_schema, _handler) in ACTIONS.items():
    _action_endpoint(_name, _schema, _handler)
