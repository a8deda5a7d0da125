"""Casework pages at national scale: "My work" and the case list over 150,000 cases.

Run from the repository root: ``python benchmarks/casework.py [--scale national] [--samples N] [--fresh]``.

It builds a throw-away database under var/benchmarks/casework/ (SQLite, WAL, as on one machine; or
the database in DATABASE_URL when that is set) with ``manage.py generate_demo_data``, and keeps it
for the next run on the same day (``--fresh`` builds it again). Each synthetic case follows the path a
real one would, which gives six to seven deadlines a case on average (a case that reaches an
agreement has eight to twelve, advice alone three); ``--cases 235000`` builds the 1.5 million
deadline rows that 150,000 cases of ten each would make, to check the targets at that volume. Each
page is requested through Django's test client with the whole middleware stack, signed in as a
real user of each kind, after a few warm-up requests. Figures: p50 and p95 server time and the
number of database queries.

Baseline, measured in the same run on the same data: the same view and template with the obvious
queries (foreign keys loaded lazily, one query per row for its next deadline, "My work" built by
walking the user's cases in Python). The ratio is baseline p95 over ours. Targets: p95 at most
150 ms, and a query count that does not grow with the page size.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 150.0
NAIVE_TIME_BOX_SECONDS = 30.0


def configure(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["VAR_DIR"] = str(workdir)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'casework.sqlite3'}")
    os.environ["LOG_LEVEL"] = "WARNING"
    # The pages are measured for a signed-in session; the second factor's own step is not the figure.
    os.environ["STAFF_SECOND_FACTOR"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)  # a database kept from an older build
    from django.test.utils import override_settings

    override_settings(
        ALLOWED_HOSTS=["testserver"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()


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


def build(count: int, stamp: Path, database: str) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    _flush_cases()
    started = time.perf_counter()
    call_command("generate_demo_data", "--cases", str(count), verbosity=0)
    print(f"built {count:,} cases in {time.perf_counter() - started:.0f} s (kept for the next run today)")
    stamp.write_text(stamp_text(count, database, datetime.date.today()))


def _flush_cases() -> None:
    from django.db import connection

    tables = [
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

    def naive_page(cases: Any, *, number: Any, per_page: int) -> Any:
        return Paginator(cases, per_page).get_page(number)

    saved = views.query_my_work, views.query_case_list, views.CasePage
    views.query_my_work, views.query_case_list = naive_my_work, naive_case_list
    views.CasePage = naive_page  # type: ignore[misc,assignment]
    Case.next_due = property(next_due)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        views.query_my_work, views.query_case_list, views.CasePage = saved  # type: ignore[misc]
        del Case.next_due  # type: ignore[attr-defined]


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "regional", "national"], default="national")
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument(
        "--cases",
        type=int,
        help="how many cases instead of the scale's number (235,000 gives about 1.5 million deadlines)",
    )
    parser.add_argument("--fresh", action="store_true", help="build the database again")
    args = parser.parse_args()

    workdir = ROOT / "var" / "benchmarks" / "casework"
    workdir.mkdir(parents=True, exist_ok=True)
    stamp = workdir / "built.txt"
    count_wanted = args.cases or {"small": 2_000, "regional": 20_000, "national": 150_000}[args.scale]
    database = database_key(os.environ.get("DATABASE_URL"))
    rebuild = stale(count_wanted, stamp, fresh=args.fresh, database=database)
    if rebuild and "DATABASE_URL" not in os.environ:
        for leftover in workdir.glob("casework.sqlite3*"):
            leftover.unlink()
    configure(workdir)
    from django.test import Client
    from django.urls import reverse

    from sendmediation.cases import views
    from sendmediation.cases.demo import SCALES
    from sendmediation.cases.models import Case, Deadline

    count = args.cases or SCALES[args.scale]
    assert count == count_wanted
    if not rebuild and Case.objects.count() != count:
        # The marker is there but the database is not what it describes (emptied, or another one).
        print("the kept data does not match its marker: building it again")
        rebuild = True
    if rebuild:
        build(count, stamp, database)
    print(
        f"data: {Case.objects.count():,} cases, {Deadline.objects.count():,} deadlines "
        f"({Deadline.objects.running().count():,} running)"
    )

    users = people()
    clients = {}
    for label, user in users.items():
        client = Client()
        client.force_login(user)
        clients[label] = client

    pages: list[tuple[str, str, str]] = [
        (f"my work, {label}", label, reverse("cases:my_work")) for label in users
    ] + [
        ("case list, manager", "manager", reverse("cases:case_list")),
        ("case list, page 2,000, manager", "manager", reverse("cases:case_list") + "?page=2000"),
        ("case list, overdue, manager", "manager", reverse("cases:case_list") + "?deadline=overdue"),
        ("case list, status, manager", "manager", reverse("cases:case_list") + "?status=la_notified"),
        ("case list, search a name, manager", "manager", reverse("cases:case_list") + "?q=Okafor"),
        ("case list, adviser", "adviser", reverse("cases:case_list")),
        ("case list, Kent officer", "Kent officer", reverse("cases:case_list")),
    ]
    worst = 0.0
    for label, who, url in pages:
        client = clients[who]
        p50, p95, queries = measure(getter(client, url), args.samples)
        worst = max(worst, p95)
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
        print(f"{label:<36} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {queries:3d} queries | {naive_note}")

    for who in ("manager", "adviser"):
        counts = []
        for size in (25, 100):
            views.PAGE_SIZE = size
            _, _, queries = measure(getter(clients[who], reverse("cases:case_list")), 3)
            counts.append(queries)
        views.PAGE_SIZE = 25
        print(f"case list queries, {who}: page of 25 -> {counts[0]}, page of 100 -> {counts[1]}")
        if counts[0] != counts[1]:
            print("FAIL: the query count grows with the page size")
            return 1
    verdict = "met" if worst <= TARGET_MS else "MISSED"
    print(f"worst p95 {worst:.1f} ms against a target of {TARGET_MS:.0f} ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
