from django.contrib import admin
from django.http import HttpRequest

from sendmediation.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    """Read-only: changes go through the services (retry on the staff page)."""

    list_display = ["id", "template", "case_reference", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["case_reference", "dedupe_key"]
    exclude = ["context", "recipients", "attachments"]
    readonly_fields = [
        "template",
        "dedupe_key",
        "message_id",
        "case_reference",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_by",
        "claim_expires_at",
        "last_error",
        "sent_at",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return False
