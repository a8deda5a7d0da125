"""The rate limits hold across two real gunicorn workers behind a proxy (TRUSTED_PROXY_COUNT=1).

Each worker is its own process: a limit counted in a worker's memory would let a client through
once per worker and count all clients behind the proxy as one. The count is in the database cache,
which both workers read, and the client is the address the proxy wrote into X-Forwarded-For.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
LIMIT = 6
PATH = "/api/v1/deadlines?decision_letter_sent=2026-10-01"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_url_for_the_server(tmp_path: Path) -> str:
    """The test database, as another process reaches it: PostgreSQL's by name; SQLite's (kept in
    memory for the tests) copied into a file both workers open."""
    if connection.vendor == "sqlite":
        copy = tmp_path / "test.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
            # As a migrated database already is. Switching a file to WAL needs it to itself, so two
            # workers opening a file not yet in WAL at once can be refused "database is locked",
            # whatever the busy timeout (the first /healthz answered 503 on a busy machine).
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()
        return f"sqlite:///{copy}"
    url = urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def _get(port: int, forwarded: str, path: str = PATH) -> int | str:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        client.request("GET", path, headers={"X-Forwarded-For": forwarded, "Connection": "close"})
        response = client.getresponse()
        response.read()
        return response.status
    except OSError as error:
        return repr(error)
    finally:
        client.close()


def _send_at_once(port: int, headers: list[str], path: str = PATH) -> Counter[int | str]:
    with ThreadPoolExecutor(max_workers=6) as pool:
        return Counter(pool.map(lambda forwarded: _get(port, forwarded, path), headers))


def _workers_that_answered(log: Path) -> set[str]:
    return set(re.findall(r"worker=<(\d+)> path=/api/v1/deadlines ", log.read_text()))


@pytest.fixture
def server(tmp_path, transactional_db):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url_for_the_server(tmp_path),
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "PUBLIC_API_RATE_LIMIT": str(LIMIT),
        "TRUSTED_PROXY_COUNT": "1",
        # Each access line names the worker's process, so the test can see both answered.
        "GUNICORN_CMD_ARGS": "--worker-class sync --access-logformat 'worker=%(p)s path=%(U)s status=%(s)s'",
    }
    env.pop("REDIS_URL", None)
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=5).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        # Each worker loads the URLs and views on its first request, which can take a while on a
        # busy machine: let both do that on a page with no limit before the counted requests.
        assert set(_send_at_once(port, ["192.0.2.200"] * 6, "/healthz")) == {200}, log.read_text()
        yield port, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def _within_one_window() -> None:
    """The limit counts per minute: start early enough in a minute to finish within it."""
    into_minute = time.time() % 60
    if into_minute > 40:
        time.sleep(60 - into_minute + 0.5)


def test_one_client_behind_the_proxy_gets_exactly_the_limit_across_two_workers(server):
    port, log = server
    _within_one_window()
    # The client writes addresses of its own into the header; the proxy appends the real one.
    headers = [f"192.0.2.{n}, 198.51.100.7" for n in range(LIMIT * 3)]
    statuses = _send_at_once(port, headers)
    assert statuses == {200: LIMIT, 429: LIMIT * 2}, (statuses, log.read_text())
    assert len(_workers_that_answered(log)) == 2, log.read_text()


def test_clients_behind_the_proxy_each_have_their_own_count(server):
    port, log = server
    _within_one_window()
    headers = [f"203.0.113.{n}" for n in range(1, 23)]
    statuses = _send_at_once(port, headers)
    assert statuses == {200: 22}, (statuses, log.read_text())
    assert len(_workers_that_answered(log)) == 2, log.read_text()
