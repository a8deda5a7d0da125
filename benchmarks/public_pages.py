"""Requests per second for the public pages under gunicorn, against a bare Django view in the same run.

Run from the repository root: ``python benchmarks/public_pages.py [--seconds S] [--rounds N]
[--clients C] [--cold-samples K] [--burst-clients B]``.

A fresh installation is made in a temporary VAR_DIR (SQLite, every migration run, so the pages are
the installed content) and served by gunicorn with 2 workers on a free port on 127.0.0.1, DEBUG
off, with ``benchmarks._public_pages_settings``: the product settings (the page cache included, in
files under that VAR_DIR), plus a URL module that adds one view returning a constant response. That
view goes through the same middleware as every page, so the ratio is what the page itself costs.

The pages: the home page and every live content page in the Wagtail tree, each measured

- cold, just published: this process publishes a new revision of the page through Wagtail (as
  staff would, so the page cache is told through the same signals) and times the next request,
  which must already show the new revision; beside it, one request to the bare view, timed the same
  way. The median over ``--cold-samples`` publishes is printed.
- warm: requests per second from ``--clients`` keep-alive clients, each measurement straight after
  one of the bare view; the ratio is the median over ``--rounds`` such pairs, so a noisy moment on a
  shared machine does not decide the result. The target is at least half the bare view's rate.

Then a burst: ``--burst-clients`` clients at once on the home page and on the bare view, with the
95th percentile of their response times (medians over the rounds). The first question of the request
journey (``/request/``) is measured warm for comparison; it is never kept, since it belongs to a
session.

The load generator is a bounded set of Python threads, each with its own keep-alive connection
(gunicorn's gthread worker keeps connections open), every answer checked. The script exits non-zero
when a page misses the target or a just-published page is not shown at once.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "benchmarks._public_pages_settings"
BASELINE_PATH = "/__baseline__/"  # the bare view in benchmarks/_public_pages_urls.py
WORKERS = 2
MAX_REQUESTS_PER_RUN = 20_000
START_TIMEOUT_SECONDS = 60.0
TARGET_RATIO = 0.5


@dataclass(frozen=True)
class Target:
    label: str
    path: str


@dataclass(frozen=True)
class Load:
    rate: float  # requests per second
    p95_ms: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    return response.status, response.read()


def status_of(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        return fetch(connection, path)[0]
    finally:
        connection.close()


def measure(port: int, path: str, *, seconds: float, clients: int) -> Load:
    """Requests per second over ``seconds`` (or MAX_REQUESTS_PER_RUN), every answer checked."""
    counts = [0] * clients
    latencies: list[list[float]] = [[] for _ in range(clients)]
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
                started = time.perf_counter()
                status, _ = fetch(connection, path)
                latencies[slot].append(time.perf_counter() - started)
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
    rate = sum(counts) / (time.perf_counter() - window["start"])
    every = sorted(latency for slot in latencies for latency in slot)
    p95 = every[min(len(every) - 1, int(len(every) * 0.95))] * 1000 if every else float("nan")
    return Load(rate, p95)


def run_command(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
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
                return server
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("gunicorn did not start")
        time.sleep(0.2)


def content_pages() -> list[tuple[Target, Any]]:
    """The home page and every live page open to everyone, with the Wagtail page to publish."""
    from wagtail.models import Page

    pages = Page.objects.live().public().filter(depth__gt=1).specific().order_by("path")
    found = []
    for page in pages:
        path = page.get_url()
        label = "home page" if page.depth == 2 else "content page"
        found.append((Target(f"{label} {page.title!r}", path), page))
    return found


def publish_marked(page: Any, marker: str) -> None:
    """Publish a new revision whose window title carries ``marker``, as an editor would."""
    page.refresh_from_db()
    page.seo_title = f"{page.title} {marker}"
    page.save_revision().publish()


def time_once(port: int, path: str) -> tuple[float, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.connect()
        started = time.perf_counter()
        status, body = fetch(connection, path)
        elapsed = time.perf_counter() - started
    finally:
        connection.close()
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return elapsed * 1000, body


def cold(port: int, page: Any, target: Target, *, samples: int) -> tuple[float, float, bool]:
    """Median milliseconds for the first request after publishing, beside one to the bare view."""
    page_ms: list[float] = []
    bare_ms: list[float] = []
    shown_at_once = True
    for sample in range(samples):
        marker = f"(published for the benchmark, {sample + 1})"
        publish_marked(page, marker)
        elapsed, body = time_once(port, target.path)
        page_ms.append(elapsed)
        shown_at_once = shown_at_once and marker.encode() in body
        bare_ms.append(time_once(port, BASELINE_PATH)[0])
    return statistics.median(page_ms), statistics.median(bare_ms), shown_at_once


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive connections")
    parser.add_argument("--cold-samples", type=int, default=5, help="publishes timed per page")
    parser.add_argument("--burst-clients", type=int, default=20)
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
    env.pop("PAGE_CACHE_BACKEND", None)
    env.pop("PAGE_CACHE_LOCATION", None)
    server: subprocess.Popen[bytes] | None = None
    missed: list[str] = []
    try:
        print(f"Installing a fresh site in {var_dir} (migrations) ...", flush=True)
        run_command([sys.executable, "manage.py", "migrate", "--no-input"], env)
        # This process publishes as staff would, on the same database and the same page cache.
        os.environ.clear()
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        pages = content_pages()
        port = free_port()
        server = start_gunicorn(env, port)
        journey = Target("request journey, first question (never kept)", "/request/")
        for target in [*(target for target, _ in pages), journey]:
            status = status_of(port, target.path)
            if status != 200:
                raise RuntimeError(f"{target.path} answered {status}")

        print(
            f"gunicorn: {WORKERS} workers (gthread, 1 thread each), 127.0.0.1:{port}, DEBUG off; "
            f"{len(pages)} pages; cold: {options.cold_samples} publishes per page; warm: "
            f"{options.clients} keep-alive clients, {options.rounds} rounds of {options.seconds:g} s "
            f"per target; burst: {options.burst_clients} clients",
            flush=True,
        )
        print("Cold, the first request after publishing (median):", flush=True)
        for target, page in pages:
            page_ms, bare_ms, shown_at_once = cold(port, page, target, samples=options.cold_samples)
            print(
                f"  {target.label} ({target.path}): {page_ms:.1f} ms; bare Django view: {bare_ms:.1f} ms; "
                f"{page_ms / bare_ms:.1f}x the bare view; new revision shown at once: "
                f"{'yes' if shown_at_once else 'NO'}",
                flush=True,
            )
            if not shown_at_once:
                missed.append(f"{target.path} showed an old revision after publishing")

        # Each page is measured right after the bare view, round after round, and compared with
        # that measurement: other work on a shared machine comes and goes within seconds.
        warm_targets = [target for target, _ in pages] + [journey]
        pairs: dict[str, list[tuple[float, float]]] = {target.path: [] for target in warm_targets}
        for _ in range(options.rounds):
            for target in warm_targets:
                bare = measure(port, BASELINE_PATH, seconds=options.seconds, clients=options.clients)
                load = measure(port, target.path, seconds=options.seconds, clients=options.clients)
                pairs[target.path].append((load.rate, bare.rate))
        print(
            f"Warm ({options.clients} clients; median of {options.rounds} rounds, each beside the bare view):"
        )
        for target in warm_targets:
            rate = statistics.median(page_rate for page_rate, _ in pairs[target.path])
            bare_rate = statistics.median(bare_rate for _, bare_rate in pairs[target.path])
            ratio = statistics.median(page_rate / bare_rate for page_rate, bare_rate in pairs[target.path])
            verdict = ""
            if target is not journey:
                verdict = f"; at least {TARGET_RATIO:.2f}: {'yes' if ratio >= TARGET_RATIO else 'NO'}"
                if ratio < TARGET_RATIO:
                    missed.append(f"{target.path} ran at {ratio:.2f} of the bare view")
            print(
                f"  {target.label} ({target.path}): {rate:,.0f} requests/s; bare Django view "
                f"{bare_rate:,.0f} requests/s; ratio {ratio:.2f} ({1 / ratio:.1f}x the cost of the bare "
                f"view){verdict}",
                flush=True,
            )

        bursts = []
        for _ in range(options.rounds):
            bare = measure(port, BASELINE_PATH, seconds=options.seconds, clients=options.burst_clients)
            home = measure(port, "/", seconds=options.seconds, clients=options.burst_clients)
            bursts.append((home, bare))
        print(
            f"Burst ({options.burst_clients} clients at once, median of {options.rounds} rounds): home page "
            f"{statistics.median(home.rate for home, _ in bursts):,.0f} requests/s, p95 "
            f"{statistics.median(home.p95_ms for home, _ in bursts):.0f} ms; bare Django view "
            f"{statistics.median(bare.rate for _, bare in bursts):,.0f} requests/s, p95 "
            f"{statistics.median(bare.p95_ms for _, bare in bursts):.0f} ms; ratio "
            f"{statistics.median(home.rate / bare.rate for home, bare in bursts):.2f}"
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
    if missed:
        print("public_pages: target missed: " + "; ".join(missed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
