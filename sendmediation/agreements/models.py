"""A mediation agreement: its numbered items, the signing links sent, the signatures and the copies."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from sendmediation.notifications.models import OutboxMessage


class Agreement(models.Model):
    """What the parties agreed at the meeting, written down (reg 42(1)). One per case; each change
    after it is sent for signature makes a new version, with new links."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Written down, not sent yet"
        SENT_FOR_SIGNATURE = "sent_for_signature", "Sent for signature"
        SIGNED = "signed", "Signed by everybody"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="agreements")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    # The reg 42 duties the agreement starts, the order an agreement treated as an order is, and
    # any date the parties agreed in writing instead (reg 42(5)): {rule: {"date": iso, "note": text}}.
    duties = models.JSONField(default=list, blank=True)
    order = models.CharField(max_length=20, blank=True)
    agreed = models.JSONField(default=dict, blank=True)
    # The PDF frozen when it was sent for signature, and the one with the signature page.
    pdf = models.FileField(upload_to="agreements/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    signed_pdf = models.FileField(upload_to="agreements/", blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    signed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case"], name="agreement_one_per_case"),
            models.CheckConstraint(
                condition=~Q(status="signed") | (Q(signed_on__isnull=False) & ~Q(signed_sha256="")),
                name="agreement_signed_has_document",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement for case {self.case_id} (version {self.version})"

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    def current_requests(self) -> models.QuerySet[SignatureRequest]:
        """The signing links of this version: one for each person who signs."""
        return self.requests.filter(version=self.version).order_by("id")

    def agreed_dates(self) -> dict[str, datetime.date]:
        return {rule: datetime.date.fromisoformat(value["date"]) for rule, value in self.agreed.items()}


class AgreementItem(models.Model):
    """One numbered thing the parties agreed: what will happen, who does it, by when."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveIntegerField()
    what = models.TextField()
    who = models.CharField(max_length=200)
    by = models.DateField(null=True, blank=True)
    # The local authority or the health commissioner does it: its date becomes one of their deadlines.
    by_authority = models.BooleanField(default=False)

    PERSONAL_FIELDS = ("what", "who")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_item_number_unique")
        ]

    def __str__(self) -> str:
        return f"Item {self.number}"


class SignatureRequest(models.Model):
    """A single-purpose link sent to one person to sign one version of the agreement.

    Only a hash of the link's token is kept. The link opens one signature, until it expires, is
    used, or is voided by a change to the agreement (or by the case stopping)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="requests")
    version = models.PositiveIntegerField()
    party = models.ForeignKey(
        "cases.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=60)
    email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_FIELDS = ("name", "email")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party__isnull=False) | Q(user__isnull=False),
                name="signature_request_has_signatory",
            )
        ]

    def __str__(self) -> str:
        return f"Signing link {self.pk} (version {self.version})"

    def is_open(self, now: datetime.datetime) -> bool:
        return self.used_at is None and self.voided_at is None and self.expires_at > now


class Signature(models.Model):
    """One person's signature: online through their link, or on paper with a scan."""

    request = models.OneToOneField(SignatureRequest, on_delete=models.PROTECT, related_name="signature")
    full_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    # The SHA-256 of the exact PDF the person signed.
    sha256 = models.CharField(max_length=64)
    wet_ink = models.BooleanField(default=False)
    scan = models.FileField(upload_to="agreements/scans/", blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    PERSONAL_FIELDS = ("full_name", "ip", "user_agent")

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wet_ink=False) | ~Q(scan_sha256=""), name="signature_wet_ink_has_scan"
            )
        ]

    def __str__(self) -> str:
        return f"Signature on link {self.request_id}"


class AgreementCopy(models.Model):
    """A copy of the signed agreement emailed to one signatory. Whether it was delivered is read
    from its outbox message: sent is as far as we can know."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="copies")
    request = models.ForeignKey(SignatureRequest, on_delete=models.PROTECT, related_name="copies")
    party = models.ForeignKey(
        "cases.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    email = models.EmailField()
    message = models.ForeignKey(
        "notifications.OutboxMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField()

    PERSONAL_FIELDS = ("email",)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "agreement copies"

    def __str__(self) -> str:
        return f"Copy {self.pk} of agreement {self.agreement_id}"

    @property
    def sent_at(self) -> datetime.datetime | None:
        return self.message.sent_at if self.message is not None else None

    @property
    def delivered(self) -> bool:
        return self.message is not None and self.message.status == OutboxMessage.Status.SENT
