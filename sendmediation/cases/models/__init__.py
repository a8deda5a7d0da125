"""Casework models. Changes go through ``sendmediation.cases.services``; reads through the QuerySets."""

from sendmediation.cases.models.case import Case, CaseQuerySet, Decision, ReferenceSequence
from sendmediation.cases.models.history import AccessLog, AccessLogCheckpoint, AppendOnlyError, CaseEvent
from sendmediation.cases.models.parties import ConsentRequest, Party
from sendmediation.cases.models.records import (
    AdviceCall,
    AuthorityContact,
    Certificate,
    Deadline,
    DeadlineQuerySet,
    Document,
    Note,
)
from sendmediation.cases.models.search import SearchWord

__all__ = [
    "AccessLog",
    "AccessLogCheckpoint",
    "AdviceCall",
    "AppendOnlyError",
    "AuthorityContact",
    "Case",
    "CaseEvent",
    "CaseQuerySet",
    "Certificate",
    "ConsentRequest",
    "Deadline",
    "DeadlineQuerySet",
    "Decision",
    "Document",
    "Note",
    "Party",
    "ReferenceSequence",
    "SearchWord",
]

# Every model's personal fields, for reports (leave out) and retention (anonymise).
PERSONAL_FIELDS = {
    model: model.PERSONAL_FIELDS
    for model in (
        Case,
        Party,
        AdviceCall,
        AuthorityContact,
        Certificate,
        Document,
        Note,
        CaseEvent,
        AccessLog,
        SearchWord,
    )
}
