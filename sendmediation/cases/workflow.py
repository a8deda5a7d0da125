"""The one table of what can happen to a case: from which statuses, to which, and by whom.

Every service checks its action here before it changes anything, and the case page and the API
offer only what this table allows. Meetings and agreements have their own apps (``meetings``,
``agreements``) whose services check their actions here too; an action whose page lives in another
app names that page's URL in ``page``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import ARRANGERS, SERVICE_STAFF
from sendmediation.cases.errors import ActionNotPermitted, TransitionNotAllowed
from sendmediation.cases.models import AdviceCall, Case, CaseEvent, Certificate

Status = Case.Status
Kind = Case.Kind
Role = User.Role

CLOSED_STATUSES = frozenset(Case.CLOSED_STATUSES)
OPEN_STATUSES = frozenset(status for status in Status if status not in CLOSED_STATUSES)
ALL_STATUSES = frozenset(Status)
ALL_KINDS = frozenset(Kind)
ADVICE_KINDS = frozenset({Kind.ADVICE_ONLY, Kind.MEDIATION})
MEETING_KINDS = frozenset({Kind.MEDIATION, Kind.DISAGREEMENT_RESOLUTION})
# Where a meeting can be arranged from, and where cancelling it returns the case, by kind.
MEETING_SOURCES: Mapping[str, str] = MappingProxyType(
    {Kind.MEDIATION: Status.LA_NOTIFIED, Kind.DISAGREEMENT_RESOLUTION: Status.CONSENT_GIVEN}
)
# Where holding the meeting takes the case, by kind.
MEETING_HELD_STATUS: Mapping[str, str] = MappingProxyType(
    {Kind.MEDIATION: Status.MEDIATION_HELD, Kind.DISAGREEMENT_RESOLUTION: Status.MEETING_HELD}
)
# After a meeting: where the agreement is written down, sent and signed. A certificate after
# mediation may be issued while the agreement is still being signed.
AGREEMENT_STATUSES = frozenset({Status.MEDIATION_HELD, Status.MEETING_HELD, Status.CERTIFICATE_ISSUED})
# SERVICE_STAFF and ARRANGERS come from accounts.permissions, where every role set is defined.


@dataclass(frozen=True)
class Action:
    """One thing staff can do to a case.

    ``targets`` are the statuses the case can end in (empty: the status stays as it is).
    """

    name: str
    verb: str
    label: str
    sources: frozenset[str]
    targets: frozenset[str]
    roles: frozenset[str]
    event: str
    kinds: frozenset[str] = ALL_KINDS
    # The URL name of the action's page when it is not the case's generic action page; it takes
    # the case reference as its only argument.
    page: str = ""

    @property
    def changes_status(self) -> bool:
        return bool(self.targets)


@dataclass(frozen=True)
class CertificateKindRule:
    # The one status a case is in when this kind of certificate is due; revoking it goes back there.
    source: str
    roles: frozenset[str]

    @property
    def sources(self) -> frozenset[str]:
        return frozenset({self.source})


# Which deadline each kind meets is in ``deadlines.CLOCKS``.
CERTIFICATE_KINDS: Mapping[str, CertificateKindRule] = MappingProxyType(
    {
        Certificate.Kind.AFTER_ADVICE: CertificateKindRule(
            source=Status.ADVICE_GIVEN, roles=frozenset({Role.ADVISER, Role.MANAGER})
        ),
        Certificate.Kind.NOT_ARRANGED: CertificateKindRule(
            source=Status.MEDIATION_NOT_ARRANGED, roles=frozenset({Role.ADVISER, Role.MANAGER})
        ),
        Certificate.Kind.AFTER_MEDIATION: CertificateKindRule(
            source=Status.MEDIATION_HELD, roles=frozenset({Role.MEDIATOR, Role.ADVISER, Role.MANAGER})
        ),
    }
)

# How a case may close, by the status it is in (and, with a certificate, the certificate's kind).
Outcome = Case.Outcome
CLOSE_OUTCOMES: Mapping[tuple[str, str], frozenset[str]] = MappingProxyType(
    {
        (Status.ADVICE_GIVEN, ""): frozenset({Outcome.ADVICE_ONLY, Outcome.RESOLVED, Outcome.OTHER}),
        (Status.CERTIFICATE_ISSUED, Certificate.Kind.AFTER_ADVICE): frozenset({Outcome.CERTIFICATE_ISSUED}),
        (Status.CERTIFICATE_ISSUED, Certificate.Kind.NOT_ARRANGED): frozenset({Outcome.CERTIFICATE_ISSUED}),
        (Status.CERTIFICATE_ISSUED, Certificate.Kind.AFTER_MEDIATION): frozenset(
            {Outcome.AGREEMENT_REACHED, Outcome.NO_AGREEMENT}
        ),
        # An agreement needs a meeting first; without one the disagreement was settled another way.
        (Status.CONSENT_GIVEN, ""): frozenset({Outcome.RESOLVED, Outcome.OTHER}),
        # The family may not need a certificate after mediation (everything was agreed).
        (Status.MEDIATION_HELD, ""): frozenset({Outcome.AGREEMENT_REACHED, Outcome.NO_AGREEMENT}),
        (Status.MEETING_HELD, ""): frozenset({Outcome.AGREEMENT_REACHED, Outcome.NO_AGREEMENT}),
        (Status.CONSENT_REFUSED, ""): frozenset({Outcome.CONSENT_REFUSED}),
    }
)


def _union(values: Iterable[frozenset[str]]) -> frozenset[str]:
    return frozenset().union(*values)


_CERTIFICATE_SOURCES = _union(rule.sources for rule in CERTIFICATE_KINDS.values())
_CERTIFICATE_ROLES = _union(rule.roles for rule in CERTIFICATE_KINDS.values())
_CLOSING_SOURCES = frozenset(status for status, _ in CLOSE_OUTCOMES)

_TABLE: tuple[Action, ...] = (
    # -- the statuses a case moves through ---------------------------------------------------------
    Action(
        "triage",
        "triage the case",
        "Triage the case",
        sources=frozenset({Status.RECEIVED}),
        targets=frozenset({Status.TRIAGED}),
        roles=ARRANGERS,
        event=CaseEvent.Kind.TRIAGED,
    ),
    Action(
        "book_advice",
        "book an advice call",
        "Book an advice call",
        sources=frozenset({Status.TRIAGED, Status.ADVICE_BOOKED}),
        targets=frozenset({Status.ADVICE_BOOKED}),
        roles=frozenset({Role.COORDINATOR, Role.ADVISER, Role.MANAGER}),
        event=CaseEvent.Kind.ADVICE_BOOKED,
        kinds=ADVICE_KINDS,
    ),
    Action(
        "record_advice_outcome",
        "record the advice call",
        "Record the advice call",
        sources=frozenset({Status.TRIAGED, Status.ADVICE_BOOKED, Status.ADVICE_GIVEN}),
        targets=frozenset({Status.ADVICE_GIVEN, Status.MEDIATION_REQUESTED}),
        roles=frozenset({Role.ADVISER, Role.MANAGER}),
        event=CaseEvent.Kind.ADVICE_GIVEN,
        kinds=ADVICE_KINDS,
    ),
    Action(
        "request_mediation",
        "request mediation",
        "Record that the family wants mediation",
        sources=frozenset({Status.ADVICE_GIVEN}),
        targets=frozenset({Status.MEDIATION_REQUESTED}),
        roles=frozenset({Role.COORDINATOR, Role.ADVISER, Role.MANAGER}),
        event=CaseEvent.Kind.MEDIATION_REQUESTED,
        kinds=ADVICE_KINDS,
    ),
    Action(
        "notify_la",
        "tell the local authority",
        "Record that the local authority was told",
        sources=frozenset({Status.MEDIATION_REQUESTED}),
        targets=frozenset({Status.LA_NOTIFIED}),
        roles=ARRANGERS,
        event=CaseEvent.Kind.LA_NOTIFIED,
        kinds=frozenset({Kind.MEDIATION}),
    ),
    Action(
        "record_mediation_not_arranged",
        "record that mediation cannot be held in time",
        "Record that mediation cannot be held within 30 days",
        sources=frozenset({Status.MEDIATION_REQUESTED, Status.LA_NOTIFIED}),
        targets=frozenset({Status.MEDIATION_NOT_ARRANGED}),
        roles=frozenset({Role.COORDINATOR, Role.ADVISER, Role.MANAGER}),
        event=CaseEvent.Kind.MEDIATION_NOT_ARRANGED,
        kinds=frozenset({Kind.MEDIATION}),
    ),
    Action(
        "record_mediation_held",
        "record that the mediation was held",
        "Record a mediation the local authority arranged itself",
        sources=frozenset({Status.LA_NOTIFIED}),
        targets=frozenset({Status.MEDIATION_HELD}),
        roles=frozenset({Role.COORDINATOR, Role.MEDIATOR, Role.MANAGER}),
        event=CaseEvent.Kind.MEDIATION_HELD,
        kinds=frozenset({Kind.MEDIATION}),
    ),
    # -- meetings (sendmediation.meetings) ----------------------------------------------------------
    Action(
        "arrange_meeting",
        "arrange the meeting",
        "Arrange the meeting",
        sources=frozenset(MEETING_SOURCES.values()),
        targets=frozenset({Status.MEETING_ARRANGED}),
        roles=ARRANGERS,
        event=CaseEvent.Kind.MEETING_ARRANGED,
        kinds=MEETING_KINDS,
        page="meetings:arrange",
    ),
    Action(
        "change_meeting",
        "change the meeting",
        "Change the meeting",
        sources=frozenset({Status.MEETING_ARRANGED}),
        targets=frozenset(),
        roles=ARRANGERS,
        event=CaseEvent.Kind.MEETING_CHANGED,
        kinds=MEETING_KINDS,
        page="meetings:change",
    ),
    Action(
        "cancel_meeting",
        "cancel the meeting",
        "Cancel the meeting",
        sources=frozenset({Status.MEETING_ARRANGED}),
        targets=frozenset(MEETING_SOURCES.values()),
        roles=ARRANGERS,
        event=CaseEvent.Kind.MEETING_CANCELLED,
        kinds=MEETING_KINDS,
        page="meetings:cancel",
    ),
    Action(
        "record_meeting_held",
        "record that the meeting was held",
        "Record that the meeting was held",
        sources=frozenset({Status.MEETING_ARRANGED}),
        targets=frozenset(MEETING_HELD_STATUS.values()),
        roles=frozenset({Role.COORDINATOR, Role.MEDIATOR, Role.MANAGER}),
        event=CaseEvent.Kind.MEDIATION_HELD,
        kinds=MEETING_KINDS,
        page="meetings:held",
    ),
    # -- the agreement (sendmediation.agreements) ---------------------------------------------------
    Action(
        "record_agreement",
        "write down the agreement",
        "Write down the agreement",
        sources=AGREEMENT_STATUSES,
        targets=frozenset(),
        roles=frozenset({Role.MEDIATOR, Role.COORDINATOR, Role.MANAGER}),
        event=CaseEvent.Kind.AGREEMENT_RECORDED,
        kinds=MEETING_KINDS,
        page="agreements:edit",
    ),
    Action(
        "send_for_signature",
        "send the agreement for signature",
        "Send the agreement for signature",
        sources=AGREEMENT_STATUSES,
        targets=frozenset(),
        roles=frozenset({Role.MEDIATOR, Role.COORDINATOR, Role.MANAGER}),
        event=CaseEvent.Kind.AGREEMENT_SENT,
        kinds=MEETING_KINDS,
        page="agreements:send",
    ),
    Action(
        "record_wet_signature",
        "record a signature on paper",
        "Record a signature on paper",
        sources=AGREEMENT_STATUSES,
        targets=frozenset(),
        roles=frozenset({Role.MEDIATOR, Role.COORDINATOR, Role.MANAGER}),
        event=CaseEvent.Kind.AGREEMENT_SIGNATURE,
        kinds=MEETING_KINDS,
        page="agreements:wet_signature",
    ),
    Action(
        "issue_certificate",
        "issue a certificate",
        "Issue the mediation certificate",
        sources=_CERTIFICATE_SOURCES,
        targets=frozenset({Status.CERTIFICATE_ISSUED}),
        roles=_CERTIFICATE_ROLES,
        event=CaseEvent.Kind.CERTIFICATE_ISSUED,
        kinds=ADVICE_KINDS,
    ),
    Action(
        "revoke_certificate",
        "revoke the certificate",
        "Revoke the certificate issued in error",
        sources=frozenset({Status.CERTIFICATE_ISSUED}),
        targets=_CERTIFICATE_SOURCES,
        roles=_CERTIFICATE_ROLES,
        event=CaseEvent.Kind.CERTIFICATE_REVOKED,
        kinds=ADVICE_KINDS,
    ),
    Action(
        "seek_dr_consent",
        "ask for consent to disagreement resolution",
        "Ask the parties to agree to disagreement resolution",
        sources=frozenset({Status.TRIAGED}),
        targets=frozenset({Status.CONSENT_PENDING}),
        roles=ARRANGERS,
        event=CaseEvent.Kind.DR_CONSENT_SOUGHT,
        kinds=frozenset({Kind.DISAGREEMENT_RESOLUTION}),
    ),
    Action(
        "record_dr_consent",
        "record consent",
        "Record a party's answer",
        sources=frozenset({Status.CONSENT_PENDING}),
        targets=frozenset({Status.CONSENT_PENDING, Status.CONSENT_GIVEN, Status.CONSENT_REFUSED}),
        roles=ARRANGERS,
        event=CaseEvent.Kind.DR_CONSENT_RECORDED,
        kinds=frozenset({Kind.DISAGREEMENT_RESOLUTION}),
    ),
    Action(
        "close_case",
        "close the case",
        "Close the case",
        sources=_CLOSING_SOURCES,
        targets=frozenset({Status.CLOSED}),
        roles=ARRANGERS,
        event=CaseEvent.Kind.CLOSED,
    ),
    Action(
        "withdraw_case",
        "withdraw the case",
        "Withdraw the case",
        sources=OPEN_STATUSES,
        targets=frozenset({Status.WITHDRAWN}),
        roles=frozenset({Role.COORDINATOR, Role.ADVISER, Role.MANAGER}),
        event=CaseEvent.Kind.WITHDRAWN,
    ),
    Action(
        "reopen_case",
        "reopen the case",
        "Reopen the case",
        sources=CLOSED_STATUSES,
        # Back to the status it had before it was withdrawn or closed.
        targets=OPEN_STATUSES,
        roles=ARRANGERS,
        event=CaseEvent.Kind.REOPENED,
    ),
    # -- changes that leave the status as it is ---------------------------------------------------
    Action(
        "update_details",
        "change the case details",
        "Change the case details",
        sources=OPEN_STATUSES,
        targets=frozenset(),
        roles=frozenset({Role.COORDINATOR, Role.ADVISER, Role.MANAGER}),
        event=CaseEvent.Kind.DETAILS_CHANGED,
    ),
    Action(
        "assign",
        "assign staff",
        "Assign staff",
        sources=OPEN_STATUSES,
        targets=frozenset(),
        roles=ARRANGERS,
        event=CaseEvent.Kind.ASSIGNED,
    ),
    Action(
        "add_party",
        "add a party",
        "Add a party",
        sources=OPEN_STATUSES,
        targets=frozenset(),
        roles=frozenset({Role.COORDINATOR, Role.ADVISER, Role.MANAGER}),
        event=CaseEvent.Kind.PARTY_ADDED,
    ),
    Action(
        "add_document",
        "add a document",
        "Add a document",
        sources=OPEN_STATUSES,
        targets=frozenset(),
        roles=SERVICE_STAFF,
        event=CaseEvent.Kind.DOCUMENT_ADDED,
    ),
    Action(
        "record_la_duty",
        "record that the local authority did what it must",
        "Record that the local authority did what it must",
        sources=OPEN_STATUSES,
        targets=frozenset(),
        # The authority's officer records its own duties done (an agreement's items among them).
        roles=ARRANGERS | {Role.LA_OFFICER},
        event=CaseEvent.Kind.LA_DUTY_DONE,
    ),
    Action(
        "record_agreed_override",
        "record an agreed date",
        "Record a date the parties agreed",
        sources=OPEN_STATUSES,
        targets=frozenset(),
        roles=ARRANGERS,
        event=CaseEvent.Kind.OVERRIDE_AGREED,
    ),
    Action(
        "add_note",
        "add a note",
        "Add a note",
        sources=ALL_STATUSES,
        targets=frozenset(),
        roles=SERVICE_STAFF,
        event=CaseEvent.Kind.NOTE_ADDED,
    ),
)

# -- the family's link (services/family_link.py) --------------------------------------------------
_TABLE += (
    Action(
        "revoke_family_link",
        "stop the family's link",
        "Stop the family's link",
        sources=ALL_STATUSES,
        targets=frozenset(),
        roles=ARRANGERS,
        event=CaseEvent.Kind.FAMILY_LINK_REVOKED,
    ),
    Action(
        "reissue_family_link",
        "send the family a new link",
        "Send the family a new link",
        sources=ALL_STATUSES,
        targets=frozenset(),
        roles=ARRANGERS,
        event=CaseEvent.Kind.FAMILY_LINK_REISSUED,
    ),
)

# -- a person's rights over their data, and the law's over the case (services/privacy.py) ----------
_TABLE += (
    Action(
        "place_legal_hold",
        "place a legal hold",
        "Place a legal hold",
        sources=ALL_STATUSES,
        targets=frozenset(),
        roles=frozenset({Role.MANAGER}),
        event=CaseEvent.Kind.LEGAL_HOLD_PLACED,
    ),
    Action(
        "lift_legal_hold",
        "lift the legal hold",
        "Lift the legal hold",
        sources=ALL_STATUSES,
        targets=frozenset(),
        roles=frozenset({Role.MANAGER}),
        event=CaseEvent.Kind.LEGAL_HOLD_LIFTED,
    ),
    Action(
        "correct_details",
        "correct personal details on request",
        "Correct personal details on request",
        sources=ALL_STATUSES,
        targets=frozenset(),
        roles=frozenset({Role.MANAGER}),
        event=CaseEvent.Kind.DETAILS_CORRECTED,
    ),
    Action(
        "erase_case",
        "erase the case's personal data",
        "Erase personal data on request",
        sources=CLOSED_STATUSES,
        targets=frozenset(),
        roles=frozenset({Role.MANAGER}),
        event=CaseEvent.Kind.ANONYMISED,
    ),
)

ACTIONS: Mapping[str, Action] = MappingProxyType({action.name: action for action in _TABLE})

# Opening a case has no status before it, so it sits beside the table.
OPEN_CASE_ROLES = ARRANGERS


def _status_label(status: str) -> str:
    try:
        return str(Status(status).label).lower()
    except ValueError:
        return status


def _role_label(role: str) -> str:
    try:
        return str(Role(role).label).lower()
    except ValueError:
        return "person without a role"


def _article(words: str) -> str:
    return f"an {words}" if words[:1] in "aeiou" else f"a {words}"


def role_allows(action: Action, user: Any) -> bool:
    return bool(user is not None and user.is_active and getattr(user, "role", "") in action.roles)


def check(name: str, *, case: Case, user: Any, to: str | None = None) -> Action:
    """Raise unless ``user`` may do action ``name`` to ``case`` now (and end in status ``to``)."""
    action = ACTIONS[name]
    if not role_allows(action, user):
        role = getattr(user, "role", "")
        raise ActionNotPermitted(
            f"Cannot {action.verb}: {_article(_role_label(role))} may not do this", action=name, role=role
        )
    if case.status not in action.sources:
        raise TransitionNotAllowed(
            f"Cannot {action.verb}: the case is '{_status_label(case.status)}'",
            action=name,
            status=case.status,
        )
    if case.kind not in action.kinds:
        kind = str(Kind(case.kind).label).lower()
        raise TransitionNotAllowed(
            f"Cannot {action.verb}: this is {_article(kind)} case", action=name, status=case.status
        )
    if to is not None and action.targets and to not in action.targets:
        raise TransitionNotAllowed(
            f"Cannot {action.verb}: the case cannot go from '{_status_label(case.status)}' "
            f"to '{_status_label(to)}'",
            action=name,
            status=case.status,
        )
    return action


def close_outcomes(case: Case) -> list[str]:
    """The outcomes this case can close with now, in the order the outcomes are listed."""
    key = ""
    if case.status == Status.CERTIFICATE_ISSUED:
        latest = case.certificates.filter(revoked_on__isnull=True).order_by("-issued_on", "-id").first()
        key = latest.kind if latest is not None else ""
    allowed = CLOSE_OUTCOMES.get((case.status, key), frozenset())
    return [outcome for outcome in Outcome if outcome in allowed]


def check_certificate(kind: str, *, case: Case, user: Any, revoking: bool = False) -> CertificateKindRule:
    """The extra rules for one kind of certificate, after ``check("issue_certificate", ...)``: who
    may issue (or revoke) it, and that the case is where this kind is due."""
    rule = CERTIFICATE_KINDS[kind]
    label = str(Certificate.Kind(kind).label).split(":")[0].lower()
    verb = f"{'revoke' if revoking else 'issue'} a certificate ({label})"
    if getattr(user, "role", "") not in rule.roles:
        raise ActionNotPermitted(
            f"Cannot {verb}: {_article(_role_label(getattr(user, 'role', '')))} may not do this",
            action="issue_certificate",
            role=getattr(user, "role", ""),
        )
    if not revoking and case.status not in rule.sources:
        raise TransitionNotAllowed(
            f"Cannot {verb}: the case is '{_status_label(case.status)}'",
            action="issue_certificate",
            status=case.status,
        )
    return rule


def is_allowed(name: str, *, case: Case, user: Any) -> bool:
    action = ACTIONS[name]
    return role_allows(action, user) and case.status in action.sources and case.kind in action.kinds


def allowed_actions(case: Case, user: Any) -> list[Action]:
    """What this person may do to this case now, in the table's order."""
    return [action for action in _TABLE if is_allowed(action.name, case=case, user=user)]


def certificate_kinds_allowed(case: Case, user: Any) -> list[str]:
    return [
        kind
        for kind, rule in CERTIFICATE_KINDS.items()
        if case.status in rule.sources and getattr(user, "role", "") in rule.roles
    ]


# --- how the case page words the table -----------------------------------------------------------

# An action done once reads differently when it is offered again.
_AGAIN_LABELS: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("book_advice", Status.ADVICE_BOOKED): "Change the advice call",
        ("record_advice_outcome", Status.ADVICE_GIVEN): "Record another advice call",
    }
)


def label_for(action: Action, case: Case) -> str:
    if action.name == "book_advice" and case.status == Status.ADVICE_BOOKED and _last_call_missed(case):
        return "Book another advice call"
    return _AGAIN_LABELS.get((action.name, case.status), action.label)


def _last_call_missed(case: Case) -> bool:
    """The latest call was tried and did not reach the family, and nothing is booked since."""
    last = case.advice_calls.order_by("-id").first()
    return last is not None and last.outcome == AdviceCall.Outcome.NO_ANSWER


@dataclass(frozen=True)
class NextStep:
    """What usually happens next on a case in this status, and the action that does it."""

    text: str
    action: str = ""


_ADVICE_NEXT: Mapping[str, NextStep] = MappingProxyType(
    {
        Status.RECEIVED: NextStep("Check the details and confirm what the family needs.", "triage"),
        Status.TRIAGED: NextStep("Book a call between the family and a mediation adviser.", "book_advice"),
        Status.ADVICE_BOOKED: NextStep(
            "After the call, record what the family decided.", "record_advice_outcome"
        ),
        Status.ADVICE_GIVEN: NextStep(
            "If the family does not want mediation, issue their certificate. If they now want "
            "mediation, record that instead.",
            "issue_certificate",
        ),
        Status.MEDIATION_REQUESTED: NextStep(
            "Tell the local authority that the family wants mediation: it must be held within 30 days.",
            "notify_la",
        ),
        Status.LA_NOTIFIED: NextStep(
            "Arrange the mediation meeting with the family and the local authority, within the 30 days "
            "and with at least 5 working days' notice. If it cannot be held in time, record that instead.",
            "arrange_meeting",
        ),
        Status.MEETING_ARRANGED: NextStep(
            "When the meeting has been held, record who came and what was agreed.", "record_meeting_held"
        ),
        Status.MEDIATION_NOT_ARRANGED: NextStep(
            "Issue the family's certificate: mediation cannot be held in time.", "issue_certificate"
        ),
        Status.MEDIATION_HELD: NextStep(
            "Write down what was agreed and send it for everyone to sign. The certificate after "
            "mediation is due within 3 working days of the mediation if the family wants one.",
            "record_agreement",
        ),
        Status.CERTIFICATE_ISSUED: NextStep(
            "The family has its certificate. Close the case when nothing else is needed.", "close_case"
        ),
    }
)

_DR_NEXT: Mapping[str, NextStep] = MappingProxyType(
    {
        Status.RECEIVED: NextStep("Check the details and confirm what the family needs.", "triage"),
        Status.TRIAGED: NextStep(
            "Ask everyone involved whether they agree to disagreement resolution.", "seek_dr_consent"
        ),
        Status.CONSENT_PENDING: NextStep("Record each party's answer as it comes in.", "record_dr_consent"),
        Status.CONSENT_GIVEN: NextStep(
            "Everyone agreed: arrange the disagreement resolution meeting.", "arrange_meeting"
        ),
        Status.MEETING_ARRANGED: NextStep(
            "When the meeting has been held, record who came and what was agreed.", "record_meeting_held"
        ),
        Status.MEETING_HELD: NextStep(
            "Write down what was agreed and send it for everyone to sign, then close the case.",
            "record_agreement",
        ),
        Status.CONSENT_REFUSED: NextStep(
            "Someone did not agree, so disagreement resolution cannot go ahead. Tell the family, then "
            "close the case.",
            "close_case",
        ),
    }
)


# After advice, what comes next depends on what the family decided on the last call.
_AFTER_ADVICE: Mapping[str, NextStep] = MappingProxyType(
    {
        AdviceCall.Outcome.DECLINES_MEDIATION: NextStep(
            "The family does not want mediation: issue their certificate (it is due within 3 working "
            "days of the call).",
            "issue_certificate",
        ),
        AdviceCall.Outcome.NOT_DECIDED: NextStep(
            "The family has not decided yet. When they have, record another advice call with their decision.",
            "record_advice_outcome",
        ),
        AdviceCall.Outcome.CERTIFICATE_NOT_NEEDED: NextStep(
            "No certificate is needed for this appeal. Close the case when nothing else is needed.",
            "close_case",
        ),
    }
)


def next_step(case: Case) -> NextStep | None:
    """The usual next step for the case, or None when it is closed or withdrawn."""
    if case.status in (Status.TRIAGED, Status.ADVICE_BOOKED) and _last_call_missed(case):
        return NextStep(
            "The last call did not reach the family (they have been emailed to get in touch). Book "
            "another call.",
            "book_advice",
        )
    if case.status == Status.ADVICE_GIVEN:
        last = case.advice_calls.latest_reached()
        if last is not None and last.outcome in _AFTER_ADVICE:
            return _AFTER_ADVICE[last.outcome]
    steps = _DR_NEXT if case.kind == Kind.DISAGREEMENT_RESOLUTION else _ADVICE_NEXT
    return steps.get(case.status)


def who_may(action_name: str, case: Case | None = None) -> str:
    """The roles that may do an action, in words, for people who may not. For a certificate, the
    roles that may issue the kind due on this case now."""
    allowed = ACTIONS[action_name].roles
    if action_name == "issue_certificate" and case is not None:
        due = [rule.roles for rule in CERTIFICATE_KINDS.values() if case.status in rule.sources]
        allowed = _union(due) or allowed
    roles = [str(Role(role).label).lower() for role in Role if role in allowed]
    roles = [role for role in roles if role != "manager"] or roles
    return " or ".join(f"the {role}" for role in roles)
