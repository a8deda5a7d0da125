"""What happened on a case (append-only), and who looked at it."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q


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


class AccessLog(models.Model):
    """Who looked at a case or a request for help, when, and at what. A family's link has no user."""

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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="access_log"
    )
    help_request = models.ForeignKey(
        "intake.HelpRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="access_log"
    )
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=20, choices=What.choices)
    # Which one, when the page shows one of several: a certificate's number, a document's or an
    # email's id. Never a name or anything else personal.
    item = models.CharField(max_length=40, blank=True, default="")
    # Tamper evidence: each row carries the hash of the row before it and its own hash over both
    # (cases/access_log.py); `manage.py verify_access_log` walks the chain.
    previous_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    row_hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    PERSONAL_FIELDS: tuple[str, ...] = ()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "-at"], name="access_log_case_idx"),
            models.Index(fields=["user", "-at"], name="access_log_user_idx"),
            models.Index(fields=["help_request", "-at"], name="access_log_request_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, help_request__isnull=True)
                | Q(case__isnull=True, help_request__isnull=False),
                name="access_log_case_or_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_what_display()} at {self.at.isoformat(timespec='seconds')}"


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
