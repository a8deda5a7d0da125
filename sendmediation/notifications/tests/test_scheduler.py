"""The worker's clock enqueues the sweep every interval and the reminders once a day."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django_tasks import default_task_backend

from sendmediation.notifications.scheduler import Scheduler

LONDON = ZoneInfo("Europe/London")


def enqueued() -> list[tuple[str, tuple]]:
    return [(result.task.name, tuple(result.args)) for result in default_task_backend.results]  # type: ignore[attr-defined]


def test_the_sweep_runs_at_start_and_then_every_interval(dummy_tasks: None) -> None:
    scheduler = Scheduler(sweep_seconds=60, reminder_hour=7)
    start = datetime(2026, 12, 21, 5, 0, tzinfo=LONDON)

    assert scheduler.tick(start) == ["send_due_messages"]
    assert scheduler.tick(start + timedelta(seconds=30)) == []
    assert scheduler.tick(start + timedelta(seconds=60)) == ["send_due_messages"]
    assert enqueued() == [("send_due_messages_task", ()), ("send_due_messages_task", ())]


def test_reminders_go_once_a_day_from_the_set_hour(dummy_tasks: None) -> None:
    scheduler = Scheduler(sweep_seconds=3600, reminder_hour=7)

    assert "send_deadline_reminders" not in scheduler.tick(datetime(2026, 12, 21, 6, 59, tzinfo=LONDON))
    assert "send_deadline_reminders" in scheduler.tick(datetime(2026, 12, 21, 7, 0, tzinfo=LONDON))
    assert "send_deadline_reminders" not in scheduler.tick(datetime(2026, 12, 21, 18, 0, tzinfo=LONDON))
    assert "send_deadline_reminders" in scheduler.tick(datetime(2026, 12, 22, 7, 5, tzinfo=LONDON))
    reminders = [args for name, args in enqueued() if name == "send_deadline_reminders_task"]
    assert reminders == [("2026-12-21",), ("2026-12-22",)]
    # Request answers nobody sent are cleared once a day too (the journey keeps them 7 days).
    assert [name for name, _ in enqueued()].count("delete_expired_drafts_task") == 2
    # And the retention schedule is applied once a day.
    assert [name for name, _ in enqueued()].count("apply_retention_task") == 2
    meetings = [args for name, args in enqueued() if name == "send_meeting_reminders_task"]
    assert meetings == [("2026-12-21",), ("2026-12-22",)]


def test_a_scheduler_started_late_in_the_day_still_sends_todays_reminders(dummy_tasks: None) -> None:
    scheduler = Scheduler(sweep_seconds=60, reminder_hour=7)

    assert scheduler.tick(datetime(2026, 12, 21, 15, 0, tzinfo=LONDON)) == [
        "send_due_messages",
        "send_deadline_reminders",
        "delete_expired_drafts",
        "apply_retention",
        "send_meeting_reminders",
    ]
