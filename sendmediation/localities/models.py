from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class LocalAuthorityQuerySet(models.QuerySet["LocalAuthority"]):
    def covered(self, *, on: datetime.date) -> LocalAuthorityQuerySet:
        """Authorities where the service offers mediation on this date (both ends of the period count)."""
        return self.filter(covered_from__lte=on).filter(Q(covered_to__isnull=True) | Q(covered_to__gte=on))

    def not_covered(self, *, on: datetime.date) -> LocalAuthorityQuerySet:
        return self.exclude(pk__in=self.covered(on=on).values("pk"))


class LocalAuthority(models.Model):
    """An English local authority with SEND duties (an upper-tier council), and our coverage of it.

    Code, name and kind come from ``authorities.AUTHORITIES`` through ``services.sync_authorities``.
    The coverage fields change only through ``services.update_coverage``, which records each change.
    """

    class Kind(models.TextChoices):
        COUNTY = "county", "County council"
        UNITARY = "unitary", "Unitary authority"
        METROPOLITAN = "metropolitan", "Metropolitan borough"
        LONDON = "london", "London borough"

    code = models.CharField("GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    covered_from = models.DateField(
        "We cover it from",
        null=True,
        blank=True,
        help_text="The first day we offer mediation here. Leave blank if we do not cover this authority.",
    )
    covered_to = models.DateField(
        "We cover it until",
        null=True,
        blank=True,
        help_text="The last day we offer mediation here. Leave blank if there is no end date.",
    )
    contact_name = models.CharField(
        "Coordinator or team",
        max_length=120,
        blank=True,
        help_text="Shown to families, for example 'London team'.",
    )
    contact_phone = models.CharField("Phone", max_length=30, blank=True)
    contact_email = models.EmailField("Email", blank=True)
    notes = models.TextField(blank=True, help_text="For staff only: never shown on the website.")
    other_provider_name = models.CharField(
        "Mediation provider's name",
        max_length=120,
        blank=True,
        help_text="Where we do not cover this authority: who provides mediation here, if known.",
    )
    other_provider_website = models.URLField("Mediation provider's website", blank=True)
    other_provider_phone = models.CharField("Mediation provider's phone", max_length=30, blank=True)
    # Every authority has a local offer and a SENDIASS, covered or not: families find them on our
    # "Useful documents and links" page from their postcode.
    local_offer_website = models.URLField(
        "Local offer website",
        blank=True,
        help_text="The authority's SEND local offer: what help it expects to be available.",
    )
    sendiass_name = models.CharField(
        "SENDIASS name",
        max_length=120,
        blank=True,
        help_text="Its SEND information, advice and support service, for example 'Westminster SENDIASS'.",
    )
    sendiass_website = models.URLField("SENDIASS website", blank=True)
    sendiass_phone = models.CharField("SENDIASS phone", max_length=30, blank=True)

    objects = LocalAuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"
        constraints = [
            models.CheckConstraint(
                name="coverage_ends_after_it_starts",
                condition=Q(covered_to__isnull=True)
                | (Q(covered_from__isnull=False) & Q(covered_to__gte=F("covered_from"))),
                violation_error_message="The end of coverage must be on or after its start.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_covered(self, *, on: datetime.date) -> bool:
        if self.covered_from is None or self.covered_from > on:
            return False
        return self.covered_to is None or on <= self.covered_to


class CoverageChange(models.Model):
    """One changed coverage field: who changed it, when, and the value before and after. Append-only."""

    class Field(models.TextChoices):
        COVERED_FROM = "covered_from", "We cover it from"
        COVERED_TO = "covered_to", "We cover it until"
        CONTACT_NAME = "contact_name", "Coordinator or team"
        CONTACT_PHONE = "contact_phone", "Phone"
        CONTACT_EMAIL = "contact_email", "Email"
        NOTES = "notes", "Notes"
        OTHER_PROVIDER_NAME = "other_provider_name", "Mediation provider's name"
        OTHER_PROVIDER_WEBSITE = "other_provider_website", "Mediation provider's website"
        OTHER_PROVIDER_PHONE = "other_provider_phone", "Mediation provider's phone"
        LOCAL_OFFER_WEBSITE = "local_offer_website", "Local offer website"
        SENDIASS_NAME = "sendiass_name", "SENDIASS name"
        SENDIASS_WEBSITE = "sendiass_website", "SENDIASS website"
        SENDIASS_PHONE = "sendiass_phone", "SENDIASS phone"

    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="coverage_changes")
    field = models.CharField(max_length=40, choices=Field.choices)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank when a command made the change.",
    )
    changed_at = models.DateTimeField(db_index=True)
    via = models.CharField(max_length=60, help_text="Where the change was made: admin, or a command's name.")

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = "coverage change"

    def __str__(self) -> str:
        return f"{self.authority}: {self.get_field_display()}"


# The coverage fields staff manage, in the order the admin shows them.
COVERAGE_FIELDS: tuple[str, ...] = tuple(CoverageChange.Field.values)
