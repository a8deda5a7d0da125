"""What happened on a case (append-only), and who looked at it."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AppendOnlyError(Exception):
    """Case history is never changed or removed."""


class CaseEventQuerySet(models.QuerySet["CaseEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Case events are never changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Case events are never removed")


class CaseEvent(models.Model):
    """One thing that happened on a case. Written by the services; never updated or deleted."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Case opened"
        TRIAGED = "triaged", "Triaged"
        ADVICE_BOOKED = "advice_booked", "Advice call booked"
        ADVICE_GIVEN = "advice_given", "Advice given"
        ADVICE_CALL_MISSED = "advice_call_missed", "Could not reach the family"
        MEDIATION_REQUESTED = "mediation_requested", "Mediation requested"
        LA_NOTIFIED = "la_notified", "Local authority told"
        MEDIATION_NOT_ARRANGED = "mediation_not_arranged", "Local authority cannot hold mediation in time"
        MEETING_ARRANGED = "meeting_arranged", "Meeting arranged"
        MEETING_CHANGED = "meeting_changed", "Meeting changed"
        MEETING_CANCELLED = "meeting_cancelled", "Meeting cancelled"
        MEDIATION_HELD = "mediation_held", "Mediation held"
        DR_MEETING_HELD = "dr_meeting_held", "Disagreement resolution meeting held"
        AGREEMENT_RECORDED = "agreement_recorded", "Agreement written down"
        AGREEMENT_SENT = "agreement_sent", "Agreement sent for signature"
        AGREEMENT_SIGNATURE = "agreement_signature", "Agreement signed by one party"
        SIGNATURES_VOIDED = "signatures_voided", "Signatures voided: the agreement changed"
        AGREEMENT_SIGNED = "agreement_signed", "Agreement signed by everyone"
        AGREEMENT_COPY_SENT = "agreement_copy_sent", "Copy of the signed agreement sent"
        LA_DUTY_DONE = "la_duty_done", "Local authority did what it must"
        CERTIFICATE_ASKED = "certificate_asked", "The family asked for its certificate after mediation"
        CERTIFICATE_ISSUED = "certificate_issued", "Certificate issued"
        CERTIFICATE_REVOKED = "certificate_revoked", "Certificate revoked"
        DR_CONSENT_SOUGHT = "dr_consent_sought", "Consent to disagreement resolution asked for"
        DR_CONSENT_LINK_SENT = "dr_consent_link_sent", "A party was sent a link to answer"
        DR_CONSENT_RECORDED = "dr_consent_recorded", "Consent recorded"
        DR_CONSENT_REOPENED = "dr_consent_reopened", "Consent asked for again: a party was added"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REOPENED = "reopened", "Reopened"
        CLOSED = "closed", "Closed"
        ASSIGNED = "assigned", "Staff assigned"
        NOTE_ADDED = "note_added", "Note added"
        PARTY_ADDED = "party_added", "Party added"
        DOCUMENT_ADDED = "document_added", "Document added"
        OVERRIDE_AGREED = "override_agreed", "Different date agreed"
        DETAILS_CHANGED = "details_changed", "Details changed"
        DUPLICATE_REQUEST = "duplicate_request", "Another request for this child turned down as a duplicate"
        LEGAL_HOLD_PLACED = "legal_hold_placed", "Legal hold placed"
        LEGAL_HOLD_LIFTED = "legal_hold_lifted", "Legal hold lifted"
        DETAILS_CORRECTED = "details_corrected", "Details corrected on request"
        ANONYMISED = "anonymised", "Personal data removed"
        FAMILY_LINK_REVOKED = "family_link_revoked", "The family's link stopped"
        FAMILY_LINK_REISSUED = "family_link_reissued", "A new link sent to the family"
        DEADLINES_RECALCULATED = (
            "deadlines_recalculated",
            "Dates worked out again after a bank holiday change",
        )

    # Once one of these is on a mediation case, its local authority takes part in it and its officers
    # see it: the authority was told the family wants mediation, or said itself that it cannot hold
    # the mediation in time (which it can only say once it knows). See docs/access.md.
    AUTHORITY_TOLD = (Kind.LA_NOTIFIED, Kind.MEDIATION_NOT_ARRANGED)

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    # Statuses, codes, dates and staff's reasons: never the family's names or contact details.
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)

    objects = CaseEventQuerySet.as_manager()

    PERSONAL_FIELDS: tuple[str, ...] = ()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "-at"], name="case_event_timeline_idx"),
            # Whether the authority takes part (AUTHORITY_TOLD), asked for every case an officer
            # might see: a small index of just those events.
            models.Index(
                fields=["case"],
                condition=Q(kind__in=["la_notified", "mediation_not_arranged"]),
                name="case_event_authority_told_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Case events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Case events are never removed")


def now() -> Any:
    """The time now, looked up as each row is made (so that a test's clock applies)."""
    return timezone.now()


class AccessLog(models.Model):
    """Who looked at a case, a request for help or a list of them, when, and at what. A family's
    link has no user. A list read names no case or request: it keeps the filters and search the
    person asked for (``query``), how many results the page showed and which page it was."""

    class What(models.TextChoices):
        CASE_PAGE = "case_page", "Case page"
        API_READ = "api_read", "Case read through the API"
        DOCUMENT = "document", "Document downloaded"
        CERTIFICATE = "certificate", "Certificate downloaded"
        FAMILY_PAGE = "family_page", "Family's page (from a link)"
        FAMILY_CERTIFICATE = "family_certificate", "Certificate downloaded by the family"
        REQUEST_PAGE = "request_page", "Request for help"
        REQUEST_LETTER = "request_letter", "Decision letter sent with a request"
        EMAIL = "email", "Email about a case"
        SUBJECT_ACCESS = "subject_access", "Everything held about the family exported"
        VIEWERS = "viewers", "Who viewed the case"
        CASE_LIST = "case_list", "Case list or search"
        MY_WORK = "my_work", "My work"
        REQUEST_LIST = "request_list", "List of requests for help"
        API_CASE_LIST = "api_case_list", "Case list or search through the API"
        ADMIN_CHANGE = "admin_change", "Record opened in the admin"
        CERTIFICATE_PREVIEW = "certificate_preview", "Certificate previewed before it was issued"
        AGREEMENT_PREVIEW = "agreement_preview", "Agreement previewed before it was sent"
        ACCESS_REPORT = "access_report", "A person's access report, their searches included"

    # Reads of a list: they name no case or request, and never count as opening a case.
    LIST_READS = (What.CASE_LIST, What.MY_WORK, What.REQUEST_LIST, What.API_CASE_LIST, What.ACCESS_REPORT)
    # Reads that may name neither a case nor a request: the lists, and a record in the admin that
    # belongs to neither (a member of staff, say).
    WITHOUT_SUBJECT = (*LIST_READS, What.ADMIN_CHANGE)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="access_log"
    )
    help_request = models.ForeignKey(
        "intake.HelpRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="access_log"
    )
    # Set when the row is written (cases/access_log.py), before its hash is worked out.
    at = models.DateTimeField(default=now)
    what = models.CharField(max_length=20, choices=What.choices)
    # Which one, when the page shows one of several: a certificate's number, a document's or an
    # email's id. Never a name or anything else personal.
    item = models.CharField(max_length=40, blank=True, default="")
    # A list read: the filters and the search as the person asked for them (the names of the
    # filters and their values, never the results). A search term may be a family's name: it is
    # kept with the row and deleted with it when the retention period ends.
    query = models.JSONField(default=dict, blank=True)
    # A list read: how many results the page showed, and which page it was (None for other reads).
    shown = models.PositiveIntegerField(null=True, blank=True)
    page = models.PositiveIntegerField(null=True, blank=True)
    # Tamper evidence: each row carries the hash of the row before it and its own hash over both
    # (cases/access_log.py); `manage.py verify_access_log` walks the chain.
    previous_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    row_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    # How the row's hash is worked out: 1 for rows written before list reads were logged (their
    # hash covers the fields they had), 2 for every row since (it covers the query too).
    hash_version = models.PositiveSmallIntegerField(default=2, editable=False)

    PERSONAL_FIELDS: tuple[str, ...] = ("query",)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "-at"], name="access_log_case_idx"),
            models.Index(fields=["user", "-at"], name="access_log_user_idx"),
            models.Index(fields=["help_request", "-at"], name="access_log_request_idx"),
        ]
        constraints = [
            # Never both a case and a request.
            models.CheckConstraint(
                condition=Q(case__isnull=True) | Q(help_request__isnull=True),
                name="access_log_not_case_and_request",
            ),
            # A read of one thing names it; only a list read or the admin may name neither.
            models.CheckConstraint(
                condition=Q(case__isnull=False)
                | Q(help_request__isnull=False)
                | Q(
                    what__in=[
                        "case_list",
                        "my_work",
                        "request_list",
                        "api_case_list",
                        "access_report",
                        "admin_change",
                    ]
                ),
                name="access_log_subject_unless_list",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_what_display()} at {self.at.isoformat(timespec='seconds')}"

    # The filters' names in words, for the managers' report.
    QUERY_LABELS = {
        "q": "search",
        "status": "status",
        "open": "open cases only",
        "age": "received",
        "authority": "local authority",
        "assignee": "assigned to",
        "deadline": "deadline",
    }

    @property
    def is_list_read(self) -> bool:
        return self.what in self.LIST_READS

    def query_description(self) -> str:
        """A list read in words: what was asked for, the page and how many results it showed."""
        if not self.is_list_read:
            return ""
        order = list(self.QUERY_LABELS)
        names = sorted(
            self.query, key=lambda name: (order.index(name) if name in order else len(order), name)
        )
        asked = (
            ", ".join(f'{self.QUERY_LABELS.get(name, name)} "{self.query[name]}"' for name in names)
            or "no filters or search"
        )
        page = f"page {self.page}, " if self.page is not None else ""
        shown = self.shown or 0
        return f"{asked}; {page}{shown} result{'' if shown == 1 else 's'} shown"


class AccessLogCheckpoint(models.Model):
    """Where the access log's chain now starts: rows older than the retention period are removed,
    and this keeps the hash of the last one removed, which the first row kept must follow."""

    at = models.DateTimeField()
    removed_through_id = models.PositiveBigIntegerField(help_text="The id of the last row removed.")
    removed_rows = models.PositiveIntegerField()
    last_hash = models.CharField(max_length=64)

    PERSONAL_FIELDS: tuple[str, ...] = ()

    class Meta:
        ordering = ["-removed_through_id"]

    def __str__(self) -> str:
        return f"Access log removed through row {self.removed_through_id}"
