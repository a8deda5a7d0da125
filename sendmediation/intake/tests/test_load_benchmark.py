"""The load benchmark's clients and checks, against the test server: every kind of family journey,
a staff round, and the database check that must find each request sent exactly once.

benchmarks/load.py itself builds a fresh installation and runs gunicorn for two minutes (``make
bench``); this runs the same client code against the live test server, one client at a time, since
the test database on SQLite is one connection in memory shared by the server's threads.
"""

import importlib.util
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sendmediation.intake.models import HelpRequest

ROOT = Path(__file__).resolve().parents[3]


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("load_benchmark", ROOT / "benchmarks" / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


load = _load_benchmark()


@pytest.fixture
def port(live_server, settings):
    """The benchmark's settings that matter here: one trusted proxy, and the second factor on."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.STAFF_SECOND_FACTOR = True
    call_command("load_demo_coverage", verbosity=0)
    call_command("generate_demo_data", "--cases", "30", verbosity=0)
    return urlsplit(live_server.url).port


def test_each_journey_and_a_staff_round_run_and_the_check_finds_each_request_once(port):
    run = uuid.uuid4().hex[:8]
    recorder = load.Recorder()
    family = load.Family(0)
    # Two sends at once need two connections to the database; the in-memory SQLite has one.
    double_click = connection.vendor == "postgresql"
    for kind in range(4):
        email = f"load-{run}-0-{kind}@families.example"
        reference = load.run_journey(
            port,
            recorder,
            email=email,
            address=f"10.0.0.{kind + 1}",
            kind=kind,
            upload=kind == 0,
            double_click=double_click and kind == 1,
            today=timezone.localdate(),
            pause=lambda: None,
        )
        family.sent.append((email, reference))
    staff = load.staff_members(2, run)
    rounds = load.staff_loop(
        port, recorder, staff[0], stop=time.monotonic(), pause=lambda: None, rng=load.random.Random(1)
    )

    assert recorder.errors == [] and rounds == 1
    assert load.check_database(run, [family]) == (4, [], [], 0)
    assert len(recorder.times["request: letter (send)"]) == 2  # the upload, then on
    for label in ("request: time-limit", "request: your-details", "request: sent", "staff: case page"):
        assert recorder.times[label], label

    # The check finds a request stored twice, one stored under another reference, and a stray.
    sent = [email for email, _ in family.sent]
    twice = HelpRequest.objects.get(email=sent[0])
    twice.pk, twice.reference, twice.number = None, "MED-LOAD-1", 900_001
    twice.save()
    moved = HelpRequest.objects.get(email=sent[1])
    moved.reference = "MED-LOAD-2"
    moved.save(update_fields=["reference"])
    stray = HelpRequest.objects.get(email=sent[2])
    stray.pk, stray.reference, stray.number = None, "MED-LOAD-3", 900_003
    stray.email = f"load-{run}-9-9@families.example"
    stray.save()
    assert load.check_database(run, [family]) == (2, [sent[1]], [sent[0]], 1)


def test_a_journey_still_under_way_when_time_is_up_is_left_before_sending(port):
    recorder = load.Recorder()
    with pytest.raises(load.TimeUp):
        load.run_journey(
            port,
            recorder,
            email="load-late@families.example",
            address="10.0.1.1",
            kind=3,
            upload=False,
            double_click=False,
            today=timezone.localdate(),
            pause=lambda: None,
            stop=time.monotonic(),
        )
    assert not HelpRequest.objects.filter(email="load-late@families.example").exists()
    assert recorder.errors == []


def test_make_bench_runs_the_load_benchmark_on_sqlite_and_on_postgresql():
    script = (ROOT / "scripts" / "bench.sh").read_text()
    on_sqlite, on_postgres = script.split("scripts/with_postgres.sh bash -c")
    # The SQLite run leaves DATABASE_URL out, as for casework and reports.
    assert '[ "$script" = benchmarks/load.py ]; then\n        run=(env -u DATABASE_URL' in on_sqlite
    assert ".venv/bin/python benchmarks/load.py ||" in on_postgres
