"""A case: one child's disagreement with a local authority, from first contact to closing."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

# One vocabulary for the decisions disputed, from the request to the certificate.
from sendmediation.intake.models import Decision

if TYPE_CHECKING:
    from sendmediation.accounts.models import User


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: Any) -> CaseQuerySet:
        """The cases this person may see; everything else is a 404 for them (deny by default).

        docs/access.md sets out who sees what, and why.
        """
        from sendmediation.accounts import permissions

        role = permissions.role_of(user)
        if permissions.sees_every_case(user):
            return self.all()
        if role == permissions.Role.ADVISER:
            return self.filter(adviser=user)
        if role == permissions.Role.MEDIATOR:
            return self.filter(mediator=user)
        if permissions.is_la_officer(user):
            return self.taking_part(user.local_authority_id)
        return self.none()

    def taking_part(self, authority_id: int) -> CaseQuerySet:
        """The cases an authority takes part in, and so the only ones its officers see.

        Advice (MIAS) is independent of the authority. It takes part in a mediation case once it has
        been told that the family wants mediation (or has itself said that it cannot hold the
        mediation in time), and in a disagreement resolution case once it is one of the parties. It
        keeps the case from then on, whatever happens to the case later (withdrawn, reopened,
        closed). An advice-only case, and any case before that point, it never sees.
        """
        # The two facts are kept on the case's own row by the services that record them
        # (``record_event`` and ``create_party``), so an officer's lists read one index and never
        # search the events or the parties. ``taking_part_by_history`` asks the history itself.
        return self.filter(local_authority_id=authority_id).filter(
            Q(kind=Case.Kind.MEDIATION, authority_told=True)
            | Q(kind=Case.Kind.DISAGREEMENT_RESOLUTION, authority_is_party=True)
        )

    def taking_part_by_history(self, authority_id: int) -> CaseQuerySet:
        """``taking_part`` worked out from the events and parties, as the rule is written: what the
        facts kept on each case must always agree with (checked in the tests)."""
        from sendmediation.cases.models.history import CaseEvent
        from sendmediation.cases.models.parties import Party

        told = CaseEvent.objects.filter(case=OuterRef("pk"), kind__in=CaseEvent.AUTHORITY_TOLD)
        party = Party.objects.filter(case=OuterRef("pk"), role=Party.Role.LA_OFFICER)
        return self.filter(local_authority_id=authority_id).filter(
            (Q(kind=Case.Kind.MEDIATION) & Q(Exists(told)))
            | (Q(kind=Case.Kind.DISAGREEMENT_RESOLUTION) & Q(Exists(party)))
        )

    def open(self) -> CaseQuerySet:
        return self.exclude(status__in=Case.CLOSED_STATUSES)

    def assigned_to(self, user: User) -> CaseQuerySet:
        return self.filter(Q(coordinator=user) | Q(adviser=user) | Q(mediator=user))


def new_family_access_key() -> str:
    return secrets.token_urlsafe(16)


class Case(models.Model):
    """Changes only through ``sendmediation.cases.services``; the status moves by ``workflow``."""

    class Kind(models.TextChoices):
        ADVICE_ONLY = "advice_only", "Advice only"
        MEDIATION = "mediation", "Mediation"
        DISAGREEMENT_RESOLUTION = "disagreement_resolution", "Disagreement resolution"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        TRIAGED = "triaged", "Triaged"
        ADVICE_BOOKED = "advice_booked", "Advice call booked"
        ADVICE_GIVEN = "advice_given", "Advice given"
        MEDIATION_REQUESTED = "mediation_requested", "Mediation requested"
        LA_NOTIFIED = "la_notified", "Local authority told"
        MEDIATION_NOT_ARRANGED = "mediation_not_arranged", "Mediation cannot be held in time"
        MEETING_ARRANGED = "meeting_arranged", "Meeting arranged"
        MEDIATION_HELD = "mediation_held", "Mediation held"
        CONSENT_PENDING = "consent_pending", "Waiting for consent"
        CONSENT_GIVEN = "consent_given", "Everyone consented"
        MEETING_HELD = "meeting_held", "Disagreement resolution meeting held"
        CONSENT_REFUSED = "consent_refused", "Consent refused"
        CERTIFICATE_ISSUED = "certificate_issued", "Certificate issued"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        CERTIFICATE_ISSUED = "certificate_issued", "Certificate issued"
        ADVICE_ONLY = "advice_only", "Advice given, nothing more needed"
        AGREEMENT_REACHED = "agreement_reached", "Agreement reached"
        NO_AGREEMENT = "no_agreement", "No agreement reached"
        CONSENT_REFUSED = "consent_refused", "Disagreement resolution not possible: consent refused"
        RESOLVED = "resolved", "Resolved without mediation"
        OTHER = "other", "Other"

    CLOSED_STATUSES = (Status.WITHDRAWN, Status.CLOSED)
    OPEN_STATUSES = tuple(set(Status) - set(CLOSED_STATUSES))

    reference = models.CharField(max_length=20, unique=True, editable=False)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.MEDIATION)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.RECEIVED)
    # The status before a withdrawal or closing, which reopening returns to.
    status_before_closing = models.CharField(max_length=30, choices=Status.choices, blank=True)
    local_authority = models.ForeignKey(
        "localities.LocalAuthority", on_delete=models.PROTECT, related_name="cases"
    )

    child_first_name = models.CharField("Child's first name", max_length=100)
    child_last_name = models.CharField("Child's last name", max_length=100)
    child_date_of_birth = models.DateField("Child's date of birth", null=True, blank=True)
    postcode = models.CharField("Family's postcode", max_length=10, blank=True)
    summary = models.TextField("What the disagreement is about", blank=True)

    decisions = models.JSONField(
        "Decisions disputed", default=list, blank=True, help_text="Codes from intake.models.Decision."
    )
    decision_letter_sent = models.DateField("Date the decision letter was sent", null=True, blank=True)
    issues_education = models.BooleanField("Education issues", default=True)
    issues_health = models.BooleanField("Health care issues", default=False)
    issues_social_care = models.BooleanField("Social care issues", default=False)

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_cases",
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advised_cases",
    )
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mediated_cases",
    )
    # Facts that decide whether the authority takes part (``CaseQuerySet.taking_part``): it has been
    # told (an AUTHORITY_TOLD event), and one of its officers is a party. Events and parties are never
    # removed, so each fact, once true, stays true.
    authority_told = models.BooleanField(default=False, editable=False)
    authority_is_party = models.BooleanField(default=False, editable=False)
    source_request = models.OneToOneField(
        "intake.HelpRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
    )

    # Set when the case is opened and never changed: each search word keeps a copy (SearchWord),
    # so that a list searched by name is paged from the words alone.
    received_on = models.DateField("Date we heard from the family")
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    # Changing it stops every family link sent so far.
    family_access_key = models.CharField(max_length=32, default=new_family_access_key, editable=False)
    # A legal hold keeps the case as it is: the retention schedule does not anonymise it.
    legal_hold = models.BooleanField(default=False, db_default=False)
    # The day its personal data was removed (under the retention schedule or on request).
    anonymised_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    PERSONAL_FIELDS = ("child_first_name", "child_last_name", "child_date_of_birth", "postcode", "summary")

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["status", "-received_on"], name="case_status_idx"),
            # My work: a person's open cases, or the open cases an authority takes part in, read from
            # the index alone and joined to the dates they must meet (docs/decisions/0008).
            models.Index(
                fields=["local_authority", "status", "id", "kind", "authority_told", "authority_is_party"],
                name="case_authority_open_idx",
            ),
            models.Index(fields=["coordinator", "status", "id"], name="case_open_coordinator_idx"),
            models.Index(fields=["adviser", "status", "id"], name="case_open_adviser_idx"),
            models.Index(fields=["mediator", "status", "id"], name="case_open_mediator_idx"),
            models.Index(fields=["child_last_name", "child_first_name"], name="case_child_idx"),
            models.Index(fields=["postcode"], name="case_postcode_idx"),
            models.Index(fields=["-received_on", "-id"], name="case_recent_idx"),
            # Reports: the cases received in a period, counted by authority, kind and route.
            models.Index(
                fields=["received_on", "local_authority", "kind", "source_request"], name="case_report_idx"
            ),
            # An officer's list: their authority's cases newest first, with the facts that decide
            # whether the authority takes part, so the count and the page read no case rows.
            models.Index(
                fields=[
                    "local_authority",
                    "-received_on",
                    "-id",
                    "kind",
                    "authority_told",
                    "authority_is_party",
                ],
                name="case_authority_part_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="case_closed_has_date_and_outcome",
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(outcome="")),
                violation_error_message="A closed case needs its closing date and outcome.",
            ),
            models.CheckConstraint(
                name="case_open_has_no_closing",
                condition=Q(status__in=["closed", "withdrawn"]) | (Q(closed_on__isnull=True) & Q(outcome="")),
                violation_error_message="Only a closed or withdrawn case has a closing date or outcome.",
            ),
            models.CheckConstraint(
                name="case_reference_format",
                condition=Q(reference__regex=r"^MED-[0-9]{4}-[0-9]{6}$"),
                violation_error_message="A case reference looks like MED-2026-000123.",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES

    @property
    def child_name(self) -> str:
        return f"{self.child_first_name} {self.child_last_name}".strip()

    @property
    def child_initials(self) -> str:
        return "".join(part[:1].upper() for part in (self.child_first_name, self.child_last_name) if part)

    def decision_labels(self) -> list[str]:
        labels = dict(Decision.choices)
        return [labels.get(code, code) for code in self.decisions]

    def issue_labels(self) -> list[str]:
        flags = (
            (self.issues_education, "Education"),
            (self.issues_health, "Health care"),
            (self.issues_social_care, "Social care"),
        )
        return [label for on, label in flags if on]


class ReferenceSequence(models.Model):
    """The last number given out for a prefix in a year (MED for cases and requests, MC for certificates)."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="reference_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"
