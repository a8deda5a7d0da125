"""Families sending requests and staff reading casework at the same time, under gunicorn.

Run from the repository root: ``python benchmarks/load.py [--seconds S] [--families F] [--staff N]
[--cases C] [--think T] [--quick]``; for PostgreSQL, ``scripts/with_postgres.sh .venv/bin/python
benchmarks/load.py`` (``make bench`` runs both). ``--quick`` is a smoke run: 3 families, 2 staff,
10 seconds, 300 cases, 0.2 s between pages.

A fresh installation each run, in a temporary VAR_DIR: a SQLite file there, or a new database of its
own in the PostgreSQL cluster that DATABASE_URL points at. Every migration is run, then the demo
coverage and staff (``load_demo_coverage``, ``load_demo_data``), ``--cases`` synthetic cases
(``generate_demo_data``) and the postcode index. gunicorn serves it on a free port on 127.0.0.1 with
4 gthread workers of 2 threads each, DEBUG off, with ``benchmarks._load_settings``: the product
settings, the bare view of the public pages benchmark (a constant response through the same
middleware), and the benchmark client standing as one trusted proxy (TRUSTED_PROXY_COUNT = 1).

For ``--seconds`` (default 120), at the same time, each client on its own keep-alive connection and
pausing ``--think`` seconds on average (0.5 to 1.5 times it; default 1, far quicker than people fill
in forms) between pages:

- ``--families`` family clients (default 100) go through the whole request journey, again and again
  while time lasts, a new family each time: the start page, then every question (GET the page, POST
  the answer with the form's CSRF token, follow the redirect), the information pages, check answers,
  send, and the sent page. Four kinds of journey take turns (a parent asking for mediation, half of
  them uploading a decision letter; a young person asking for advice; a professional asking for
  disagreement resolution; a parent not sure). Every fifth send is a double click: the same form
  posted twice at once, on two connections, which must make one request. A journey not sent when
  time is up is left there, as families leave them (a request sent is always followed to its sent
  page). Each family comes from its own address (X-Forwarded-For), so the limit of 10 sends an hour
  from one address stays on and is never reached; no rate limit is lifted.
- ``--staff`` staff clients (default 20: coordinators, advisers, mediators, managers and local
  authority officers) loop through My work, the case list (the first page, filtered by status, by
  deadline and by age, a search, the second page) and two case pages picked from the list. Staff
  must give a second factor: the benchmark gives each of its staff users a confirmed authenticator
  (TOTP) device and makes their signed-in sessions in the database, marked as verified with that
  device, as django-otp does after a right code; the sign-in pages themselves are not measured.
- one client asks for the bare view every half second or so: the baseline, under the same load.

Checks, each making the exit code non-zero when missed: no error (any answer other than the
expected status and redirect, including every 5xx and 4xx, or a connection failing), at least one
staff round, and every request sent is in the database exactly once
(matched by the family's unique email address, under the reference its sent page showed), with no
other request carrying the run's marker. How many families sent at least one request is printed, not
checked: on a slow or shared machine a family may not reach the end of its journey in the time.
Printed: for each page, the number of answers, p50 and p95 in milliseconds and their ratios to the
bare view's; answers a second over the run. When the bare view itself is slow, the server was
saturated and every page waited in the same queue. There are no time targets.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import io
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pikepdf

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the settings module named below is benchmarks._load_settings

SETTINGS = "benchmarks._load_settings"
BASELINE_PATH = "/__baseline__/"  # the bare view in benchmarks/_public_pages_urls.py
WORKERS = 4
THREADS = 2
START_TIMEOUT_SECONDS = 90.0
REQUEST_TIMEOUT_SECONDS = 60.0
# A journey under way when time is up is finished, within this many seconds more.
FINISH_GRACE_SECONDS = 120.0
DOUBLE_CLICK_EVERY = 5
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
SENT_REFERENCE = re.compile(rb"Your reference number<br><strong>([^<]+)</strong>")
CASE_LINK = re.compile(rb'href="/staff/cases/([A-Z0-9][A-Z0-9-]*)/"')


def _one_page_pdf() -> bytes:
    """A real one-page PDF, which the upload check opens and takes (a bare header it refuses)."""
    document = pikepdf.new()
    document.add_blank_page()
    out = io.BytesIO()
    document.save(out, deterministic_id=True)
    return out.getvalue()


PDF = _one_page_pdf()
BARE = "bare Django view"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def status_of(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        return connection.getresponse().status
    finally:
        connection.close()


# --- the HTTP client -------------------------------------------------------------------------------


class Failure(Exception):
    """An answer the benchmark did not expect: counted as an error."""


class TimeUp(Exception):
    """Time ran out before the family sent the request: the journey is left, as people leave one."""


@dataclass
class Recorder:
    """Response times per page label, and the errors, from every client thread."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, label: str, seconds: float) -> None:
        with self.lock:
            self.times[label].append(seconds * 1000)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


@dataclass
class Answer:
    status: int
    location: str
    body: bytes


class Browser:
    """One visitor: a keep-alive connection, cookies, and an address (as a proxy would pass it on)."""

    def __init__(self, port: int, recorder: Recorder, *, address: str = "") -> None:
        self.port = port
        self.recorder = recorder
        self.address = address
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)

    def close(self) -> None:
        self.connection.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        label: str,
        body: bytes | None = None,
        content_type: str = "",
        expect: int = 200,
        connection: http.client.HTTPConnection | None = None,
    ) -> Answer:
        headers = {"Host": "127.0.0.1"}
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        used = connection or self.connection
        started = time.perf_counter()
        try:
            used.request(method, path, body=body, headers=headers)
            response = used.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            used.close()  # opened again on the next request
            raise Failure(f"{method} {label}: {error!r}") from error
        self.recorder.add(label, time.perf_counter() - started)
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        answer = Answer(response.status, response.headers.get("Location", ""), content)
        if answer.status != expect:
            raise Failure(f"{method} {label} answered {answer.status}, not {expect}")
        return answer

    def get(self, path: str, *, label: str) -> Answer:
        return self.request("GET", path, label=label)

    def post(
        self,
        path: str,
        fields: dict[str, Any],
        *,
        label: str,
        token: str,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        connection: http.client.HTTPConnection | None = None,
    ) -> Answer:
        fields = {**fields, "csrfmiddlewaretoken": token}
        if files:
            body, content_type = multipart(fields, files)
        else:
            body = urlencode(fields, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request(
            "POST", path, label=label, body=body, content_type=content_type, expect=302, connection=connection
        )


def multipart(fields: dict[str, Any], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'.encode()
            )
    for name, (filename, content, kind) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {kind}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def csrf_token(answer: Answer, label: str) -> str:
    found = CSRF_FIELD.search(answer.body)
    if found is None:
        raise Failure(f"{label}: no CSRF token in the form")
    return found.group(1).decode()


def path_of(location: str) -> str:
    return urlsplit(location).path


# --- the families ------------------------------------------------------------------------------------


def date_fields(prefix: str, value: datetime.date) -> dict[str, str]:
    return {f"{prefix}_0": str(value.day), f"{prefix}_1": str(value.month), f"{prefix}_2": str(value.year)}


def years_ago(today: datetime.date, years: int) -> datetime.date:
    return today.replace(year=today.year - years, day=min(today.day, 28))


Step = tuple[str, dict[str, Any] | None]  # a page's slug, and its answer (None: an information page)


def journey(kind: int, email: str, today: datetime.date) -> list[Step]:
    """One family's pages in order, as the journey shows them for these answers."""
    child = {"name": "Sam Green", **date_fields("date_of_birth", years_ago(today, 9))}
    contact = {"name": "Alex Green", "methods": ["phone", "email"], "phone": "07700 900123", "email": email}
    if kind == 0:  # a parent asking for mediation, with a decision letter
        return [
            ("who", {"who_asking": "parent"}),
            ("help", {"help_wanted": "mediation"}),
            ("decisions", {"decisions": ["needs", "placement"]}),
            ("letter-date", date_fields("date", today - datetime.timedelta(days=10))),
            ("time-limit", None),
            ("letter", {}),
            ("child", child),
            ("postcode", {"postcode": "SW1A 1AA"}),
            ("area", None),
            ("contact", contact),
            ("access", {"needs": ["interpreter"], "language": "Urdu"}),
        ]
    if kind == 1:  # a young person asking for advice
        return [
            ("who", {"who_asking": "young_person"}),
            ("help", {"help_wanted": "advice"}),
            ("decisions", {"decisions": ["cease"]}),
            ("letter-date", {"unknown": "on"}),
            ("child", {**child, **date_fields("date_of_birth", years_ago(today, 19))}),
            ("postcode", {"postcode": "CT1 2EH"}),
            ("area", None),
            ("contact", {"methods": ["email"], "email": email}),
            ("access", {"needs": ["bsl"]}),
        ]
    if kind == 2:  # a professional asking for disagreement resolution
        return [
            ("who", {"who_asking": "professional"}),
            (
                "your-details",
                {"name": "Priya Shah", "organisation": "Hill Top School", "email": "senco@hilltop.example"},
            ),
            ("family-agreed", {"agreed": "on"}),
            ("help", {"help_wanted": "disagreement_resolution"}),
            ("disagreement", {"parties": ["school", "health"]}),
            ("child", child),
            ("postcode", {"postcode": "CF10 1EP"}),
            ("area", None),
            ("contact", contact),
            ("access", {"needs": ["other"], "other": "Meetings after 3pm"}),
        ]
    return [  # a parent not sure what they need
        ("who", {"who_asking": "parent"}),
        ("help", {"help_wanted": "not_sure"}),
        ("decisions", {"decisions": ["not_sure"]}),
        ("letter-date", {"unknown": "on"}),
        ("child", child),
        ("postcode", {"postcode": "ZZ9 9ZZ"}),
        ("area", None),
        ("contact", contact),
        ("access", {"needs": ["none"]}),
    ]


def page_label(slug: str, method: str = "GET") -> str:
    return f"request: {slug}" + (" (send)" if method == "POST" else "")


@dataclass
class Family:
    """One family client and the requests it sent: each family's email address and the reference
    number its sent page showed."""

    slot: int
    sent: list[tuple[str, str]] = field(default_factory=list)
    left: int = 0  # journeys under way when time was up


def run_journey(
    port: int,
    recorder: Recorder,
    *,
    email: str,
    address: str,
    kind: int,
    upload: bool,
    double_click: bool,
    today: datetime.date,
    pause: Callable[[], None],
    stop: float = float("inf"),
) -> str:
    """One family through the whole journey; returns the reference the sent page shows. Raises
    Failure at the first unexpected answer, and TimeUp when ``stop`` comes before the request is
    sent (never after: a request sent is always followed to its sent page)."""
    browser = Browser(port, recorder, address=address)

    def pause_unless_time_up() -> None:
        pause()
        if time.monotonic() >= stop:
            raise TimeUp()

    second: http.client.HTTPConnection | None = None
    try:
        browser.get("/request/", label="request: start page")
        pause_unless_time_up()
        steps = journey(kind, email, today)
        for index, (slug, answer) in enumerate(steps):
            path = f"/request/{slug}/"
            page = browser.get(path, label=page_label(slug))
            pause_unless_time_up()
            if answer is None:
                continue
            following = steps[index + 1][0] if index + 1 < len(steps) else "check"
            if slug == "letter" and upload:
                done = browser.post(
                    path,
                    {},
                    label=page_label(slug, "POST"),
                    token=csrf_token(page, slug),
                    files={"letter": ("decision-letter.pdf", PDF, "application/pdf")},
                )
                if path_of(done.location) != path:
                    raise Failure(f"upload went to {path_of(done.location)}, not back to {path}")
                page = browser.get(path, label=page_label(slug))
                pause_unless_time_up()
            done = browser.post(path, answer, label=page_label(slug, "POST"), token=csrf_token(page, slug))
            if path_of(done.location) != f"/request/{following}/":
                raise Failure(f"after {slug}: went to {path_of(done.location)}, not {following}")
        check = browser.get("/request/check/", label=page_label("check"))
        token = csrf_token(check, "check")
        pause_unless_time_up()
        if double_click:
            # The same form sent twice at once, as a double click does: two connections, one session.
            second = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
            outcomes: list[Answer | Failure] = []

            def send(connection: http.client.HTTPConnection | None) -> None:
                try:
                    outcomes.append(
                        browser.post(
                            "/request/check/",
                            {},
                            label=page_label("check", "POST"),
                            token=token,
                            connection=connection,
                        )
                    )
                except Failure as failure:
                    outcomes.append(failure)

            other = threading.Thread(target=send, args=(second,))
            other.start()
            send(None)
            other.join()
            for outcome in outcomes:
                if isinstance(outcome, Failure):
                    raise outcome
            sent_paths = {path_of(outcome.location) for outcome in outcomes if isinstance(outcome, Answer)}
        else:
            done = browser.post("/request/check/", {}, label=page_label("check", "POST"), token=token)
            sent_paths = {path_of(done.location)}
        if sent_paths != {"/request/sent/"}:
            raise Failure(f"sending went to {sorted(sent_paths)}, not /request/sent/")
        sent = browser.get("/request/sent/", label=page_label("sent"))
        found = SENT_REFERENCE.search(sent.body)
        if found is None:
            raise Failure("the sent page shows no reference number")
        return found.group(1).decode()
    finally:
        browser.close()
        if second is not None:
            second.close()


# --- the staff ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffMember:
    label: str  # the role, for the output
    session_key: str
    list_queries: tuple[str, ...]


def staff_loop(
    port: int,
    recorder: Recorder,
    member: StaffMember,
    *,
    stop: float,
    pause: Callable[[], None],
    rng: random.Random,
) -> int:
    """My work, the case list in several ways and two case pages, round after round until ``stop``
    (at least one, and a round begun is finished)."""
    browser = Browser(port, recorder)
    browser.cookies["sessionid"] = member.session_key
    rounds = 0
    try:
        while True:  # at least one round
            browser.get("/staff/cases/my-work/", label="staff: My work")
            pause()
            listing = browser.get("/staff/cases/", label="staff: case list")
            pause()
            found = [ref.decode() for ref in CASE_LINK.findall(listing.body) if ref not in (b"new",)]
            for query in member.list_queries:
                kind = query.partition("=")[0].lstrip("?")
                more = browser.get(f"/staff/cases/{query}", label=f"staff: case list, {kind}")
                found += [ref.decode() for ref in CASE_LINK.findall(more.body)]
                pause()
            for reference in rng.sample(found, min(2, len(found))):
                browser.get(f"/staff/cases/{reference}/", label="staff: case page")
                pause()
            rounds += 1
            if time.monotonic() >= stop:
                break
    finally:
        browser.close()
    return rounds


# --- setting up ----------------------------------------------------------------------------------------


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def fresh_database(base: str | None, var_dir: Path) -> tuple[str, Callable[[], None]]:
    """A new, empty database: a SQLite file in ``var_dir``, or a new database in the cluster."""
    if not base or not base.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{var_dir / 'load.sqlite3'}", lambda: None
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(base)
    parts = {"host": config.get("HOST"), "port": config.get("PORT"), "user": config.get("USER")}
    parts |= {"password": config.get("PASSWORD"), "dbname": config.get("NAME")}
    server = " ".join(f"{key}='{value}'" for key, value in parts.items() if value)

    def execute(statement: str) -> None:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(statement)

    name = f"load_{uuid.uuid4().hex[:8]}"
    execute(f'CREATE DATABASE "{name}"')
    head = base.rpartition("/")[0]

    def drop() -> None:
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{head}/{name}", drop


def staff_members(count: int, run: str) -> list[StaffMember]:
    """``count`` staff of every role, each with a confirmed authenticator and a verified session."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sendmediation.accounts.models import User
    from sendmediation.cases.models import Case
    from sendmediation.cases.queries import AGE_BANDS, DEADLINE_FILTERS, OPEN_CASES

    def busiest(slot: str) -> list[User]:
        rows = (
            Case.objects.open()
            .exclude(**{f"{slot}__isnull": True})
            .values(slot)
            .annotate(n=Count("id"))
            .order_by("-n")
        )
        return list(User.objects.filter(pk__in=[row[slot] for row in rows[:count]]))

    officers = []
    busiest_authorities = (
        Case.objects.values("local_authority").annotate(n=Count("id")).order_by("-n")[: max(1, count // 10)]
    )
    for n, row in enumerate(busiest_authorities):
        officers.append(
            User.objects.create(
                username=f"load-officer-{n}",
                role=User.Role.LA_OFFICER,
                local_authority_id=row["local_authority"],
            )
        )
    managers = [
        User.objects.create(username=f"load-manager-{n}", role=User.Role.MANAGER)
        for n in range(max(1, count // 7))
    ]
    pools = [busiest("coordinator"), busiest("adviser"), busiest("mediator"), managers, officers]
    chosen: list[User] = []
    while len(chosen) < count and any(pools):
        for pool in pools:
            if pool and len(chosen) < count:
                chosen.append(pool.pop(0))
    a_case = Case.objects.order_by("pk").first()
    search = a_case.reference if a_case is not None else "A"
    queries = (
        f"?status={OPEN_CASES}",
        f"?deadline={next(iter(DEADLINE_FILTERS))}",
        f"?age={AGE_BANDS[1][0]}",
        "?" + urlencode({"q": search}),
        "?page=2",
    )
    members = []
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    for user in chosen:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name=f"Load benchmark {run}", confirmed=True
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        assert session.session_key is not None
        members.append(StaffMember(str(user.role), session.session_key, queries))
    return members


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
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
                str(THREADS),
                "--timeout",
                "120",
                "--keep-alive",
                "30",
                "--log-level",
                "warning",
                "--preload",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        try:
            if status_of(port, "/healthz") == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not start; see {log}")
        time.sleep(0.3)


def warm_up(port: int, staff: list[StaffMember]) -> None:
    """A few rounds of the pages on every worker thread before the clock starts, not counted: the
    first request to each worker reads templates and opens the postcode index."""
    paths = [BASELINE_PATH, "/request/", "/request/who/", "/staff/cases/my-work/", "/staff/cases/"]
    failures: list[str] = []

    def visit() -> None:
        browser = Browser(port, Recorder())
        browser.cookies["sessionid"] = staff[0].session_key
        try:
            for _ in range(3):
                for path in paths:
                    browser.get(path, label=path)
        except Failure as failure:
            failures.append(str(failure))
        finally:
            browser.close()

    threads = [threading.Thread(target=visit) for _ in range(WORKERS * THREADS * 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"warming up: {failures[0]}")


def stop_gunicorn(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- the run ---------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one run found; ``missed`` is empty when every check passed."""

    database: str
    families: int
    journeys_sent: int
    stored_once: int
    lost: list[str]
    duplicated: list[str]
    strays: int
    idle_families: int
    staff_rounds: int
    left: int
    seconds: float
    errors: list[str]
    times: dict[str, list[float]]
    missed: list[str]

    def summary(self) -> str:
        p95 = percentile(self.times.get(BARE, []), 95)
        pages = {label: percentile(values, 95) for label, values in self.times.items() if label != BARE}
        worst = max(pages.items(), key=lambda item: item[1]) if pages else ("none", float("nan"))
        return (
            f"{self.database} requests {self.stored_once}/{self.journeys_sent} stored once from "
            f"{self.families - self.idle_families}/{self.families} families, errors {len(self.errors)}; "
            f"p95 bare view {p95:.0f} ms, slowest page {worst[0]!r} {worst[1]:.0f} ms"
        )


def percentile(values: list[float], which: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(which / 100 * (len(ordered) - 1)))]


def load(
    port: int,
    *,
    seconds: float,
    families: int,
    staff: list[StaffMember],
    think: float,
    run: str,
    recorder: Recorder,
) -> tuple[list[Family], int]:
    """Every client at once for ``seconds``; returns the families and the staff rounds completed."""
    from django.utils import timezone

    today = timezone.localdate()
    stop = time.monotonic() + seconds
    clients = [Family(slot) for slot in range(families)]
    staff_rounds = [0] * len(staff)

    def pauser(rng: random.Random) -> Callable[[], None]:
        return lambda: time.sleep(think * rng.uniform(0.5, 1.5)) if think > 0 else None

    def family(client: Family) -> None:
        rng = random.Random(f"{run}-{client.slot}")
        time.sleep(rng.uniform(0, min(5.0, seconds / 4)))  # not all at the same instant
        number = 0
        while time.monotonic() < stop:
            email = f"load-{run}-{client.slot}-{number}@families.example"
            # An address of its own for each family (10.x.y.z), as the one trusted proxy passes it on.
            address = f"10.{client.slot % 250}.{number // 250 % 250}.{number % 250 + 1}"
            kind = (client.slot + number) % 4
            try:
                reference = run_journey(
                    port,
                    recorder,
                    email=email,
                    address=address,
                    kind=kind,
                    upload=kind == 0 and (client.slot + number) % 8 == 0,
                    double_click=(client.slot + number) % DOUBLE_CLICK_EVERY == 0,
                    today=today,
                    pause=pauser(rng),
                    stop=stop,
                )
            except TimeUp:
                client.left += 1
            except Failure as failure:
                recorder.error(f"family {client.slot}, journey {number}: {failure}")
                time.sleep(1.0)
            else:
                client.sent.append((email, reference))
            number += 1

    def member(index: int) -> None:
        rng = random.Random(f"{run}-staff-{index}")
        time.sleep(rng.uniform(0, 2.0))
        try:
            staff_rounds[index] = staff_loop(
                port, recorder, staff[index], stop=stop, pause=pauser(rng), rng=rng
            )
        except Failure as failure:
            recorder.error(f"staff {index} ({staff[index].label}): {failure}")

    def baseline() -> None:
        rng = random.Random(f"{run}-bare")
        browser = Browser(port, recorder)
        try:
            while time.monotonic() < stop:
                try:
                    browser.get(BASELINE_PATH, label=BARE)
                except Failure as failure:
                    recorder.error(f"bare view: {failure}")
                time.sleep(min(think, 1.0) * rng.uniform(0.25, 0.75) if think > 0 else 0.01)
        finally:
            browser.close()

    threads = [threading.Thread(target=family, args=(client,), daemon=True) for client in clients]
    threads += [threading.Thread(target=member, args=(index,), daemon=True) for index in range(len(staff))]
    threads.append(threading.Thread(target=baseline, daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, stop + FINISH_GRACE_SECONDS - time.monotonic()))
    unfinished = sum(thread.is_alive() for thread in threads)
    if unfinished:
        recorder.error(f"{unfinished} clients had not finished {FINISH_GRACE_SECONDS:.0f} s after the end")
    return clients, sum(staff_rounds)


def check_database(run: str, clients: list[Family]) -> tuple[int, list[str], list[str], int]:
    """How many sent requests are stored exactly once, under the reference the family was shown;
    those lost (or stored under another reference); those stored twice or more; and requests with
    the run's marker that no family saw sent."""
    from sendmediation.intake.models import HelpRequest

    stored: dict[str, list[str]] = defaultdict(list)
    for email, reference in HelpRequest.objects.filter(email__startswith=f"load-{run}-").values_list(
        "email", "reference"
    ):
        stored[email].append(reference)
    sent = [pair for client in clients for pair in client.sent]
    once = sum(1 for email, reference in sent if stored.get(email) == [reference])
    lost = [email for email, reference in sent if reference not in stored.get(email, [])]
    duplicated = [email for email, _ in sent if len(stored.get(email, [])) > 1]
    strays = len(set(stored) - {email for email, _ in sent})
    return once, lost, duplicated, strays


def run_once(options: argparse.Namespace) -> Outcome:
    base = os.environ.get("DATABASE_URL")
    var_dir = Path(tempfile.mkdtemp(prefix="load-bench-"))
    (var_dir / "static").mkdir()
    url, drop = fresh_database(base, var_dir)
    database = "postgresql" if url.startswith("postgres") else "sqlite"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": url,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": uuid.uuid4().hex * 2,
    }
    for name in ("PAGE_CACHE_BACKEND", "PAGE_CACHE_LOCATION", "EMAIL_BACKEND", "STAFF_SECOND_FACTOR"):
        env.pop(name, None)
    server: subprocess.Popen[bytes] | None = None
    run = uuid.uuid4().hex[:8]
    try:
        started = time.perf_counter()
        print(f"{database}: installing a fresh site in {var_dir} ...", flush=True)
        manage(env, "migrate", "--no-input")
        manage(env, "load_demo_coverage")
        manage(env, "load_demo_data")
        manage(env, "generate_demo_data", "--cases", str(options.cases))
        manage(env, "build_postcode_index")
        os.environ.clear()
        os.environ.update(env)
        import django

        django.setup()
        staff = staff_members(options.staff, run)
        print(f"{database}: ready in {time.perf_counter() - started:.0f} s", flush=True)
        port = free_port()
        server = start_gunicorn(env, port, var_dir / "gunicorn.log")
        roles = ", ".join(
            f"{sum(m.label == role for m in staff)} {role}" for role in sorted({m.label for m in staff})
        )
        print(
            f"{database}: gunicorn {WORKERS} workers (gthread, {THREADS} threads each), 127.0.0.1:{port}, "
            f"DEBUG off; {options.cases:,} cases; for {options.seconds:g} s: {options.families} families, "
            f"{len(staff)} staff ({roles}), 1 client on the bare view; about {options.think:g} s between "
            f"pages; every {DOUBLE_CLICK_EVERY}th send a double click; rate limits all on, each family "
            f"from its own address (TRUSTED_PROXY_COUNT 1); staff sessions made in the database, verified "
            f"with a TOTP device",
            flush=True,
        )
        warm_up(port, staff)
        recorder = Recorder()
        window = time.monotonic()
        clients, staff_rounds = load(
            port,
            seconds=options.seconds,
            families=options.families,
            staff=staff,
            think=options.think,
            run=run,
            recorder=recorder,
        )
        window = time.monotonic() - window
        stop_gunicorn(server)
        server = None
        from django.db import connection

        connection.close()
        once, lost, duplicated, strays = check_database(run, clients)
        sent = sum(len(client.sent) for client in clients)
        idle = sum(1 for client in clients if not client.sent)
        missed = []
        if recorder.errors:
            missed.append(f"{len(recorder.errors)} errors")
        if lost or duplicated or strays or once != sent:
            missed.append(f"{len(lost)} lost, {len(duplicated)} duplicated, {strays} not sent by any family")
        if not staff_rounds:
            missed.append("no staff round finished")
        return Outcome(
            database,
            options.families,
            sent,
            once,
            lost,
            duplicated,
            strays,
            idle,
            staff_rounds,
            sum(client.left for client in clients),
            window,
            list(recorder.errors),
            dict(recorder.times),
            missed,
        )
    except Exception:
        # The server's own account of what went wrong, before its folder is removed.
        log = var_dir / "gunicorn.log"
        if log.exists():
            print(f"{database}: the last of gunicorn's log:", file=sys.stderr)
            print("\n".join(log.read_text(errors="replace").splitlines()[-40:]), file=sys.stderr)
        raise
    finally:
        if server is not None:
            stop_gunicorn(server)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        drop()
        shutil.rmtree(var_dir, ignore_errors=True)


def report(outcome: Outcome) -> None:
    bare = outcome.times.get(BARE, [])
    bare_p50, bare_p95 = percentile(bare, 50), percentile(bare, 95)
    answers = sum(len(values) for values in outcome.times.values())
    print(
        f"{outcome.database}: {outcome.journeys_sent} requests sent by {outcome.families} family clients "
        f"({outcome.stored_once} stored exactly once, {len(outcome.lost)} lost, {len(outcome.duplicated)} "
        f"duplicated, {outcome.strays} not sent by any family), {outcome.left} journeys left unfinished "
        f"when time was up; {outcome.staff_rounds} staff rounds; {answers:,} answers in "
        f"{outcome.seconds:.0f} s ({answers / outcome.seconds:.1f} a second); {len(outcome.errors)} errors"
    )
    for error in outcome.errors[:20]:
        print(f"  error: {error}")
    if len(outcome.errors) > 20:
        print(f"  ... and {len(outcome.errors) - 20} more")
    width = max((len(label) for label in outcome.times), default=10)
    heading = f"  {'page':<{width}}  answers     p50     p95"
    print(f"{heading}   (bare view p50 {bare_p50:.0f} ms, p95 {bare_p95:.0f} ms)")
    for label in sorted(outcome.times, key=lambda name: (name == BARE, name)):
        values = outcome.times[label]
        p50, p95 = percentile(values, 50), percentile(values, 95)
        print(
            f"  {label:<{width}}  {len(values):7,}  {p50:6.0f}  {p95:6.0f} ms"
            + (
                ""
                if label == BARE
                else f"   p50 {p50 / bare_p50:5.1f}x, p95 {p95 / bare_p95:5.1f}x the bare view"
            )
        )


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--families", type=int, default=100)
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--cases", type=int, default=2_000, help="synthetic cases for the staff to read")
    parser.add_argument("--think", type=float, default=1.0, help="average seconds between pages")
    parser.add_argument(
        "--quick", action="store_true", help="3 families, 2 staff, 10 s, 300 cases, 0.2 s between pages"
    )
    options = parser.parse_args(argv)
    if options.quick:
        options.seconds, options.families, options.staff, options.cases = 10.0, 3, 2, 300
        options.think = 0.2
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    outcome = run_once(options)
    report(outcome)
    print("load: " + outcome.summary())
    if outcome.missed:
        print(f"load: {outcome.database}: missed: " + "; ".join(outcome.missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
