"""The worker's clock: django-tasks has no scheduler, so this enqueues the periodic jobs.

Every ``sweep_seconds`` it enqueues the sender, so a message whose enqueue was lost (or whose
retry time has come) still goes; once a day, from ``reminder_hour`` UK time, it enqueues the
deadline and meeting reminders and the retention schedule (``cases.retention``: request answers nobody
sent in time, old requests, cases, emails and access log rows), and prunes finished
task results older than 14 days (a sweep a minute leaves 1,440 a day). The jobs are idempotent,
so a restart or a second scheduler does no harm.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.management import call_command
from django.db import close_old_connections
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from sendmediation.cases.tasks import apply_retention_task
from sendmediation.intake.tasks import delete_expired_drafts_task
from sendmediation.meetings.tasks import send_meeting_reminders_task
from sendmediation.notifications.tasks import send_deadline_reminders_task, send_due_messages_task

logger = logging.getLogger(__name__)


@dataclass
class Scheduler:
    sweep_seconds: float = 60.0
    reminder_hour: int = 7
    last_sweep: datetime | None = None
    last_reminders: date | None = None
    stopping: threading.Event = field(default_factory=threading.Event)

    def tick(self, now: datetime) -> list[str]:
        """Enqueue whatever is due at ``now``; returns the names of the tasks enqueued."""
        enqueued = []
        if self.last_sweep is None or now - self.last_sweep >= timedelta(seconds=self.sweep_seconds):
            send_due_messages_task.enqueue()
            self.last_sweep = now
            enqueued.append("send_due_messages")
        local = timezone.localtime(now)
        if local.hour >= self.reminder_hour and self.last_reminders != local.date():
            send_deadline_reminders_task.enqueue(local.date().isoformat())
            self.last_reminders = local.date()
            enqueued.append("send_deadline_reminders")
            delete_expired_drafts_task.enqueue()
            enqueued.append("delete_expired_drafts")
            apply_retention_task.enqueue()
            enqueued.append("apply_retention")
            send_meeting_reminders_task.enqueue(local.date().isoformat())
            enqueued.append("send_meeting_reminders")
            if isinstance(task_backends["default"], DatabaseBackend):
                call_command("prune_db_task_results", min_age_days=14, verbosity=0)
        return enqueued

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.tick(timezone.now())
            except Exception:
                # The database may be busy or restarting: try again on the next tick.
                logger.exception("The notifications scheduler could not enqueue its jobs")
            finally:
                close_old_connections()
            self.stopping.wait(min(self.sweep_seconds, 30.0))

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="notifications-scheduler", daemon=True)
        thread.start()
        return thread
