"""The front doors for every change to a case.

Each function takes the acting user and keyword arguments only, runs in one transaction, checks the
workflow table and the user's role, writes its rows and a CaseEvent, recomputes the case's deadlines
with the calendar passed in (``current_calendar()`` when none is), and queues emails and PDFs to go
after commit. Views, the API, the admin and commands all call these; nothing else changes a case."""

from sendmediation.cases.services._common import KEEP
from sendmediation.cases.services.advice import (
    book_advice,
    la_duties,
    notify_la,
    record_advice_outcome,
    record_la_duty,
    record_mediation_held,
    record_mediation_not_arranged,
    request_mediation,
    triage,
)
from sendmediation.cases.services.changes import (
    DOCUMENT_WRONG_TYPE,
    MAX_DOCUMENT_BYTES,
    add_document,
    add_note,
    add_party,
    assign,
    record_agreed_override,
    refresh_deadlines_for_holiday,
    update_details,
)
from sendmediation.cases.services.closing import close_case, reopen_case, withdraw_case
from sendmediation.cases.services.family_link import reissue_family_link, revoke_family_link
from sendmediation.cases.services.issuing import (
    ask_for_certificate,
    certificate_asked_on,
    issue_certificate,
    may_ask_for_certificate,
    revoke_certificate,
)
from sendmediation.cases.services.opening import (
    FamilyContact,
    decline_help_request,
    kind_for_request,
    open_case,
    open_case_from_request,
    split_name,
)
from sendmediation.cases.services.privacy import (
    correct_details_on_request,
    erase_case_on_request,
    lift_legal_hold,
    place_legal_hold,
    reasons_to_keep,
)
from sendmediation.cases.services.resolution import CONSENTING_ROLES, record_dr_consent, seek_dr_consent

__all__ = [
    "CONSENTING_ROLES",
    "DOCUMENT_WRONG_TYPE",
    "KEEP",
    "MAX_DOCUMENT_BYTES",
    "FamilyContact",
    "add_document",
    "add_note",
    "add_party",
    "ask_for_certificate",
    "assign",
    "book_advice",
    "certificate_asked_on",
    "close_case",
    "correct_details_on_request",
    "decline_help_request",
    "erase_case_on_request",
    "issue_certificate",
    "kind_for_request",
    "la_duties",
    "lift_legal_hold",
    "may_ask_for_certificate",
    "notify_la",
    "open_case",
    "open_case_from_request",
    "place_legal_hold",
    "reasons_to_keep",
    "record_advice_outcome",
    "record_agreed_override",
    "record_dr_consent",
    "record_la_duty",
    "record_mediation_held",
    "record_mediation_not_arranged",
    "refresh_deadlines_for_holiday",
    "reissue_family_link",
    "reopen_case",
    "request_mediation",
    "revoke_certificate",
    "revoke_family_link",
    "seek_dr_consent",
    "split_name",
    "triage",
    "update_details",
    "withdraw_case",
]
