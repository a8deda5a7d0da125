"""Reports at national scale: an authority's quarterly report and the whole service's, over 150,000 cases.

Run from the repository root: ``python benchmarks/reports.py [--scale national] [--samples N] [--fresh]``.
Under ``scripts/with_postgres.sh`` it runs on PostgreSQL; otherwise on SQLite (WAL).

It reuses the casework benchmark's database and its kept-data marker (var/benchmarks/casework/,
built with ``manage.py generate_demo_data``). That generator writes cases, events, deadlines and
parties only, so this script first adds, once, what the reports also count and the generator does
not write: an advice call for each advice given, a certificate for each one issued, a meeting held
for each mediation the story reached (with an outcome and the authority's attendance), and a
request for help for two cases in three (accepted, as a request that became a case is, except
those of the last two days, still new). Its own marker beside the casework one
(var/benchmarks/casework/reports-<TOP_UP_VERSION>-built-<database>.txt) says it was done for that
build; a new version of what is added gets a new marker, so kept data is topped up again.

Figures: p50 and p95 of the report page through Django's test client (the whole middleware stack,
the figures, the charts and the template), signed in as a manager, for the last quarter: the whole
service and three authorities (the largest, a middling one, a small one). Target: p95 at most 1 s.

Baseline, measured in the same run on the same data: the obvious loop, one case at a time in
Python, reading each case's calls, certificates, meetings and deadlines (four queries a case) and
counting the same figures. It is time-boxed; a baseline over the box is printed as a lower bound.

Then the whole service's CSV for a year (with every authority's rows) is read to the end under
tracemalloc, beside the same for a quarter: a streamed export's peak memory should not grow with
the period or the number of cases.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import casework  # noqa: E402 - the shared database, its marker and its set-up

TARGET_MS = 1000.0
# Raised whenever top_up adds something different, so that data kept from an older one is redone.
TOP_UP_VERSION = "3"
NAIVE_TIME_BOX_SECONDS = 20.0


# --- what the generator does not write ------------------------------------------------------------


def top_up(marker: Path, built: str) -> None:
    """Advice calls, certificates, meetings and requests for the generated cases, once per build."""
    if marker.exists() and marker.read_text() == built:
        return
    from django.db import transaction

    from sendmediation.cases.models import AdviceCall, Case, CaseEvent, Certificate, Deadline
    from sendmediation.intake.models import HelpRequest
    from sendmediation.meetings.models import Meeting

    started = time.perf_counter()
    with transaction.atomic():
        Meeting.objects.filter(uid__startswith="bench-").delete()
        Certificate.objects.filter(number__startswith="B").delete()
        AdviceCall.objects.filter(notes="bench").delete()
        HelpRequest.objects.filter(reference__startswith="BEN-").delete()
    cases = dict(Case.objects.values_list("pk", "local_authority_id"))
    kinds = dict(Case.objects.values_list("pk", "kind"))
    mediators = dict(Case.objects.exclude(mediator=None).values_list("pk", "mediator_id"))
    advisers = dict(Case.objects.exclude(adviser=None).values_list("pk", "adviser_id"))
    some_staff = next(iter(advisers.values()))
    batch = 5_000

    def write(model: Any, rows: list[Any]) -> None:
        for start in range(0, len(rows), batch):
            model.objects.bulk_create(rows[start : start + batch])

    events = CaseEvent.objects.filter(
        kind__in=[CaseEvent.Kind.ADVICE_GIVEN, CaseEvent.Kind.CERTIFICATE_ISSUED]
    )
    calls, certificates = [], []
    for n, (case_id, kind, at) in enumerate(events.values_list("case_id", "kind", "at").iterator()):
        if kind == CaseEvent.Kind.ADVICE_GIVEN:
            outcome = (
                AdviceCall.Outcome.WANTS_MEDIATION if n % 10 < 6 else AdviceCall.Outcome.DECLINES_MEDIATION
            )
            calls.append(
                AdviceCall(
                    case_id=case_id,
                    adviser_id=advisers.get(case_id, some_staff),
                    booked_for=at,
                    held_at=at,
                    outcome=outcome,
                    notes="bench",
                )
            )
        else:
            after_advice = kinds[case_id] == Case.Kind.ADVICE_ONLY
            certificates.append(
                Certificate(
                    case_id=case_id,
                    number=f"B{n:09d}",
                    kind=Certificate.Kind.AFTER_ADVICE if after_advice else Certificate.Kind.AFTER_MEDIATION,
                    issued_on=at.date(),
                    issued_by_id=advisers.get(case_id, some_staff),
                    authority_name="",
                    child_initials="",
                    verification_code=f"B{n:09d}",
                )
            )
    write(AdviceCall, calls)
    write(Certificate, certificates)

    # A meeting held for each mediation the story reached (its certificate's clock starts on it),
    # and each disagreement resolution meeting whose notice was given and whose day has come.
    today = datetime.date.today()
    held = Deadline.objects.filter(rule__in=["certificate_after_mediation", "meeting_notice"]).filter(
        start__lte=today
    )
    meetings = []
    outcomes = (["full_agreement"] * 6) + ["partial_agreement"] * 2 + ["no_agreement"] * 2
    for n, (case_id, rule, start) in enumerate(held.values_list("case_id", "rule", "start").iterator()):
        is_dr = kinds[case_id] == Case.Kind.DISAGREEMENT_RESOLUTION
        if (rule == "meeting_notice") != is_dr or case_id not in mediators:
            continue
        starts = datetime.datetime.combine(start, datetime.time(10), tzinfo=datetime.UTC)
        meetings.append(
            Meeting(
                case_id=case_id,
                route=kinds[case_id],
                starts_at=starts,
                minutes=150,
                ends_at=starts + datetime.timedelta(minutes=150),
                format=Meeting.Format.PHONE,
                mediator_id=mediators[case_id],
                status=Meeting.Status.HELD,
                uid=f"bench-{n}",
                notice_given_on=start - datetime.timedelta(days=8),
                outcome=outcomes[n % len(outcomes)],
                la_attended=n % 12 != 0,
                la_could_settle=n % 12 != 0 and n % 7 != 0,
            )
        )
    write(Meeting, meetings)

    requests = []
    received = Case.objects.values_list("pk", "received_on")
    still_new_from = datetime.date.today() - datetime.timedelta(days=2)
    for n, (case_id, day) in enumerate(received.iterator()):
        if n % 3 == 0:
            continue
        created = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
        accepted = day < still_new_from
        requests.append(
            HelpRequest(
                reference=f"BEN-{n:09d}",
                year=1,
                number=n,
                status=HelpRequest.Status.ACCEPTED if accepted else HelpRequest.Status.NEW,
                status_changed_at=created + datetime.timedelta(days=1) if accepted else None,
                status_changed_by_id=some_staff if accepted else None,
                source=HelpRequest.Source.WEBSITE,
                created_at=created,
                who=HelpRequest.Who.PARENT,
                help_wanted=HelpRequest.HelpWanted.MEDIATION,
                child_name="Bench Child",
                child_date_of_birth=datetime.date(2015, 1, 1),
                postcode="SW1A 1AA",
                local_authority_id=cases[case_id],
                contact_name="Bench Parent",
                contact_by_email=True,
                email="bench@example.org",
                reply_by=day,
            )
        )
    write(HelpRequest, requests)
    marker.write_text(built)
    print(
        f"added {len(calls):,} advice calls, {len(certificates):,} certificates, {len(meetings):,} meetings "
        f"and {len(requests):,} requests in {time.perf_counter() - started:.0f} s"
    )


# --- the obvious way, for the baseline -----------------------------------------------------------


class TimeBox(Exception):
    pass


def naive_report(authority_id: int | None, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Every case in scope, one at a time, with its rows read through the case: what a report
    written without aggregate queries does."""
    from sendmediation.cases.models import Case

    began = time.perf_counter()
    counts: dict[str, int] = {}

    def add(name: str, n: int = 1) -> None:
        counts[name] = counts.get(name, 0) + n

    cases = (
        Case.objects.all() if authority_id is None else Case.objects.filter(local_authority_id=authority_id)
    )
    for case in cases.iterator():
        if time.perf_counter() - began > NAIVE_TIME_BOX_SECONDS:
            raise TimeBox()
        if start <= case.received_on <= end:
            add("cases")
            for code in case.decisions:
                add(f"decision:{code}")
        for call in case.advice_calls.all():
            if call.held_at and start <= call.held_at.date() <= end:
                add(f"call:{call.outcome}")
        for certificate in case.certificates.all():
            if start <= certificate.issued_on <= end:
                add(f"certificate:{certificate.kind}")
        for meeting in case.meetings.all():
            if meeting.status == "held" and start <= meeting.starts_at.date() <= end:
                add(f"meeting:{case.kind}:{meeting.outcome}")
                add(f"attended:{meeting.la_attended}:{meeting.la_could_settle}")
        for deadline in case.deadlines.all():
            if start <= deadline.effective_due <= end and (deadline.met_on or not deadline.stopped_on):
                on_time = deadline.met_on is not None and deadline.met_on <= deadline.effective_due
                add(f"deadline:{deadline.rule}:{on_time}")
    return counts


# --- measuring -----------------------------------------------------------------------------------


def measure(get: Any, samples: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get()  # warm-up
    times = []
    queries = 0
    for _ in range(samples):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = get()
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, queries


def peak_memory(client: Any, url: str) -> tuple[int, int]:
    """Peak bytes allocated while the whole CSV is read, and its size in bytes."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    response = client.get(url)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "regional", "national"], default="national")
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--cases", type=int, help="how many cases instead of the scale's number")
    parser.add_argument("--fresh", action="store_true", help="build the database again")
    args = parser.parse_args()

    # The casework benchmark's data for this number of cases, in this database: the same file or
    # PostgreSQL database, and the same marker, so that either benchmark reuses what the other built.
    workdir = casework.WORKDIR
    workdir.mkdir(parents=True, exist_ok=True)
    count_wanted = args.cases or casework.SCALES[args.scale]
    base = os.environ.get("DATABASE_URL")
    url = casework.database_url(base, count_wanted, workdir)
    if base is not None and casework.is_postgres(base):
        print(f"data: {casework.prepare_postgres(base, url, count_wanted, workdir, fresh=args.fresh)}")
    os.environ["DATABASE_URL"] = url
    database = casework.database_key(url)
    stamp = casework.stamp_for(workdir, database)
    rebuild = casework.stale(count_wanted, stamp, fresh=args.fresh, database=database)
    if rebuild and not casework.is_postgres(url):
        sqlite_file = Path(url.removeprefix("sqlite:///"))
        for leftover in sqlite_file.parent.glob(f"{sqlite_file.name}*"):
            leftover.unlink()
    casework.configure(workdir)
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from sendmediation.accounts.models import User
    from sendmediation.cases.models import Case
    from sendmediation.localities.models import LocalAuthority
    from sendmediation.reports.periods import last_quarter

    if not rebuild and Case.objects.count() != count_wanted:
        print("the kept data does not match its marker: building it again")
        rebuild = True
    if rebuild:
        casework.build(count_wanted, stamp, database)
        if connection.vendor == "postgresql":
            casework.keep_dump(url, count_wanted, workdir)
    top_up(workdir / f"reports-{TOP_UP_VERSION}-{stamp.name}", stamp.read_text())
    if connection.vendor == "postgresql":
        # As autovacuum leaves tables that have settled (as the casework benchmark does): statistics,
        # and the visibility map that lets the report indexes answer without reading the tables.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"data: {Case.objects.count():,} cases on {connection.vendor}")

    manager, _ = User.objects.get_or_create(username="bench-manager", defaults={"role": User.Role.MANAGER})
    client = Client()
    client.force_login(manager)
    today = timezone.localdate()
    quarter = last_quarter(today)
    query = f"?from={quarter.start}&to={quarter.end}"
    by_size = list(
        Case.objects.values("local_authority_id").annotate(n=Count("pk")).order_by("-n", "local_authority_id")
    )
    picks = {
        "largest": by_size[0]["local_authority_id"],
        "middling": by_size[len(by_size) // 2]["local_authority_id"],
        "small": by_size[-1]["local_authority_id"],
    }
    authorities = {pk: LocalAuthority.objects.get(pk=pk) for pk in picks.values()}
    pages: list[tuple[str, str, int | None]] = [
        ("whole service, quarter", reverse("reports:service") + query, None)
    ]
    for size, pk in picks.items():
        authority = authorities[pk]
        cases = next(row["n"] for row in by_size if row["local_authority_id"] == pk)
        pages.append(
            (
                f"{authority.name} ({size}, {cases:,} cases), quarter",
                reverse("reports:authority", args=[authority.code]) + query,
                pk,
            )
        )
    worst = 0.0
    for label, url, authority_id in pages:
        p50, p95, queries = measure(lambda url=url: client.get(url), args.samples)
        worst = max(worst, p95)
        try:
            started = time.perf_counter()
            naive_report(authority_id, quarter.start, quarter.end)
            baseline = (time.perf_counter() - started) * 1000
            note = f"baseline (per-case loop) {baseline:9.1f} ms; ratio {baseline / p95:7.1f}x"
        except TimeBox:
            bound = NAIVE_TIME_BOX_SECONDS * 1000
            box = f"{NAIVE_TIME_BOX_SECONDS:.0f} s"
            note = f"baseline (per-case loop) over the {box} box; ratio > {bound / p95:.1f}x"
        print(f"{label:<52} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {queries:3d} queries | {note}")

    year = (today.replace(year=today.year - 1), today)
    # Once unmeasured, so that what is loaded once per process (templates, the calendar) is not
    # counted against the first export.
    peak_memory(client, reverse("reports:service_export", args=["csv"]) + query)
    for label, start, end in (("quarter", quarter.start, quarter.end), ("year", *year)):
        url = reverse("reports:service_export", args=["csv"]) + f"?from={start}&to={end}"
        peak, written = peak_memory(client, url)
        kib, peak_kib = written / 1024, peak / 1024
        print(f"whole service CSV, {label:<8} {kib:8.1f} KiB written, peak memory {peak_kib:8.1f} KiB")
    verdict = "met" if worst <= TARGET_MS else "MISSED"
    target = f"a target of {TARGET_MS:.0f} ms"
    print(f"reports on {connection.vendor}: worst p95 {worst:.1f} ms against {target}: {verdict}")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
