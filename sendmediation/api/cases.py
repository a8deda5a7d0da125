"""Staff casework over JSON, with a bearer token: the same services and the same scope as the pages.

Every request acts as the token's user: a case outside their scope is a 404, an action their role may
not take is a 403, an action the case's status does not allow (or a clash with another booking) is
a 409, input the service refuses is a 400 naming the field, and a missing or wrong token is a 401.
Each action has its own endpoint below, so that each can be found and documented on its own; all of
them call the one service function the case page calls. Tokens come from
``manage.py create_api_token USERNAME``.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import AwareDatetime, ConfigDict, field_validator

from sendmediation.accounts.models import ApiToken, User
from sendmediation.accounts.permissions import can_see_family_contact
from sendmediation.accounts.tokens import live_token
from sendmediation.agreements.services import agreement_for
from sendmediation.api.errors import ApiError, RateLimited
from sendmediation.api.schemas import ErrorOut
from sendmediation.cases import services, workflow
from sendmediation.cases.errors import (
    ActionNotPermitted,
    BookingClash,
    CaseNotVisible,
    CaseworkError,
    InvalidChange,
    MeetingClash,
    MustKeep,
    TransitionNotAllowed,
)
from sendmediation.cases.models import (
    AccessLog,
    AdviceCall,
    AuthorityContact,
    Case,
    Certificate,
    Deadline,
    Decision,
    Party,
)
from sendmediation.cases.queries import (
    AGE_BANDS,
    DEADLINE_FILTERS,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    NO_COORDINATOR,
    OPEN_CASES,
    ListedCase,
    asked_for,
    case_list,
    get_case_or_404,
    log_access,
    log_list_read,
    with_list_details,
)
from sendmediation.common import ratelimit
from sendmediation.localities.coverage import is_covered
from sendmediation.localities.models import LocalAuthority
from sendmediation.meetings.services import link_visible_to
from sendmediation.statutory.rules import RuleCode
from sendmediation.statutory.services import current_calendar

token_logger = logging.getLogger("sendmediation.api.tokens")
READING = ("GET", "HEAD", "OPTIONS")


class StaffToken(HttpBearer):
    """A live staff token: a read-only one only reads; each use is logged with ids, never a name;
    each token may make STAFF_API_RATE_LIMIT requests a minute."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = live_token(token)
        if row is None:
            return None
        match = getattr(request, "resolver_match", None)
        token_logger.info(
            "API token id=%s user id=%s %s %s",
            row.pk,
            row.user_id,
            request.method,
            match.url_name if match is not None else "-",
        )
        wait = ratelimit.take(
            request,
            scope=f"staff-api-token-{row.pk}",
            limit=int(getattr(settings, "STAFF_API_RATE_LIMIT", 0)),
            window_seconds=60,
        )
        if wait is not None:
            raise RateLimited(wait)
        if row.scope != ApiToken.Scope.READ_AND_ACT and request.method not in READING:
            raise ApiError(
                403, "read_only_token", "This token can only read: use a read-and-act token to change a case"
            )
        request.user = row.user
        return row.user


router = Router(auth=StaffToken())


# --- the vocabularies, each under its own name in the OpenAPI document ---------------------------
#
# The models' choices are all called Kind, Status or Outcome; the schema needs one name for each,
# or a generated client sends one vocabulary's values where another's are wanted.


def _named(name: str, choices: Any) -> Any:
    return StrEnum(name, {member.name: member.value for member in choices})


if TYPE_CHECKING:
    CaseKind = Case.Kind
    CaseStatus = Case.Status
    CaseOutcome = Case.Outcome
    AdviceOutcome = AdviceCall.Outcome
    CertificateKind = Certificate.Kind
    PartyRole = Party.Role
    DecisionCode = Decision
    HowContacted = AuthorityContact.How
else:
    CaseKind = _named("CaseKind", Case.Kind)
    CaseStatus = _named("CaseStatus", Case.Status)
    CaseOutcome = _named("CaseOutcome", Case.Outcome)
    AdviceOutcome = _named("AdviceOutcome", AdviceCall.Outcome)
    CertificateKind = _named("CertificateKind", Certificate.Kind)
    PartyRole = _named("PartyRole", Party.Role)
    DecisionCode = _named("DecisionCode", Decision)
    HowContacted = _named("HowContacted", AuthorityContact.How)

FamilyRole = Literal["parent", "young_person"]

# The case list's own filters, the same vocabularies as the page's (cases/queries.py).
ReceivedAge = StrEnum("ReceivedAge", {key.upper(): key for key, *_ in AGE_BANDS})  # type: ignore[misc]
DeadlineFilter = StrEnum("DeadlineFilter", {key.upper(): key for key in DEADLINE_FILTERS})  # type: ignore[misc]


class In(Schema):
    """Every request body: a field the endpoint does not know is refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


def null_refused(*names: str) -> ConfigDict:
    """For a body whose fields may be left out but not all sent as null: the schema shows the named
    fields without null, as the endpoint treats them (it refuses a null there in words, naming the
    field). Their Python type stays optional, so that refusal is the endpoint's, not a parser's."""

    def drop_null(schema: dict[str, Any], model: type) -> None:
        for name in names:
            field = schema["properties"][name]
            options = [option for option in field.pop("anyOf") if option != {"type": "null"}]
            field.pop("default", None)
            (only,) = options
            field.update(only)

    return ConfigDict(json_schema_extra=drop_null)


# --- what goes out -------------------------------------------------------------------------------


class AuthorityOut(Schema):
    code: str
    name: str
    covered: bool = Field(description="Whether we cover this local authority today")


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
    working_days_late: int | None = Field(description="When met: how many working days late (0 on time)")
    stopped_on: datetime.date | None
    state: str = Field(description="met, met_late, stopped, overdue, due_today or running")
    reasons: list[str]


class CertificateOut(Schema):
    number: str
    kind: str
    issued_on: datetime.date
    revoked_on: datetime.date | None
    replaced_by: str | None = Field(description="The number of the certificate that replaced it")


class SignatureOut(Schema):
    id: int = Field(description="The signing link's id (the signatory for record_wet_signature)")
    party_id: int | None = Field(description="Null for the mediator")
    name: str
    signed_at: datetime.datetime | None


class CopyOut(Schema):
    party_id: int | None
    email: str
    sent_at: datetime.datetime | None
    delivered: bool = Field(description="The email was handed to the mail server")


class AgreementOut(Schema):
    status: str = Field(description="draft, sent_for_signature or signed")
    version: int
    sha256: str = Field(description="SHA-256 of the PDF sent for signature")
    signed_sha256: str = Field(description="SHA-256 of the signed PDF, with its signature page")
    signatures: list[SignatureOut]
    copies: list[CopyOut]


class VenueOut(Schema):
    id: int
    name: str
    address: str
    postcode: str
    step_free: bool
    access_notes: str


class MeetingOut(Schema):
    id: int
    starts_at: datetime.datetime
    minutes: int
    format: str = Field(description="in_person, online or phone")
    status: str = Field(description="provisional, confirmed, held or cancelled")
    provisional_reason: str = Field(description="Why it is not confirmed yet")
    venue: VenueOut | None
    room: str | None
    mediator: str = Field(description="Username")
    outcome: str = Field(description="When held: full_agreement, partial_agreement or no_agreement")
    online_link: str | None = Field(
        description="Only for the people invited and the staff who arrange meetings; null for anyone else"
    )


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
    legal_hold: bool = Field(description="Kept as it is: the retention schedule does not anonymise it")
    anonymised_on: datetime.date | None = Field(description="The day its personal data was removed")
    close_outcomes: list[str] = Field(description="The outcomes the case could close with now")
    parties: list[PartyOut]
    deadlines: list[DeadlineOut]
    certificates: list[CertificateOut]
    meetings: list[MeetingOut]
    allowed_actions: list[str] = Field(description="What the token's user may do to this case now")
    agreement: AgreementOut | None = None


class CaseListOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseSummaryOut]


def _username(user: User | None) -> str | None:
    return user.username if user else None


def _authority(case: Case | ListedCase) -> dict[str, Any]:
    authority = case.local_authority
    return {
        "code": authority.code,
        "name": authority.name,
        "covered": is_covered(authority.code, on=timezone.localdate()),
    }


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
        "legal_hold": case.legal_hold,
        "anonymised_on": case.anonymised_on,
        "close_outcomes": workflow.close_outcomes(case) if case.is_open else [],
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
                "working_days_late": row.working_days_late,
                "stopped_on": row.stopped_on,
                "state": row.state(today=today),
                "reasons": list(row.reasons),
            }
            for row in rows
        ],
        "certificates": [
            {
                "number": c.number,
                "kind": c.kind,
                "issued_on": c.issued_on,
                "revoked_on": c.revoked_on,
                "replaced_by": c.replaced_by.number if c.replaced_by is not None else None,
            }
            for c in case.certificates.select_related("replaced_by")
        ],
        "meetings": _meetings_out(case, user),
        "allowed_actions": [action.name for action in workflow.allowed_actions(case, user)],
        "agreement": _agreement_out(case, user),
    }


def _agreement_out(case: Case, user: User) -> dict[str, Any] | None:
    agreement = agreement_for(case)
    if agreement is None:
        return None
    requests = list(agreement.current_requests().select_related("party", "signature"))
    parties = {request.pk: request.party for request in requests}

    def email(request_id: int, address: str) -> str:
        party = parties.get(request_id)
        return address if party is None or can_see_family_contact(user, party) else ""

    return {
        "status": agreement.status,
        "version": agreement.version,
        "sha256": agreement.sha256,
        "signed_sha256": agreement.signed_sha256,
        "signatures": [
            {
                "id": request.pk,
                "party_id": request.party_id,
                "name": request.name,
                "signed_at": request.signature.signed_at if hasattr(request, "signature") else None,
            }
            for request in requests
        ],
        "copies": [
            {
                "party_id": copy.party_id,
                "email": email(copy.request_id, copy.email),
                "sent_at": copy.sent_at,
                "delivered": copy.delivered,
            }
            for copy in agreement.copies.select_related("message")
        ],
    }


def _meetings_out(case: Case, user: User) -> list[dict[str, Any]]:
    meetings = case.meetings.select_related("venue", "room", "mediator").prefetch_related("attendees")
    return [
        {
            "id": meeting.pk,
            "starts_at": meeting.starts_at,
            "minutes": meeting.minutes,
            "format": meeting.format,
            "status": meeting.status,
            "provisional_reason": meeting.provisional_reason,
            "venue": _venue_out(meeting.venue),
            "room": meeting.room.name if meeting.room is not None else None,
            "mediator": meeting.mediator.username,
            "outcome": meeting.outcome,
            "online_link": meeting.online_link
            if meeting.online_link and link_visible_to(meeting, user)
            else None,
        }
        for meeting in meetings.order_by("starts_at", "id")
    ]


def _venue_out(venue: Any) -> dict[str, Any] | None:
    if venue is None:
        return None
    return {
        "id": venue.pk,
        "name": venue.name,
        "address": venue.address,
        "postcode": venue.postcode,
        "step_free": venue.step_free,
        "access_notes": venue.access_notes,
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
    except BookingClash as problem:
        raise ApiError(
            409,
            "booking_clash",
            f"{problem.message}. Send allow_clash: true to book it anyway",
            fields={"booked_for": problem.message},
        ) from None
    except MeetingClash as clash:
        raise ApiError(409, "meeting_clash", clash.message, fields={clash.field: clash.message}) from None
    except InvalidChange as problem:
        fields = {problem.field: problem.message} if problem.field else {}
        raise ApiError(400, "invalid_change", problem.message, fields=fields) from None
    except MustKeep as problem:
        raise ApiError(409, "must_keep", problem.message) from None
    except CaseworkError as problem:
        raise ApiError(409, "conflict", problem.message) from None


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _staff_member(username: str | None, field: str) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ApiError(
            400,
            "invalid_change",
            f"There is no member of staff called {username}",
            fields={field: "Unknown user"},
        )
    return user


def _required_staff(username: str, field: str) -> User:
    user = _staff_member(username, field)
    if user is None:
        raise ApiError(400, "invalid_change", "Choose a member of staff", fields={field: "This is required"})
    return user


def _authority_for(code: str) -> LocalAuthority:
    authority = LocalAuthority.objects.filter(code=code).first()
    if authority is None:
        raise ApiError(
            400, "invalid_change", "Unknown local authority", fields={"local_authority": "Unknown code"}
        )
    return authority


ERRORS: dict[int | tuple[int, ...], type[Schema]] = {
    (400, 401, 403, 404, 409): ErrorOut,
}


def _act(request: HttpRequest, reference: str, change: Any) -> dict[str, Any]:
    """Find the case in the user's scope, make the change through its service, return the case."""
    user = _user(request)
    case = get_case_or_404(user, reference)
    with _domain_errors():
        change(user, case)
    return _case_out(get_case_or_404(user, case.reference), user)


def _described(name: str) -> dict[str, Any]:
    action = workflow.ACTIONS[name]
    roles = ", ".join(sorted(str(User.Role(role).label).lower() for role in action.roles))
    return {
        "summary": action.label,
        "description": (
            f"{action.label}. Allowed from: {', '.join(sorted(action.sources))}. Who: {roles}. "
            "The case must be in the token user's scope (404 otherwise)."
        ),
        "operation_id": f"cases_action_{name}",
    }


# --- reading -------------------------------------------------------------------------------------


class CaseFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    status: CaseStatus | None = None
    open: bool = Field(False, description="Only cases not withdrawn or closed: the page's 'Any open status'")
    age: ReceivedAge | None = Field(None, description="How long ago the case was received, in whole days")
    authority: str | None = Field(None, description="The local authority's GSS code, e.g. E09000033")
    assignee: str | None = Field(
        None,
        description=f"me, none, {NO_COORDINATOR} (open cases without one), or a user id",
        json_schema_extra={"pattern": f"^(me|none|{NO_COORDINATOR}|[0-9]+)$"},
    )
    deadline: DeadlineFilter | None = None
    q: str | None = Field(None, description="A reference, a name or a postcode", max_length=100)
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)

    @field_validator("assignee")
    @classmethod
    def _assignee(cls, value: str | None) -> str | None:
        if value is None or value in ("me", "none", NO_COORDINATOR) or value.isdigit():
            return value
        raise ValueError(f"Use me, none, {NO_COORDINATOR} or the id of a member of staff")


# What the access log keeps of a list request: the filters and the search, not the paging.
LIST_FILTERS = ("status", "open", "age", "authority", "assignee", "deadline", "q")


def _status_filter(filters: CaseFilters) -> str:
    if filters.open and filters.status:
        message = "Choose a status or open cases, not both"
        raise ApiError(400, "invalid_filter", message, fields={"open": message})
    return OPEN_CASES if filters.open else filters.status or ""


@router.get("", response={200: CaseListOut, **ERRORS}, summary="List cases")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    """The cases the token's user may see, newest first, filtered, a page at a time."""
    user = _user(request)
    cases = case_list(
        user,
        today=timezone.localdate(),
        status=_status_filter(filters),
        age=filters.age or "",
        authority=filters.authority or "",
        assignee=filters.assignee or "",
        deadline=filters.deadline or "",
        q=filters.q or "",
    )
    paginator = Paginator(cases.values_list("pk", flat=True), filters.page_size)
    page = paginator.get_page(filters.page) if filters.page <= max(paginator.num_pages, 1) else None
    results = with_list_details(page.object_list) if page is not None else []
    log_list_read(
        user=user,
        what=AccessLog.What.API_CASE_LIST,
        query=asked_for(filters.model_dump(mode="json", exclude_defaults=True), LIST_FILTERS),
        shown=len(results),
        page=filters.page,
    )
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
                "next_deadline": case.next_due,
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


# --- opening and correcting ----------------------------------------------------------------------


class FamilyIn(In):
    role: FamilyRole
    name: str = Field(min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)


class CaseIn(In):
    local_authority: str = Field(description="GSS code, e.g. E09000033")
    kind: CaseKind
    child_first_name: str = Field(min_length=1, max_length=100)
    child_last_name: str = Field(min_length=1, max_length=100)
    child_date_of_birth: datetime.date | None = None
    postcode: str = Field("", max_length=10)
    confirm_other_authority: bool = Field(
        False, description="The postcode is in another authority, and this one is responsible for the child"
    )
    decisions: list[DecisionCode] = []
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
    authority = _authority_for(data.local_authority)
    with _domain_errors():
        case = services.open_case(
            actor=user,
            local_authority=authority,
            kind=data.kind,
            child_first_name=data.child_first_name,
            child_last_name=data.child_last_name,
            child_date_of_birth=data.child_date_of_birth,
            postcode=data.postcode,
            confirm_other_authority=data.confirm_other_authority,
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


class DetailsPatch(In):
    """Only the facts sent change; null empties one where that is allowed."""

    model_config = null_refused(
        "child_first_name",
        "child_last_name",
        "local_authority",
        "issues_education",
        "issues_health",
        "issues_social_care",
    )

    child_first_name: str | None = Field(None, min_length=1, max_length=100)
    child_last_name: str | None = Field(None, min_length=1, max_length=100)
    child_date_of_birth: datetime.date | None = None
    postcode: str | None = Field(None, max_length=10)
    local_authority: str | None = Field(None, description="GSS code")
    confirm_other_authority: bool = False
    decisions: list[DecisionCode] | None = None
    decision_letter_sent: datetime.date | None = None
    issues_education: bool | None = None
    issues_health: bool | None = None
    issues_social_care: bool | None = None
    summary: str | None = None


@router.patch("/{reference}", response={200: CaseOut, **ERRORS}, **_described("update_details"))
def update_details(request: HttpRequest, reference: str, data: DetailsPatch) -> dict[str, Any]:
    """Change the case's facts: fields left out stay as they are."""
    sent = data.dict(exclude_unset=True)
    confirmed = bool(sent.pop("confirm_other_authority", False))
    if "local_authority" in sent:
        code = sent["local_authority"]
        if code is None:
            raise ApiError(
                400,
                "invalid_change",
                "This cannot be emptied: the case needs it",
                fields={"local_authority": "This cannot be emptied: the case needs it"},
            )
        sent["local_authority"] = _authority_for(code)
    if "decisions" in sent and sent["decisions"] is not None:
        sent["decisions"] = [str(code) for code in sent["decisions"]]
    return _act(
        request,
        reference,
        lambda user, case: services.update_details(
            actor=user, case=case, confirm_other_authority=confirmed, calendar=current_calendar(), **sent
        ),
    )


# --- actions: one endpoint each, through the case page's own service --------------------------------


class NoInput(In):
    pass


class TriageIn(In):
    kind: CaseKind | None = None


@router.post("/{reference}/actions/triage", response={200: CaseOut, **ERRORS}, **_described("triage"))
def triage(request: HttpRequest, reference: str, data: TriageIn) -> dict[str, Any]:
    return _act(request, reference, lambda user, case: services.triage(actor=user, case=case, kind=data.kind))


class BookAdviceIn(In):
    adviser: str = Field(description="The adviser's username")
    booked_for: AwareDatetime = Field(description="With its offset, for example 2026-12-04T14:30:00+00:00")
    allow_clash: bool = Field(
        False, description="Book it even though the adviser has a call within 30 minutes"
    )


@router.post(
    "/{reference}/actions/book_advice", response={200: CaseOut, **ERRORS}, **_described("book_advice")
)
def book_advice(request: HttpRequest, reference: str, data: BookAdviceIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.book_advice(
            actor=user,
            case=case,
            adviser=_required_staff(data.adviser, "adviser"),
            booked_for=data.booked_for,
            allow_clash=data.allow_clash,
        ),
    )


class AdviceOutcomeIn(In):
    outcome: AdviceOutcome
    held_at: AwareDatetime | None = Field(None, description="When the call was held; now if left out")
    notes: str = Field("", max_length=5000)


@router.post(
    "/{reference}/actions/record_advice_outcome",
    response={200: CaseOut, **ERRORS},
    **_described("record_advice_outcome"),
)
def record_advice_outcome(request: HttpRequest, reference: str, data: AdviceOutcomeIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.record_advice_outcome(
            actor=user,
            case=case,
            outcome=data.outcome,
            held_at=data.held_at,
            notes=data.notes,
            calendar=current_calendar(),
        ),
    )


class OnDateIn(In):
    on: datetime.date | None = Field(None, description="The day it happened; today if left out")


@router.post(
    "/{reference}/actions/request_mediation",
    response={200: CaseOut, **ERRORS},
    **_described("request_mediation"),
)
def request_mediation(request: HttpRequest, reference: str, data: OnDateIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.request_mediation(
            actor=user, case=case, requested_on=data.on, calendar=current_calendar()
        ),
    )


class EvidenceIn(In):
    on: datetime.date | None = Field(None, description="The day it happened; today if left out")
    how: HowContacted
    person: str = Field(
        min_length=1, max_length=200, description="Who at the local authority, and their role"
    )


@router.post("/{reference}/actions/notify_la", response={200: CaseOut, **ERRORS}, **_described("notify_la"))
def notify_la(request: HttpRequest, reference: str, data: EvidenceIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.notify_la(
            actor=user, case=case, notified_on=data.on, how=data.how, person=data.person
        ),
    )


class NotArrangedIn(EvidenceIn):
    reason: str = Field(min_length=1, max_length=2000, description="The reason the local authority gave")


@router.post(
    "/{reference}/actions/record_mediation_not_arranged",
    response={200: CaseOut, **ERRORS},
    **_described("record_mediation_not_arranged"),
)
def record_mediation_not_arranged(
    request: HttpRequest, reference: str, data: NotArrangedIn
) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.record_mediation_not_arranged(
            actor=user,
            case=case,
            told_on=data.on,
            how=data.how,
            person=data.person,
            reason=data.reason,
            calendar=current_calendar(),
        ),
    )


class MediationHeldIn(In):
    on: datetime.date = Field(description="The day the mediation was held")
    how: HowContacted
    person: str = Field(min_length=1, max_length=200, description="Who confirmed it")


@router.post(
    "/{reference}/actions/record_mediation_held",
    response={200: CaseOut, **ERRORS},
    **_described("record_mediation_held"),
)
def record_mediation_held(request: HttpRequest, reference: str, data: MediationHeldIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.record_mediation_held(
            actor=user,
            case=case,
            held_on=data.on,
            how=data.how,
            person=data.person,
            calendar=current_calendar(),
        ),
    )


class LaDutyIn(In):
    rule: RuleCode = Field(description="The running date the local authority met")
    on: datetime.date
    how: HowContacted
    person: str = Field(min_length=1, max_length=200, description="Who at the local authority said so")


@router.post(
    "/{reference}/actions/record_la_duty", response={200: CaseOut, **ERRORS}, **_described("record_la_duty")
)
def record_la_duty(request: HttpRequest, reference: str, data: LaDutyIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.record_la_duty(
            actor=user,
            case=case,
            rule=data.rule,
            on=data.on,
            how=data.how,
            person=data.person,
            calendar=current_calendar(),
        ),
    )


class CertificateIn(In):
    kind: CertificateKind = Field(
        CertificateKind.AFTER_ADVICE, description="It is dated the day it is issued"
    )


@router.post(
    "/{reference}/actions/issue_certificate",
    response={200: CaseOut, **ERRORS},
    **_described("issue_certificate"),
)
def issue_certificate(request: HttpRequest, reference: str, data: CertificateIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.issue_certificate(
            actor=user, case=case, kind=data.kind, calendar=current_calendar()
        ),
    )


class RevokeIn(In):
    certificate: str = Field(description="The certificate's number, e.g. MC-2026-000123")
    reason: str = Field(min_length=1, max_length=2000)


def _certificate(case: Case, number: str) -> Certificate:
    row = case.certificates.filter(number=number).first()
    if row is None:
        raise ApiError(
            400,
            "invalid_change",
            "No such certificate on this case",
            fields={"certificate": "Unknown number"},
        )
    return row


@router.post(
    "/{reference}/actions/revoke_certificate",
    response={200: CaseOut, **ERRORS},
    **_described("revoke_certificate"),
)
def revoke_certificate(request: HttpRequest, reference: str, data: RevokeIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.revoke_certificate(
            actor=user,
            case=case,
            certificate=_certificate(case, data.certificate),
            reason=data.reason,
            calendar=current_calendar(),
        ),
    )


@router.post(
    "/{reference}/actions/seek_dr_consent", response={200: CaseOut, **ERRORS}, **_described("seek_dr_consent")
)
def seek_dr_consent(request: HttpRequest, reference: str, data: NoInput) -> dict[str, Any]:
    return _act(request, reference, lambda user, case: services.seek_dr_consent(actor=user, case=case))


class ConsentIn(In):
    party_id: int
    consent: Literal["yes", "no"]
    on: datetime.date | None = Field(None, description="The day they answered; today if left out")
    answered_by: str | None = Field(
        None,
        max_length=200,
        description="Who gave the answer (name and role). Give it with how, or leave both out",
    )
    how: Literal["phone", "email", "letter", "in_person"] | None = Field(
        None, description="How the answer came: phone, email, letter or in_person. Give it with answered_by"
    )
    reason: str = Field("", max_length=2000, description="Why they did not agree, in their words")


def _party(case: Case, party_id: int) -> Party:
    party = case.parties.filter(pk=party_id).first()
    if party is None:
        raise ApiError(
            400, "invalid_change", "No such party on this case", fields={"party_id": "Unknown party"}
        )
    return party


@router.post(
    "/{reference}/actions/record_dr_consent",
    response={200: CaseOut, **ERRORS},
    **_described("record_dr_consent"),
)
def record_dr_consent(request: HttpRequest, reference: str, data: ConsentIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.record_dr_consent(
            actor=user,
            case=case,
            party=_party(case, data.party_id),
            consent=data.consent,
            on=data.on,
            answered_by=data.answered_by,
            how=data.how,
            reason=data.reason,
        ),
    )


class CloseIn(In):
    outcome: CaseOutcome = Field(description="One of the case's close_outcomes")
    on: datetime.date | None = Field(None, description="The closing date; today if left out")


@router.post("/{reference}/actions/close_case", response={200: CaseOut, **ERRORS}, **_described("close_case"))
def close_case(request: HttpRequest, reference: str, data: CloseIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.close_case(actor=user, case=case, outcome=data.outcome, on=data.on),
    )


class ReasonIn(In):
    reason: str = Field(min_length=1, max_length=2000)


class WithdrawIn(ReasonIn):
    on: datetime.date | None = Field(None, description="The day it was withdrawn; today if left out")


@router.post(
    "/{reference}/actions/withdraw_case", response={200: CaseOut, **ERRORS}, **_described("withdraw_case")
)
def withdraw_case(request: HttpRequest, reference: str, data: WithdrawIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.withdraw_case(actor=user, case=case, reason=data.reason, on=data.on),
    )


@router.post(
    "/{reference}/actions/reopen_case", response={200: CaseOut, **ERRORS}, **_described("reopen_case")
)
def reopen_case(request: HttpRequest, reference: str, data: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.reopen_case(
            actor=user, case=case, reason=data.reason, calendar=current_calendar()
        ),
    )


class AssignIn(In):
    coordinator: str | None = Field(None, description="Username, or null for nobody")
    adviser: str | None = None
    mediator: str | None = None


@router.post("/{reference}/actions/assign", response={200: CaseOut, **ERRORS}, **_described("assign"))
def assign(request: HttpRequest, reference: str, data: AssignIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.assign(
            actor=user,
            case=case,
            coordinator=_staff_member(data.coordinator, "coordinator"),
            adviser=_staff_member(data.adviser, "adviser"),
            mediator=_staff_member(data.mediator, "mediator"),
        ),
    )


class PartyIn(In):
    role: PartyRole
    name: str = Field(min_length=1, max_length=200)
    organisation: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    address: str = Field("", max_length=2000)
    has_authority_to_settle: bool | None = None


@router.post("/{reference}/actions/add_party", response={200: CaseOut, **ERRORS}, **_described("add_party"))
def add_party(request: HttpRequest, reference: str, data: PartyIn) -> dict[str, Any]:
    return _act(
        request, reference, lambda user, case: services.add_party(actor=user, case=case, **data.dict())
    )


class OverrideIn(In):
    rule: RuleCode = Field(description="The deadline's rule code")
    agreed_date: datetime.date
    note: str = Field(min_length=1, max_length=2000)


def _deadline(case: Case, rule: str) -> Deadline:
    row = case.deadlines.filter(rule=rule).first()
    if row is None:
        raise ApiError(
            400, "invalid_change", "No such deadline on this case", fields={"rule": "Unknown deadline"}
        )
    return row


@router.post(
    "/{reference}/actions/record_agreed_override",
    response={200: CaseOut, **ERRORS},
    **_described("record_agreed_override"),
)
def record_agreed_override(request: HttpRequest, reference: str, data: OverrideIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.record_agreed_override(
            actor=user,
            case=case,
            deadline=_deadline(case, data.rule),
            agreed_date=data.agreed_date,
            note=data.note,
        ),
    )


class NoteIn(In):
    text: str = Field(min_length=1, max_length=10000)


@router.post("/{reference}/actions/add_note", response={200: CaseOut, **ERRORS}, **_described("add_note"))
def add_note(request: HttpRequest, reference: str, data: NoteIn) -> dict[str, Any]:
    return _act(
        request, reference, lambda user, case: services.add_note(actor=user, case=case, text=data.text)
    )


# --- a person's rights over their data, and the law's over the case --------------------------------


@router.post(
    "/{reference}/actions/place_legal_hold",
    response={200: CaseOut, **ERRORS},
    **_described("place_legal_hold"),
)
def place_legal_hold(request: HttpRequest, reference: str, data: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.place_legal_hold(actor=user, case=case, reason=data.reason),
    )


@router.post(
    "/{reference}/actions/lift_legal_hold", response={200: CaseOut, **ERRORS}, **_described("lift_legal_hold")
)
def lift_legal_hold(request: HttpRequest, reference: str, data: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.lift_legal_hold(actor=user, case=case, reason=data.reason),
    )


# --- the family's link ----------------------------------------------------------------------------


@router.post(
    "/{reference}/actions/revoke_family_link",
    response={200: CaseOut, **ERRORS},
    **_described("revoke_family_link"),
)
def revoke_family_link(request: HttpRequest, reference: str, data: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.revoke_family_link(actor=user, case=case, reason=data.reason),
    )


@router.post(
    "/{reference}/actions/reissue_family_link",
    response={200: CaseOut, **ERRORS},
    **_described("reissue_family_link"),
)
def reissue_family_link(request: HttpRequest, reference: str, data: ReasonIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: services.reissue_family_link(actor=user, case=case, reason=data.reason),
    )


class CorrectionIn(ReasonIn):
    child_first_name: str | None = Field(None, max_length=100)
    child_last_name: str | None = Field(None, max_length=100)
    child_date_of_birth: datetime.date | None = None
    postcode: str | None = Field(None, max_length=10)
    summary: str | None = Field(None, max_length=10000)


@router.post(
    "/{reference}/actions/correct_details", response={200: CaseOut, **ERRORS}, **_described("correct_details")
)
def correct_details(request: HttpRequest, reference: str, data: CorrectionIn) -> dict[str, Any]:
    """Correct personal details the family asked us to: fields left out stay as they are."""
    sent = data.dict(exclude_unset=True)
    reason = sent.pop("reason")
    return _act(
        request,
        reference,
        lambda user, case: services.correct_details_on_request(actor=user, case=case, reason=reason, **sent),
    )


@router.post("/{reference}/actions/erase_case", response={200: CaseOut, **ERRORS}, **_described("erase_case"))
def erase_case(request: HttpRequest, reference: str, data: ReasonIn) -> dict[str, Any]:
    """Erase the case's personal data on request; refused (409) with the reason where the law
    requires keeping it."""
    return _act(
        request,
        reference,
        lambda user, case: services.erase_case_on_request(actor=user, case=case, reason=data.reason),
    )
