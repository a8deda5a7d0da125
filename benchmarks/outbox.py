"""Email through the outbox, against sending directly, to a local SMTP sink in the same run.

Run from the repository root: ``python benchmarks/outbox.py [--messages N] [--samples K]``.

It makes a throw-away SQLite database (WAL, as in production on one machine) with only the
outbox and task-queue tables, and starts an aiosmtpd sink on loopback in a thread. Figures:

- throughput: N messages queued with ``queue_email``, then drained by ``send_due_messages``
  (claim in batches of 20, render text and HTML, one SMTP connection per batch, record "sent");
  baseline: a ``send_mail`` loop of the same N messages, with the same rendered subject and body;
- latency: K single changes, each committing one ``queue_email``, with a real worker process
  (``manage.py run_worker``, polling every second when idle, as scripts/run.sh starts it)
  sending; changes come at random moments; the time from the commit returning to the sink
  receiving the message, p50 and p95; baseline: an email sent in the same process straight
  after the commit, as code that sends directly would.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class Sink:
    def __init__(self) -> None:
        self.count = 0
        self.arrived: dict[str, float] = {}
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.perf_counter()
        message_id = ""
        for line in envelope.original_content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
                break
        with self.lock:
            self.count += 1
            self.arrived.setdefault(message_id, now)
        return "250 OK"


def configure(workdir: Path, port: int) -> dict[str, str]:
    environment = {
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "VAR_DIR": str(workdir),
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(environment)
    return environment


def create_tables() -> None:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from sendmediation.notifications.models import OutboxMessage

    with connection.schema_editor() as editor:
        editor.create_model(OutboxMessage)
        editor.create_model(DBTaskResult)


def context(n: int) -> dict[str, Any]:
    return {"reference": f"KSM-2026-{n:05d}", "name": "Alex Example", "contact_by": "2026-10-06"}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--samples", type=int, default=25)
    parser.add_argument("--worker-interval", type=float, default=1.0, help="as scripts/run.sh polls")
    arguments = parser.parse_args()

    from aiosmtpd.controller import Controller

    port = free_port()
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    workdir = Path(tempfile.mkdtemp(prefix="outbox-bench-"))
    environment = configure(workdir, port)

    import logging

    import django

    django.setup()
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    from django.core.mail import EmailMultiAlternatives, send_mail
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from sendmediation.notifications.models import OutboxMessage
    from sendmediation.notifications.services import queue_email, render_message, send_due_messages

    create_tables()
    n = arguments.messages

    # Throughput: queue N (each its own transaction, as N separate changes would), then drain.
    started = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            queue_email(to="family@example.org", template="request_received", context=context(i),
                        dedupe_key=f"bench:{i}")  # fmt: skip
    queue_seconds = time.perf_counter() - started
    DBTaskResult.objects.all().delete()
    sink.count = 0
    started = time.perf_counter()
    report = send_due_messages(max_batches=10_000)
    drain_seconds = time.perf_counter() - started
    assert report.sent == n and sink.count == n, (report, sink.count)
    assert OutboxMessage.objects.filter(status="sent").count() == n

    rendered = [render_message("request_received", context(i)) for i in range(n)]
    sink.count = 0
    started = time.perf_counter()
    for email in rendered:
        send_mail(email.subject, email.text, None, ["family@example.org"], html_message=email.html)
    direct_seconds = time.perf_counter() - started
    assert sink.count == n

    # Latency: a real worker process sends; each sample is one committed change.
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--without-scheduler",
         "--interval", str(arguments.worker_interval), "--verbosity", "0"],
        cwd=ROOT, env={**os.environ, **environment},
    )  # fmt: skip
    try:
        time.sleep(1.5)  # let the worker start before the first sample
        outbox_latencies = []
        for i in range(arguments.samples):
            with transaction.atomic():
                message = queue_email(to="family@example.org", template="request_received",
                                      context=context(i), dedupe_key=f"latency:{i}")  # fmt: skip
            committed = time.perf_counter()
            deadline = committed + 30
            while message.message_id not in sink.arrived:
                if time.perf_counter() > deadline:
                    raise SystemExit("The worker did not send within 30 seconds")
                time.sleep(0.002)
            outbox_latencies.append(sink.arrived[message.message_id] - committed)
            # Changes arrive at random moments, not in step with the worker's polling.
            time.sleep(random.uniform(0, arguments.worker_interval))
    finally:
        worker.terminate()
        worker.wait(timeout=10)

    direct_latencies = []
    for i in range(arguments.samples):
        message_id = f"<direct-{i}@bench>"
        with transaction.atomic():
            OutboxMessage.objects.filter(pk=1).update(case_reference=f"change {i}")  # stands in for a change
        committed = time.perf_counter()
        content = render_message("request_received", context(i))
        sent_directly = EmailMultiAlternatives(content.subject, content.text, None, ["family@example.org"],
                                               headers={"Message-ID": message_id})  # fmt: skip
        sent_directly.attach_alternative(content.html, "text/html")
        sent_directly.send()
        direct_latencies.append(sink.arrived[message_id] - committed)
    controller.stop()
    shutil.rmtree(workdir, ignore_errors=True)

    outbox_rate = n / drain_seconds
    direct_rate = n / direct_seconds
    print(f"queue_email, {n} changes each committed: {n / queue_seconds:,.0f} messages/s")
    print(
        f"outbox -> SMTP sink, {n} messages: {outbox_rate:,.0f} messages/s; "
        f"direct send_mail loop: {direct_rate:,.0f} messages/s; ratio {outbox_rate / direct_rate:.2f}x"
    )
    for label, fraction in (("p50", 0.5), ("p95", 0.95)):
        outbox = percentile(outbox_latencies, fraction) * 1000
        direct = percentile(direct_latencies, fraction) * 1000
        print(
            f"commit -> message at the sink, {label} of {arguments.samples} (worker polling every "
            f"{arguments.worker_interval:g} s): {outbox:,.1f} ms; direct send_mail after commit: "
            f"{direct:,.1f} ms; ratio {outbox / direct:.1f}x"
        )


if __name__ == "__main__":
    main()
