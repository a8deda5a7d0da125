"""Casework pages at national scale: "My work" and the case list over 150,000 cases.

Run from the repository root: ``python benchmarks/casework.py [--scale national] [--samples N] [--fresh]
[--growth]``; for PostgreSQL, ``scripts/with_postgres.sh .venv/bin/python benchmarks/casework.py``
(``make bench`` runs both).

It builds a throw-away database under var/benchmarks/casework/ (SQLite, WAL, as on one machine; or a
database of its own in the PostgreSQL cluster that DATABASE_URL points at) with
``manage.py generate_demo_data``, and keeps it for the next run on the same day (``--fresh`` builds it
again). A marker beside it says how many cases were built, on which day, in which database. A
PostgreSQL cluster from ``scripts/with_postgres.sh`` is new each time, so the built database is also
kept as a ``pg_dump`` file, restored into the next cluster the same day instead of generated again.
Each synthetic case follows the path a real one would, which gives six to seven deadlines a case on
average (a case that reaches an agreement has eight to twelve, advice alone three); ``--cases 235000``
builds the 1.5 million deadline rows that 150,000 cases of ten each would make. Each page is requested
through Django's test client with the whole middleware stack, signed in as a real user of each kind,
after a few warm-up requests. Figures: p50 and p95 server time and the number of database queries.

Baseline, measured in the same run on the same data: the same view and template with the obvious
queries (foreign keys loaded lazily, one query per row for its next deadline, "My work" built by
walking the user's cases in Python). The ratio is baseline p95 over ours. Targets: My work at most
100 ms p95 and the case list at most 50 ms p95 for every role, and query counts that grow neither
with the page size nor with the number of cases. ``--growth`` measures again at twice the number of
cases and prints, for each page, p95 there over p95 here.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORKDIR = ROOT / "var" / "benchmarks" / "casework"
MY_WORK_TARGET_MS = 100.0
CASE_LIST_TARGET_MS = 50.0
NAIVE_TIME_BOX_SECONDS = 30.0
POSTGRES_DUMP = "postgres dump"
SCALES = {"small": 2_000, "regional": 20_000, "national": 150_000}  # as generate_demo_data's


def target_ms(label: str) -> float:
    return MY_WORK_TARGET_MS if label.startswith("my work") else CASE_LIST_TARGET_MS


def configure(workdir: Path) -> list[tuple[str, str]]:
    """Set Django up on DATABASE_URL and migrate it; returns the migrations it applied."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["VAR_DIR"] = str(workdir)
    (workdir / "static").mkdir(parents=True, exist_ok=True)  # whitenoise looks for it
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'casework.sqlite3'}")
    os.environ["LOG_LEVEL"] = "WARNING"
    # The pages are measured for a signed-in session; the second factor's own step is not the figure.
    os.environ["STAFF_SECOND_FACTOR"] = "false"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = [(m.app_label, m.name) for m, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]
    call_command("migrate", verbosity=0, interactive=False)  # a database kept from an older build
    from django.test.utils import override_settings

    override_settings(
        ALLOWED_HOSTS=["testserver"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()
    return pending


def database_key(url: str | None) -> str:
    """Which database the kept data is in, without its password: the same marker never stands for
    SQLite's file and for a PostgreSQL cluster."""
    if not url:
        return "sqlite (var/benchmarks/casework)"
    scheme, _, rest = url.partition("://")
    where = rest.rpartition("@")[2]
    return f"{scheme}://{where}"


def stamp_text(count: int, database: str, day: datetime.date) -> str:
    return f"{count} {day.isoformat()} {database}"


def stale(count: int, stamp: Path, *, fresh: bool, database: str) -> bool:
    """Build again unless the marker says this many cases were built today in this same database."""
    wanted = stamp_text(count, database, datetime.date.today())
    return fresh or not stamp.exists() or stamp.read_text() != wanted


def stamp_for(workdir: Path, database: str) -> Path:
    """One marker for each database, so that building one never makes another look stale."""
    return workdir / f"built-{re.sub(r'[^a-z0-9]+', '-', database.lower()).strip('-')}.txt"


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def database_url(base: str | None, count: int, workdir: Path) -> str:
    """A database for this number of cases: its own SQLite file, or its own database in the cluster."""
    if base is None or not is_postgres(base):
        return f"sqlite:///{workdir / f'casework-{count}.sqlite3'}"
    head, _, _ = base.rpartition("/")
    return f"{head}/casework_{count}"


# --- PostgreSQL: a database of its own, and a dump kept between throw-away clusters ---------------


def _pg_bin(program: str) -> str:
    """The client program of the same major version as the server that scripts/with_postgres.sh ran."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{program}"), key=lambda p: int(p.parts[-3]))
    if os.environ.get("PG_BIN"):
        return str(Path(os.environ["PG_BIN"]) / program)
    if found:
        return str(found[-1])
    return shutil.which(program) or program


def _libpq(url: str) -> str:
    import dj_database_url

    config = dj_database_url.parse(url)
    parts = {
        "host": config.get("HOST"),
        "port": config.get("PORT"),
        "user": config.get("USER"),
        "password": config.get("PASSWORD"),
        "dbname": config.get("NAME"),
    }
    return " ".join(f"{key}='{value}'" for key, value in parts.items() if value)


def _pg_execute(base: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(_libpq(base), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _pg_database_exists(base: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(_libpq(base), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def dump_paths(workdir: Path, count: int) -> tuple[Path, Path]:
    return workdir / f"casework-{count}.pgdump", workdir / f"casework-{count}.pgdump.txt"


def prepare_postgres(base: str, url: str, count: int, workdir: Path, *, fresh: bool) -> str:
    """Make sure the database exists; restore today's dump into it when it does not hold the data.
    Returns what was done, for the log."""
    name = url.rpartition("/")[2]
    database = database_key(url)
    if not _pg_database_exists(base, name):
        _pg_execute(base, f'CREATE DATABASE "{name}"')
    if not stale(count, stamp_for(workdir, database), fresh=fresh, database=database):
        return "kept"
    dump, dump_stamp = dump_paths(workdir, count)
    if fresh or stale(count, dump_stamp, fresh=False, database=POSTGRES_DUMP) or not dump.exists():
        return "to build"
    started = time.perf_counter()
    _pg_execute(base, f'DROP DATABASE "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    subprocess.run(
        [_pg_bin("pg_restore"), "--no-owner", "--jobs=2", f"--dbname={_libpq(url)}", str(dump)], check=True
    )
    _pg_execute(url, "VACUUM ANALYZE")
    stamp_for(workdir, database).write_text(stamp_text(count, database, datetime.date.today()))
    return f"restored from today's dump in {time.perf_counter() - started:.0f} s"


def keep_dump(url: str, count: int, workdir: Path) -> None:
    dump, dump_stamp = dump_paths(workdir, count)
    started = time.perf_counter()
    subprocess.run(
        [_pg_bin("pg_dump"), "--format=custom", "--compress=1", f"--file={dump}", f"--dbname={_libpq(url)}"],
        check=True,
    )
    dump_stamp.write_text(stamp_text(count, POSTGRES_DUMP, datetime.date.today()))
    print(f"kept a dump for the next cluster today in {time.perf_counter() - started:.0f} s")


# --- building ------------------------------------------------------------------------------------


def build(count: int, stamp: Path, database: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    _flush_cases()
    started = time.perf_counter()
    call_command("generate_demo_data", "--cases", str(count), verbosity=0)
    if connection.vendor == "postgresql":
        # As autovacuum leaves a table that has settled: statistics and the visibility map.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"built {count:,} cases in {time.perf_counter() - started:.0f} s (kept for the next run today)")
    stamp.write_text(stamp_text(count, database, datetime.date.today()))


def _flush_cases() -> None:
    from django.db import connection

    tables = [
        "meetings_meeting",  # the reports benchmark adds meetings held, and requests (last below)
        "cases_accesslog",
        "cases_caseevent",
        "cases_deadline",
        "cases_party",
        "cases_searchword",
        "cases_note",
        "cases_advicecall",
        "cases_document",
        "cases_certificate",
        "cases_case",
        "intake_helprequest",
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names


def people() -> dict[str, Any]:
    from django.db.models import Count

    from sendmediation.accounts.models import User
    from sendmediation.cases.models import Case
    from sendmediation.localities.models import LocalAuthority

    kent = LocalAuthority.objects.get(code="E10000016")
    manager, _ = User.objects.get_or_create(username="bench-manager", defaults={"role": User.Role.MANAGER})
    officer, _ = User.objects.get_or_create(
        username="bench-kent-officer", defaults={"role": User.Role.LA_OFFICER, "local_authority": kent}
    )

    def busiest(slot: str) -> User:
        row = (
            Case.objects.open()
            .values(slot)
            .annotate(n=Count("id"))
            .exclude(**{f"{slot}__isnull": True})
            .order_by("-n")
            .first()
        )
        assert row is not None
        return User.objects.get(pk=row[slot])

    return {
        "adviser": busiest("adviser"),
        "coordinator": busiest("coordinator"),
        "manager": manager,
        "Kent officer": officer,
    }


# --- the obvious way, for the baseline -----------------------------------------------------------


class TimeBox(Exception):
    pass


def naive_my_work(user: Any, *, today: datetime.date, limit: int = 50) -> list[Any]:
    from sendmediation.cases.deadlines import FAMILY_RULES, LA_RULES
    from sendmediation.cases.models import Case
    from sendmediation.cases.queries import Bucket, end_of_week

    started = time.perf_counter()
    cases = Case.objects.visible_to(user).open()
    if user.role == "la_officer":
        wanted = LA_RULES
    else:
        wanted = None
        if user.role != "manager":
            cases = cases.assigned_to(user)
    rows = []
    for case in cases:
        if time.perf_counter() - started > NAIVE_TIME_BOX_SECONDS:
            raise TimeBox()
        for row in case.deadlines.all():
            if row.met_on or row.stopped_on or row.rule in FAMILY_RULES:
                continue
            if wanted is not None and row.rule not in wanted:
                continue
            rows.append(row)
    rows.sort(key=lambda row: (row.due, row.id))
    week_end = end_of_week(today)
    parts = (
        ("overdue", "Overdue", [r for r in rows if r.effective_due < today]),
        ("today", "Due today", [r for r in rows if r.effective_due == today]),
        ("week", "Due later this week", [r for r in rows if today < r.effective_due <= week_end]),
    )
    return [Bucket(key, title, found[:limit], len(found)) for key, title, found in parts]


def naive_case_list(user: Any, *, today: datetime.date, **filters: str) -> Any:
    from sendmediation.cases.models import Case

    return Case.objects.visible_to(user).order_by("-received_on", "-id")


@contextmanager
def naive() -> Iterator[None]:
    """Swap the view's reads for the obvious ones, and give cases a lazy next deadline."""
    from django.core.paginator import Paginator

    from sendmediation.cases import views
    from sendmediation.cases.deadlines import FAMILY_RULES
    from sendmediation.cases.models import Case, Deadline

    def next_due(case: Case) -> Any:
        row = (
            Deadline.objects.running()
            .filter(case=case)
            .exclude(rule__in=FAMILY_RULES)
            .order_by("due")
            .first()
        )
        return row.due if row else None

    def naive_page(
        cases: Any, *, number: Any, per_page: int, count: int | None = None, ids: Any = None
    ) -> Any:
        # The obvious way counts the rows and pages through the cases, whatever the database keeps.
        return Paginator(cases, per_page).get_page(number)

    saved = views.query_my_work, views.query_case_list, views.CasePage
    views.query_my_work, views.query_case_list = naive_my_work, naive_case_list
    views.CasePage = naive_page  # type: ignore[misc,assignment]
    Case.next_due = property(next_due)  # type: ignore[attr-defined]
    # The time box ends a request with an exception: it is the expected way out, not an error to log.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        views.query_my_work, views.query_case_list, views.CasePage = saved  # type: ignore[misc]
        del Case.next_due  # type: ignore[attr-defined]
        request_log.setLevel(level)


# --- measuring -----------------------------------------------------------------------------------


def measure(get: Callable[[], Any], samples: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        get()
    times = []
    queries = 0
    for _ in range(samples):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = get()
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        # The log keeps the last 9,000 queries only; a page that ran more shows as -1.
        overflowed = len(connection.queries_log) == connection.queries_log.maxlen
        queries = -1 if overflowed else len(captured)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, queries


def getter(client: Any, url: str) -> Callable[[], Any]:
    return lambda: client.get(url)


def pages(users: dict[str, Any]) -> list[tuple[str, str, str]]:
    from django.urls import reverse

    listing = reverse("cases:case_list")
    return [(f"my work, {label}", label, reverse("cases:my_work")) for label in users] + [
        ("case list, manager", "manager", listing),
        ("case list, page 2,000, manager", "manager", listing + "?page=2000"),
        ("case list, overdue, manager", "manager", listing + "?deadline=overdue"),
        ("case list, status, manager", "manager", listing + "?status=la_notified"),
        ("case list, search a name, manager", "manager", listing + "?q=Okafor"),
        ("case list, coordinator", "coordinator", listing),
        ("case list, adviser", "adviser", listing),
        ("case list, Kent officer", "Kent officer", listing),
    ]


def run_one(args: argparse.Namespace) -> int:
    """Build or reuse the data for one number of cases in DATABASE_URL, and measure every page."""
    from_url = os.environ["DATABASE_URL"]
    database = database_key(from_url)
    stamp = stamp_for(WORKDIR, database)
    count = args.cases
    rebuild = stale(count, stamp, fresh=args.fresh, database=database)
    sqlite_file = None if is_postgres(from_url) else Path(from_url.removeprefix("sqlite:///"))
    if rebuild and sqlite_file is not None:
        for leftover in sqlite_file.parent.glob(f"{sqlite_file.name}*"):
            leftover.unlink()
    applied = configure(WORKDIR)
    from django.db import connection
    from django.test import Client

    from sendmediation.cases import demo, queries, views
    from sendmediation.cases.models import Case, Deadline

    assert demo.SCALES == SCALES

    if not rebuild and Case.objects.count() != count:
        # The marker is there but the database is not what it describes (emptied, or another one).
        print("the kept data does not match its marker: building it again")
        rebuild = True
    if rebuild:
        build(count, stamp, database)
        if connection.vendor == "postgresql":
            keep_dump(from_url, count, WORKDIR)
    elif applied:
        # Migrations added since the data was built (new indexes, rows rewritten): give the planner
        # their statistics and, on PostgreSQL, the visibility map autovacuum would set again.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(
        f"data: {Case.objects.count():,} cases, {Deadline.objects.count():,} deadlines "
        f"({Deadline.objects.running().count():,} running) on {connection.vendor}"
    )

    users = people()
    clients = {}
    for label, user in users.items():
        client = Client()
        client.force_login(user)
        clients[label] = client

    figures: dict[str, dict[str, float]] = {}
    for label, who, url in pages(users):
        client = clients[who]
        p50, p95, count_queries = measure(getter(client, url), args.samples)
        naive_note = ""
        try:
            with naive():
                if label.startswith(("case list, overdue", "case list, status", "case list, search")):
                    raise TimeBox()  # the obvious list has no filters to compare with
                _, b95, bqueries = measure(getter(client, url), max(3, args.samples // 5))
            shown = f"{bqueries:5d}" if bqueries >= 0 else ">9000"
            naive_note = f"baseline p95 {b95:8.1f} ms, {shown} queries; ratio {b95 / p95:6.1f}x"
        except TimeBox:
            naive_note = "baseline: n/a (filters) or over the time box"
        print(
            f"{label:<36} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms (target {target_ms(label):3.0f})"
            f"  {count_queries:3d} queries | {naive_note}"
        )
        figures[label] = {"p50": p50, "p95": p95, "queries": count_queries}

    sizes: dict[str, list[int]] = {}
    from django.urls import reverse

    for who in ("manager", "adviser", "Kent officer"):
        counts = []
        for size in (25, 100):
            views.PAGE_SIZE = size
            _, _, found = measure(getter(clients[who], reverse("cases:case_list")), 3)
            counts.append(found)
        views.PAGE_SIZE = queries.PAGE_SIZE
        sizes[f"case list, {who}"] = counts
        print(f"case list queries, {who}: page of 25 -> {counts[0]}, page of 100 -> {counts[1]}")
    for who in ("manager", "coordinator"):
        counts = []
        for size in (10, 200):
            views.MY_WORK_ROWS = size
            _, _, found = measure(getter(clients[who], reverse("cases:my_work")), 3)
            counts.append(found)
        views.MY_WORK_ROWS = queries.MY_WORK_ROWS
        sizes[f"my work, {who}"] = counts
        print(f"my work queries, {who}: 10 rows a list -> {counts[0]}, 200 rows a list -> {counts[1]}")

    if args.report:
        Path(args.report).write_text(
            json.dumps({"vendor": connection.vendor, "cases": count, "pages": figures, "sizes": sizes})
        )
    return 0


# --- one run or two, and the verdict -------------------------------------------------------------


def verdict(report: dict[str, Any]) -> list[str]:
    """Each target missed, named."""
    vendor = report["vendor"]
    missed = []
    for label, figure in report["pages"].items():
        if figure["p95"] > target_ms(label):
            over = f"p95 {figure['p95']:.1f} ms over the {target_ms(label):.0f} ms target"
            missed.append(f"MISSED on {vendor}: {label} {over}")
    for label, (small, large) in report["sizes"].items():
        if small != large:
            grows = f"takes {small} queries for a short page, {large} for a long one"
            missed.append(f"FAIL on {vendor}: {label} {grows}")
    return missed


def growth(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    """How the cost grows with the work: each page's p95 and query count at twice the cases."""
    lines = [f"growth on {first['vendor']}, {first['cases']:,} -> {second['cases']:,} cases:"]
    problems = []
    for label, small in first["pages"].items():
        large = second["pages"][label]
        lines.append(
            f"  {label:<36} p95 {small['p95']:6.1f} -> {large['p95']:6.1f} ms, "
            f"x{large['p95'] / small['p95']:4.2f}; queries {small['queries']} -> {large['queries']}"
        )
        if small["queries"] != large["queries"]:
            problems.append(f"FAIL on {first['vendor']}: {label} takes more queries with more cases")
    return lines + problems


def child(count: int, url: str, args: argparse.Namespace, report: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--one", "--cases", str(count), "--samples", str(args.samples)]
    command += ["--report", str(report)] + (["--fresh"] if args.fresh else [])
    subprocess.run(command, env={**os.environ, "DATABASE_URL": url}, check=True)
    result: dict[str, Any] = json.loads(report.read_text())
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", choices=["small", "regional", "national"], default="national")
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument(
        "--cases",
        type=int,
        help="how many cases instead of the scale's number (235,000 gives about 1.5 million deadlines)",
    )
    parser.add_argument("--fresh", action="store_true", help="build the database again")
    parser.add_argument("--growth", action="store_true", help="measure again at twice the number of cases")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--report", help=argparse.SUPPRESS)
    args = parser.parse_args()
    WORKDIR.mkdir(parents=True, exist_ok=True)
    if args.one:
        return run_one(args)

    count = args.cases or SCALES[args.scale]
    base = os.environ.get("DATABASE_URL")
    counts = [count, 2 * count] if args.growth else [count]
    reports = []
    with tempfile.TemporaryDirectory() as scratch:
        for n in counts:
            started = time.perf_counter()
            url = database_url(base, n, WORKDIR)
            vendor = "postgresql" if is_postgres(url) else "sqlite"
            print(f"-- {n:,} cases on {vendor}")
            if base is not None and is_postgres(base):
                print(f"data: {prepare_postgres(base, url, n, WORKDIR, fresh=args.fresh)}")
            reports.append(child(n, url, args, Path(scratch) / f"{n}.json"))
            print(f"-- {n:,} cases on {vendor}: {time.perf_counter() - started:.0f} s with the data")
    problems = verdict(reports[0])
    if len(reports) == 2:
        lines = growth(reports[0], reports[1])
        print("\n".join(line for line in lines if not line.startswith("FAIL")))
        problems += [line for line in lines if line.startswith("FAIL")]
    for line in problems:
        print(line)
    vendor = reports[0]["vendor"]
    if problems:
        print(f"casework on {vendor}: {len(problems)} target(s) missed")
        return 1
    print(
        f"casework on {vendor}: every target met (my work p95 <= {MY_WORK_TARGET_MS:.0f} ms, "
        f"case list p95 <= {CASE_LIST_TARGET_MS:.0f} ms, query counts flat)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
