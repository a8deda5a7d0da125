"""The web server's access log writes one line per request, whatever the address holds."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from sendmediation.common.gunicorn_logging import OneLineFormatter, escaped_path

ROOT = Path(__file__).resolve().parents[3]


def test_the_path_is_written_as_sent_and_unprintable_characters_are_escaped():
    assert escaped_path("/staff/cases/%0A127.0.0.1%20fake") == "/staff/cases/%0A127.0.0.1%20fake"
    assert escaped_path('/a\nb\r"c\\') == '/a\\x0ab\\x0d\\"c\\\\'
    assert escaped_path("/caf\u00e9") == "/caf\\xc3\\xa9"
    assert escaped_path("/check-your-area/?postcode=SW1A1AA") == "/check-your-area/"


def test_the_services_own_log_lines_escape_line_breaks():
    formatter = OneLineFormatter("%(levelname)s %(message)s")
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Error: %s", ("/a\nFAKE",), None)
    assert formatter.format(record) == "ERROR Error: /a\\nFAKE"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_line_break_in_an_address_does_not_write_a_second_log_line(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        forged = '127.0.0.1 - - [03/Dec/2026:10:00:00 +0000] "GET /staff/cases/MED-2026-000001/ HTTP/1.1" 200'
        target = "/api/v1/nowhere%0A" + forged.replace(" ", "%20").replace('"', "%22") + "?postcode=SW1A1AA"
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", port), timeout=60)
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.5)
        with connection:
            connection.sendall(
                f"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode()
            )
            while connection.recv(65536):
                pass
        time.sleep(1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert not [line for line in text.splitlines() if line.startswith("127.0.0.1 - - [03/Dec/2026")], text
    access = [line for line in text.splitlines() if '"GET /api/v1/nowhere' in line]
    assert len(access) == 1, text
    assert "/api/v1/nowhere%0A127.0.0.1%20-%20-" in access[0]
    assert "SW1A1AA" not in log.read_text()
