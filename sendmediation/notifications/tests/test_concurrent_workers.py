"""Workers running at the same time never send the same message twice."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.services import SendReport, send_due_messages
from sendmediation.notifications.tests.conftest import SmtpServer
from sendmediation.notifications.tests.factories import queue_request_received

pytestmark = pytest.mark.django_db(transaction=True)


def test_three_workers_at_once_send_each_message_exactly_once(
    smtp_server: SmtpServer, dummy_tasks: None
) -> None:
    queued = [queue_request_received(f"{n:05d}") for n in range(60)]
    start = threading.Barrier(3)
    reports: list[SendReport] = []
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            start.wait()
            reports.append(send_due_messages(batch_size=5, worker_id=name))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"worker-{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(report.sent for report in reports) == 60
    ids = smtp_server.sink.message_ids()
    assert len(ids) == 60
    assert sorted(ids) == sorted(message.message_id for message in queued)
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("sent", 1)}
