"""Removing what a sent email said, once the retention period has run (settings.RETENTION)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from sendmediation.notifications.models import OutboxMessage


def sent_messages_to_purge(*, last_day: datetime.date) -> QuerySet[OutboxMessage]:
    """Emails delivered on or before ``last_day`` (local time) whose contents are still kept."""
    day_after = timezone.make_aware(
        datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time())
    )
    return OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENT, sent_at__lt=day_after, purged_at__isnull=True
    )


def purge_messages(messages: QuerySet[OutboxMessage]) -> int:
    """Remove the body (the context, with any family link in it), the recipients and the attachment
    references. The row stays: what was sent, about which case, and when. The files the attachments
    pointed to belong to the case (its certificate or agreement) and go with it."""
    return messages.filter(purged_at__isnull=True).update(
        context={}, recipients=[], attachments=[], purged_at=timezone.now()
    )
