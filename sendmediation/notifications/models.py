"""The outbox: every outgoing email is a row written in the same transaction as the change behind it."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q


class OutboxMessageQuerySet(models.QuerySet["OutboxMessage"]):
    def queued(self) -> OutboxMessageQuerySet:
        return self.filter(status=OutboxMessage.Status.QUEUED)

    def failed(self) -> OutboxMessageQuerySet:
        return self.filter(status=OutboxMessage.Status.FAILED)

    def retrying(self) -> OutboxMessageQuerySet:
        """Waiting to be tried again after an attempt that did not go through."""
        return self.filter(status=OutboxMessage.Status.QUEUED, attempts__gt=0)

    def due(self, *, now: object) -> OutboxMessageQuerySet:
        """Queued rows whose time has come, and rows whose sender vanished before recording a result."""
        return self.filter(
            Q(status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now)
            | Q(status=OutboxMessage.Status.SENDING, claim_expires_at__lte=now)
        )


class OutboxMessage(models.Model):
    """One email to send. The context is personal data: never log it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    template = models.CharField(max_length=64)
    recipients = models.JSONField(help_text="Email addresses, as a list.")
    context = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    attachments = models.JSONField(
        default=list,
        encoder=DjangoJSONEncoder,
        help_text="References to files in default storage (or small inline text), read when sending.",
    )
    dedupe_key = models.CharField(max_length=200, unique=True)
    message_id = models.CharField(max_length=200, unique=True)
    case_reference = models.CharField(max_length=40, blank=True, db_index=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=64, blank=True)
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, help_text="Plain English; no personal data.")
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the body, recipients and attachments were removed under the retention schedule.
    purged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="outbox_sent_has_sent_at",
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                violation_error_message="A sent message records when it was sent.",
            ),
            models.CheckConstraint(
                name="outbox_sending_has_claim",
                condition=~Q(status="sending") | Q(claim_expires_at__isnull=False),
                violation_error_message="A message being sent records when its claim runs out.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} ({self.get_status_display()})"
