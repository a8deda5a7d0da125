"""Small helpers to queue fictional messages."""

from __future__ import annotations

from datetime import date
from typing import Any

from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.services import AttachmentRef, queue_email


def queue_request_received(
    key: str, *, to: str | list[str] = "parent@example.org", attachments: tuple[AttachmentRef, ...] = ()
) -> OutboxMessage:
    return queue_email(
        to=to,
        template="request_received",
        context={"reference": f"MED-2026-0{key}", "name": "Alex Example", "contact_by": date(2026, 10, 6)},
        dedupe_key=f"request-received:{key}",
        attachments=attachments,
        case=f"MED-2026-0{key}",
    )


def certificate_context() -> dict[str, Any]:
    return {
        "reference": "MED-2026-000042",
        "name": "Alex Example",
        "certificate_number": "MC-2026-000107",
        "issued_on": date(2026, 11, 29),
        "appeal_by": date(2027, 1, 4),
        "case_link": "https://mediation.example/your-case/signed-link/",
        "verification_code": "KZ7P-M4QX-9RTB",
        "verify_url": "https://mediation.example/verify/",
    }
