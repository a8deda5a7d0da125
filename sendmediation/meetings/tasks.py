"""The daily meeting reminders, enqueued by the notifications scheduler with the deadline digest."""

from __future__ import annotations

from datetime import date

from django_tasks import task


@task()
def send_meeting_reminders_task(today: str) -> int:
    from sendmediation.meetings.services import send_meeting_reminders

    return send_meeting_reminders(today=date.fromisoformat(today))
