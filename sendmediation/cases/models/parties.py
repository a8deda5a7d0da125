"""The people and organisations taking part in a case."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class PartyQuerySet(models.QuerySet["Party"]):
    def family_contact(self) -> Party | None:
        """The one person the service writes to about a case: the young person when they are a
        party in their own right, otherwise the first parent or carer added."""
        family = list(self.filter(role__in=Party.FAMILY_ROLES).order_by("id"))
        young = [party for party in family if party.role == Party.Role.YOUNG_PERSON]
        chosen = young or family
        return chosen[0] if chosen else None


class Party(models.Model):
    class Role(models.TextChoices):
        PARENT = "parent", "Parent or carer"
        YOUNG_PERSON = "young_person", "Young person"
        SUPPORTER = "supporter", "Supporter or advocate"
        LA_OFFICER = "la_officer", "Local authority officer"
        HEALTH_COMMISSIONER = "health_commissioner", "Health commissioner"
        EDUCATION_PROVIDER = "education_provider", "School, college or early years provider"
        OTHER = "other", "Other"

    class Consent(models.TextChoices):
        PENDING = "pending", "Not asked yet or waiting"
        YES = "yes", "Agreed to take part"
        NO = "no", "Refused to take part"

    class AnswerHow(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In person"
        LINK = "link", "Their answer link"

    FAMILY_ROLES = (Role.PARENT, Role.YOUNG_PERSON)
    # Only these attend on behalf of a body that must be able to settle (regulation 38).
    SETTLING_ROLES = (Role.LA_OFFICER, Role.HEALTH_COMMISSIONER)

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=30, choices=Role.choices)
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True)
    dr_consent = models.CharField(
        "Consent to disagreement resolution", max_length=10, choices=Consent.choices, default=Consent.PENDING
    )
    dr_consent_on = models.DateField("Date consent was given or refused", null=True, blank=True)
    # Who gave the answer and how it reached us, when staff recorded it (a link answers for itself).
    dr_consent_answered_by = models.CharField(
        "Who gave the answer", max_length=200, blank=True, default="", db_default=""
    )
    dr_consent_how = models.CharField(
        "How the answer came", max_length=20, choices=AnswerHow.choices, blank=True, default="", db_default=""
    )
    # A refusal in the organisation's own words, kept here rather than in the case's history.
    dr_consent_reason = models.TextField("Why they did not agree", blank=True, default="", db_default="")
    has_authority_to_settle = models.BooleanField(null=True, blank=True)
    # A parent's or young person's email and phone stay with the service unless they agreed that
    # the local authority may have them (docs/access.md).
    contact_shared_with_la = models.BooleanField(
        "Agreed to share their email and phone with the local authority", default=False, db_default=False
    )
    contact_shared_on = models.DateField("Date their agreement was recorded", null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    objects = PartyQuerySet.as_manager()

    PERSONAL_FIELDS = ("name", "email", "phone", "address", "dr_consent_answered_by", "dr_consent_reason")

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "parties"
        indexes = [
            models.Index(fields=["case", "role"], name="party_case_role_idx"),
            # Whether the authority is a party, asked for every case an officer might see.
            models.Index(fields=["case"], condition=Q(role="la_officer"), name="party_authority_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="party_settling_authority_only_for_bodies",
                condition=Q(has_authority_to_settle__isnull=True)
                | Q(role__in=["la_officer", "health_commissioner"]),
                violation_error_message=(
                    "Only a local authority or health representative has authority to settle."
                ),
            ),
            models.CheckConstraint(
                name="party_contact_shared_only_by_family",
                condition=Q(contact_shared_with_la=False) | Q(role__in=["parent", "young_person"]),
                violation_error_message="Only a parent or young person agrees to share contact details.",
            ),
            models.CheckConstraint(
                name="party_contact_shared_has_date",
                condition=Q(contact_shared_with_la=False, contact_shared_on__isnull=True)
                | Q(contact_shared_with_la=True, contact_shared_on__isnull=False),
                violation_error_message="Record the date the family agreed to share their contact details.",
            ),
            models.CheckConstraint(
                name="party_consent_decided_has_date",
                condition=Q(dr_consent="pending") | Q(dr_consent_on__isnull=False),
                violation_error_message="Record the date consent was given or refused.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.case_id}"

    @property
    def is_family(self) -> bool:
        return self.role in self.FAMILY_ROLES


class ConsentRequestQuerySet(models.QuerySet["ConsentRequest"]):
    def outstanding(self) -> ConsentRequestQuerySet:
        """Links not yet answered or stopped (some may have expired)."""
        return self.filter(used_at__isnull=True, voided_at__isnull=True)


class ConsentRequest(models.Model):
    """A single-purpose link sent to one organisation to agree or decline disagreement resolution.

    Only a SHA-256 of the link's token is kept: the token itself is in the email and nowhere else."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="consent_requests")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    # Where the answer came from, as evidence that it came through the link.
    answered_from = models.GenericIPAddressField(null=True, blank=True)

    objects = ConsentRequestQuerySet.as_manager()

    PERSONAL_FIELDS: tuple[str, ...] = ("answered_from",)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="consent_request_used_or_voided_not_both",
                condition=Q(used_at__isnull=True) | Q(voided_at__isnull=True),
                violation_error_message="A link is either used or stopped, not both.",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent link {self.pk} for party {self.party_id}"
