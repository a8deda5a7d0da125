"""The coverage API's requests per second under gunicorn, against a bare Django view in the same run.

Run from the repository root: ``python benchmarks/coverage_api.py [--seconds S] [--rounds N]
[--max-requests N] [--concurrency C] [--client auto|python|wrk]``.

It prepares a throw-away VAR_DIR (SQLite database migrated, demo coverage loaded, a copy of the
postcode index), starts ``.venv/bin/gunicorn`` with 2 sync workers on a free loopback port with
DEBUG off and no rate limit, and loads it from the same machine. The baseline is a view that
returns constant JSON of the same shape, served by the same gunicorn through the same middleware
(``benchmarks/coverage_api_server``, not part of the product). The two run in back-to-back pairs
of rounds; each rate is the median of its rounds and the ratio is the median of the pairs' ratios,
which other work on the machine disturbs least. Coverage requests cycle through real postcodes
drawn (seeded) from the directory, typed as stored or squashed in lower case.

The load comes from ``wrk`` when it is installed and otherwise from a Python client: threads that
each open a connection, send one request and read to the end (gunicorn's sync workers close the
connection after every response). Every round stops after ``--seconds`` (the Python client also
after ``--max-requests``, whichever comes first), and the server is stopped at the end whatever
happens.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sendmediation.localities import postcodes  # noqa: E402
from sendmediation.localities.postcodes import INDEX_FILENAME, PostcodeIndex  # noqa: E402

TARGET_RATIO = 0.70
SETTINGS = "benchmarks.coverage_api_server.settings"
BARE_PATH = "/bench/constant"
COVERAGE_PATH = "/api/v1/coverage?postcode="
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


class Round(NamedTuple):
    requests: int
    failures: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def sample_postcodes(index_dir: Path, count: int, seed: int) -> list[str]:
    """``count`` postcodes drawn from the index, half as stored and half squashed in lower case."""
    index = PostcodeIndex.open(index_dir)
    try:
        # The index keeps no list of postcodes, so read its columns directly: a benchmark may.
        runs = sorted((span[0], outward) for outward, span in index._outwards.items() if span[1] > span[0])
        starts = [start for start, _ in runs]
        rng = random.Random(seed)
        found = []
        for _ in range(count):
            row = rng.randrange(len(index))
            outward = runs[bisect_right(starts, row) - 1][1]
            inward = postcodes._INWARDS[ord(index._inwards[row])]
            found.append(f"{outward} {inward}" if rng.random() < 0.5 else f"{outward}{inward}".lower())
        return found
    finally:
        index.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def prepare(var_dir: Path, environment: dict[str, str]) -> None:
    """A migrated SQLite database with the demo coverage, and the postcode index, in ``var_dir``."""
    source = PostcodeIndex.open(ROOT / "var")  # builds the repository's index first if need be
    shutil.copyfile(source.path, var_dir / INDEX_FILENAME)
    source.close()
    for command in (["migrate", "--no-input"], ["load_demo_coverage"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "--verbosity", "0"],
            cwd=ROOT,
            env=environment,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def request_bytes(path: str, port: int) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()


def fetch(port: int, raw_request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(raw_request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def wait_until_serving(port: int, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            if fetch(port, request_bytes(BARE_PATH, port)).startswith(b"HTTP/1.1 200"):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start in time")


def python_round(port: int, paths: Sequence[str], concurrency: int, seconds: float, limit: int) -> Round:
    """Closed-loop load from ``concurrency`` threads, stopping after ``seconds`` or ``limit`` requests."""
    requests = [request_bytes(path, port) for path in paths]
    counts = [0] * concurrency
    failures = [0] * concurrency
    budget = iter(range(limit))
    budget_lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def work(worker: int) -> None:
        position = worker
        while time.perf_counter() < deadline:
            with budget_lock:
                if next(budget, None) is None:
                    return
            try:
                ok = fetch(port, requests[position % len(requests)]).startswith(b"HTTP/1.1 200")
            except OSError:
                ok = False
            counts[worker] += 1
            failures[worker] += not ok
            position += concurrency

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Round(sum(counts), sum(failures), time.perf_counter() - started)


_WRK_SCRIPT = """
local paths = {%s}
local position = 0
request = function()
  position = position %% #paths + 1
  return wrk.format("GET", paths[position], {["Connection"] = "close"})
end
"""


def wrk_round(
    wrk: str, port: int, paths: Sequence[str], concurrency: int, seconds: float, scratch: Path
) -> Round:
    script = scratch / "paths.lua"
    script.write_text(_WRK_SCRIPT % ", ".join(f'"{path}"' for path in paths))
    completed = subprocess.run(
        [
            wrk,
            "-t1",
            f"-c{concurrency}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    )
    output = completed.stdout
    total = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output)
    if total is None:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    elapsed = float(total.group(2)) / (1000 if total.group(3) == "ms" else 1)
    failures = 0
    for pattern in (
        r"Non-2xx or 3xx responses: (\d+)",
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
    ):
        found = re.search(pattern, output)
        if found:
            failures += sum(int(number) for number in found.groups())
    return Round(int(total.group(1)), failures, elapsed)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Coverage API requests per second against a bare view.")
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each round")
    parser.add_argument("--rounds", type=int, default=5, help="pairs of rounds, one for each side")
    parser.add_argument("--max-requests", type=int, default=50_000, help="cap on requests in a round")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--postcodes", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--client", choices=["auto", "python", "wrk"], default="auto")
    arguments = parser.parse_args(argv)

    wrk = shutil.which("wrk") if arguments.client in ("auto", "wrk") else None
    if arguments.client == "wrk" and wrk is None:
        parser.error("wrk is not installed")
    client = "wrk" if wrk else "python"

    with tempfile.TemporaryDirectory(prefix="coverage-bench-") as scratch_name:
        scratch = Path(scratch_name)
        var_dir = scratch / "var"
        var_dir.mkdir()
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "PUBLIC_API_RATE_LIMIT"}
        }
        environment.update(
            DJANGO_SETTINGS_MODULE=SETTINGS,
            VAR_DIR=str(var_dir),
            DEBUG="false",
            PUBLIC_API_RATE_LIMIT="0",
            PYTHONPATH=str(ROOT),
            LOG_LEVEL="WARNING",
        )
        prepare(var_dir, environment)
        coverage_paths = [
            COVERAGE_PATH + quote_plus(postcode)
            for postcode in sample_postcodes(var_dir, arguments.postcodes, arguments.seed)
        ]
        port = free_port()
        server = subprocess.Popen(
            [
                str(GUNICORN),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--backlog",
                "2048",
                "--chdir",
                str(ROOT),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=open(scratch / "gunicorn.log", "wb"),  # noqa: SIM115 - closed with the process
        )
        try:
            wait_until_serving(port, server)
            answer = fetch(port, request_bytes(COVERAGE_PATH + "SW1A+1AA", port))
            assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
            assert b'"local_authority": {"code": "E09000033", "name": "Westminster"}' in answer, answer

            def run(paths: Sequence[str], seconds: float) -> Round:
                if wrk:
                    return wrk_round(wrk, port, paths, arguments.concurrency, seconds, scratch)
                return python_round(port, paths, arguments.concurrency, seconds, arguments.max_requests)

            # Warm both workers: the first request in each opens the index and reads coverage.
            run([BARE_PATH], 1.0)
            run(coverage_paths, 1.0)
            bare: list[Round] = []
            ours: list[Round] = []
            for pair in range(arguments.rounds):
                # Each pair runs back to back, in turns first, so drifting load from elsewhere hits both.
                if pair % 2:
                    ours.append(run(coverage_paths, arguments.seconds))
                    bare.append(run([BARE_PATH], arguments.seconds))
                else:
                    bare.append(run([BARE_PATH], arguments.seconds))
                    ours.append(run(coverage_paths, arguments.seconds))
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    bare_rate = statistics.median(round_.rate for round_ in bare)
    our_rate = statistics.median(round_.rate for round_ in ours)
    ratios = sorted(our.rate / base.rate for our, base in zip(ours, bare, strict=True))
    failures = sum(round_.failures for round_ in bare + ours)
    print(
        f"coverage API: {our_rate:,.0f} requests/s (target >= {TARGET_RATIO:.0%} of the bare view); "
        f"bare Django view {bare_rate:,.0f} requests/s; ratio {statistics.median(ratios):.0%}"
    )
    print(
        f"(gunicorn, 2 sync workers, 127.0.0.1; client {client}, {arguments.concurrency} connections; "
        f"medians of {arguments.rounds} back-to-back pairs of {arguments.seconds:g} s rounds, the ratio "
        f"the median of the pairs' ratios, which ranged {ratios[0]:.0%} to {ratios[-1]:.0%}; "
        f"{sum(r.requests for r in ours):,} coverage and {sum(r.requests for r in bare):,} bare requests; "
        f"{failures} failed)"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
