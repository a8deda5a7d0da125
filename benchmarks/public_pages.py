"""Requests per second for public pages under gunicorn, against a bare Django view in the same run.

Run from the repository root: ``python benchmarks/public_pages.py [--seconds S] [--rounds N]
[--clients C]``.

A fresh installation is made in a temporary VAR_DIR (SQLite, every migration run, so the pages are
the installed content) and served by gunicorn with 2 workers on a free port on 127.0.0.1, DEBUG
off, with ``benchmarks._public_pages_settings``: the product settings, plus a URL module that adds
one view returning a constant response. That view goes through the same middleware as every page,
so the ratio is what the page itself costs: the Wagtail page tree, the templates, the queries.

The pages: the home page, and a question page of the request journey (``/request/``) when it
answers 200; until it exists, a content page (``/mediation/``) stands in, and the output says so.

The load generator is a bounded set of Python threads, each with its own keep-alive connection
(gunicorn's gthread worker keeps connections open). Each round measures the baseline and then
each page for ``--seconds`` each, after a warm-up, with a cap on requests; the figures are the
medians over the rounds, so a noisy moment on a shared machine does not decide the result.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "benchmarks._public_pages_settings"
BASELINE_PATH = "/__baseline__/"  # the bare view in benchmarks/_public_pages_urls.py
WORKERS = 2
MAX_REQUESTS_PER_RUN = 20_000
START_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Target:
    label: str
    path: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    return response.status


def status_of(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        return fetch(connection, path)
    finally:
        connection.close()


def measure(port: int, path: str, *, seconds: float, clients: int) -> float:
    """Requests per second over ``seconds`` (or MAX_REQUESTS_PER_RUN), every answer checked."""
    counts = [0] * clients
    failures: list[str] = []
    per_client_cap = MAX_REQUESTS_PER_RUN // clients
    window: dict[str, float] = {}

    def open_window() -> None:
        window["start"] = time.perf_counter()
        window["stop"] = window["start"] + seconds

    ready = threading.Barrier(clients + 1, action=open_window)

    def client(slot: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            for _ in range(5):  # warm-up
                fetch(connection, path)
            ready.wait()
            while counts[slot] < per_client_cap and time.perf_counter() < window["stop"]:
                status = fetch(connection, path)
                if status != 200:
                    failures.append(f"{path} answered {status}")
                    return
                counts[slot] += 1
        except threading.BrokenBarrierError:
            return
        except Exception as error:  # a failing server must stop the run, not hang it
            failures.append(f"{path}: {error!r}")
            ready.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(slot,)) for slot in range(clients)]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):
        ready.wait()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(failures[0])
    return sum(counts) / (time.perf_counter() - window["start"])


def run_command(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive connections")
    options = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="public-pages-bench-"))
    (var_dir / "static").mkdir()  # whitenoise warns when STATIC_ROOT is missing
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "VAR_DIR": str(var_dir),
        "DEBUG": "false",
        "PYTHONPATH": str(ROOT),
        "PUBLIC_API_RATE_LIMIT": "0",
    }
    env.pop("DATABASE_URL", None)
    python = sys.executable
    server: subprocess.Popen[bytes] | None = None
    try:
        print(f"Installing a fresh site in {var_dir} (migrations) ...", flush=True)
        run_command([python, "manage.py", "migrate", "--no-input"], env)
        port = free_port()
        gunicorn = Path(python).with_name("gunicorn")
        server = subprocess.Popen(
            [
                str(gunicorn),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "gthread",
                "--threads",
                "1",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                if status_of(port, "/healthz") == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)

        targets = [Target("home page", "/")]
        if status_of(port, "/request/") == 200:
            targets.append(Target("request journey, first question", "/request/"))
        else:
            targets.append(Target("content page (no question page at /request/ yet)", "/mediation/"))
        for target in targets:
            status = status_of(port, target.path)
            if status != 200:
                raise RuntimeError(f"{target.path} answered {status}")

        print(
            f"gunicorn: {WORKERS} workers (gthread, 1 thread each), 127.0.0.1:{port}, DEBUG off; "
            f"load: {options.clients} keep-alive clients, {options.rounds} rounds of "
            f"{options.seconds:g} s per target",
            flush=True,
        )
        baseline_rates: list[float] = []
        rates: dict[str, list[float]] = {target.path: [] for target in targets}
        for _ in range(options.rounds):
            baseline_rates.append(
                measure(port, BASELINE_PATH, seconds=options.seconds, clients=options.clients)
            )
            for target in targets:
                rates[target.path].append(
                    measure(port, target.path, seconds=options.seconds, clients=options.clients)
                )
        baseline = statistics.median(baseline_rates)
        for target in targets:
            rate = statistics.median(rates[target.path])
            print(
                f"{target.label} ({target.path}): {rate:,.0f} requests/s; "
                f"bare Django view in the same run: {baseline:,.0f} requests/s; "
                f"ratio {rate / baseline:.2f} ({baseline / rate:.1f}x the cost of the bare view)"
            )
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
