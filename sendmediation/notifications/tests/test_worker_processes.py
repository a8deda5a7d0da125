"""The real worker: django-tasks-db's queue, the sweep, and a worker process killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sendmediation.notifications import services
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.scheduler import Scheduler
from sendmediation.notifications.services import send_due_messages
from sendmediation.notifications.tests.conftest import SmtpServer
from sendmediation.notifications.tests.factories import queue_request_received

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker_batch() -> None:
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


@override_settings(TASKS=DATABASE_TASKS)
def test_queueing_enqueues_the_sender_on_the_database_queue_after_commit(smtp_server: SmtpServer) -> None:
    message = queue_request_received("00042")

    assert DBTaskResult.objects.filter(task_path__endswith="send_due_messages_task").count() == 1
    assert smtp_server.messages == []
    run_worker_batch()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert [received["Message-ID"].strip() for received in smtp_server.messages] == [message.message_id]


@override_settings(TASKS=DATABASE_TASKS)
def test_the_sweep_sends_a_message_whose_enqueue_was_lost(smtp_server: SmtpServer) -> None:
    message = queue_request_received("00042")
    DBTaskResult.objects.all().delete()
    run_worker_batch()
    assert smtp_server.messages == []

    Scheduler(sweep_seconds=60).tick(timezone.now())
    run_worker_batch()

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(smtp_server.messages) == 1


def database_url() -> str:
    settings = connection.settings_dict
    host = quote(settings["HOST"] or "", safe="")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    return f"postgres://{settings['USER']}{password}@{host}{port}/{settings['NAME']}"


SENDER = (
    "import django; django.setup(); "
    "from sendmediation.notifications.services import send_due_messages; send_due_messages()"
)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker process needs a shared database")
def test_a_worker_process_killed_mid_batch_loses_nothing(smtp_server: SmtpServer, dummy_tasks: Any) -> None:
    queued = [queue_request_received(f"{n:05d}") for n in range(6)]
    smtp_server.sink.hold_after = 3
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", SENDER], cwd=ROOT, env=environment, stderr=subprocess.PIPE
    )
    try:
        held = smtp_server.sink.holding.wait(timeout=60)
        assert held, worker.stderr.read().decode() if worker.poll() is not None and worker.stderr else ""
        # The server has the third message; the worker is waiting to hear it was accepted.
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=10) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
        smtp_server.sink.release.set()

    statuses = list(OutboxMessage.objects.order_by("id").values_list("status", flat=True))
    assert statuses == ["sent", "sent", "sending", "sending", "sending", "sending"]
    assert send_due_messages().sent == 0  # the dead worker's claims still stand
    later = timezone.now() + services.claim_duration() + timedelta(seconds=1)

    assert send_due_messages(now=later).sent == 4

    ids = smtp_server.sink.message_ids()
    assert len(ids) == 7
    assert sorted(set(ids)) == sorted(message.message_id for message in queued)
    assert ids.count(queued[2].message_id) == 2
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


@override_settings(TASKS=DATABASE_TASKS)
def test_the_daily_tick_prunes_old_finished_task_results(smtp_server: SmtpServer) -> None:
    queue_request_received("00042")
    run_worker_batch()
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(days=15))
    old = set(DBTaskResult.objects.values_list("id", flat=True))

    Scheduler(sweep_seconds=60, reminder_hour=0).tick(timezone.now())

    assert old and not old & set(DBTaskResult.objects.values_list("id", flat=True))
    # Today's sweep, deadline reminders, draft clearing, the retention schedule and meeting reminders,
    # waiting to run.
    assert DBTaskResult.objects.count() == 5
