"""Background tasks: the sender, and the daily deadline reminders."""

from __future__ import annotations

from datetime import date

from django_tasks import task


@task()
def send_due_messages_task() -> dict[str, int]:
    from sendmediation.notifications.services import send_due_messages

    report = send_due_messages()
    return {"sent": report.sent, "waiting": report.waiting, "failed": report.failed}


@task()
def send_deadline_reminders_task(today: str) -> int:
    from sendmediation.notifications.reminders import send_daily_reminders

    return send_daily_reminders(today=date.fromisoformat(today))
