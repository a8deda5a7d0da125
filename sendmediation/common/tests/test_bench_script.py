"""`make bench` runs the benchmarks, and only them."""

import datetime
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_make_bench_runs_every_benchmark_and_none_of_their_helpers():
    listed = subprocess.run(
        ["scripts/bench.sh", "--list"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    scripts = (ROOT / "benchmarks").glob("*.py")
    expected = sorted(f"benchmarks/{path.name}" for path in scripts if not path.name.startswith("_"))
    assert listed == expected
    assert "benchmarks/_public_pages_settings.py" not in listed
    assert "benchmarks/casework.py" in listed


def _casework_benchmark():
    import importlib.util

    spec = importlib.util.spec_from_file_location("casework_benchmark", ROOT / "benchmarks" / "casework.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_casework_benchmarks_kept_data_is_never_taken_for_another_databases(tmp_path):
    bench = _casework_benchmark()
    sqlite = bench.database_key(None)
    postgres = bench.database_key("postgres://bench:secret@%2Ftmp%2Fcluster/postgres")
    assert "secret" not in postgres and sqlite != postgres
    stamp = tmp_path / "built.txt"
    assert bench.stale(2000, stamp, fresh=False, database=sqlite)  # nothing built yet
    stamp.write_text(bench.stamp_text(2000, sqlite, datetime.date.today()))
    assert not bench.stale(2000, stamp, fresh=False, database=sqlite)
    # Built on SQLite today: an empty PostgreSQL database is not taken as built.
    assert bench.stale(2000, stamp, fresh=False, database=postgres)
    assert bench.stale(150_000, stamp, fresh=False, database=sqlite)
    assert bench.stale(2000, stamp, fresh=True, database=sqlite)


def test_each_database_and_size_has_its_own_kept_data_and_marker(tmp_path):
    bench = _casework_benchmark()
    cluster = "postgres://postgres@%2Ftmp%2Fcluster/postgres"
    urls = {
        bench.database_url(None, 150_000, tmp_path),
        bench.database_url(None, 300_000, tmp_path),
        bench.database_url(cluster, 150_000, tmp_path),
        bench.database_url(cluster, 300_000, tmp_path),
    }
    assert len(urls) == 4
    assert bench.database_url(cluster, 150_000, tmp_path).endswith("/casework_150000")
    markers = {bench.stamp_for(tmp_path, bench.database_key(url)) for url in urls}
    assert len(markers) == 4 and all(marker.parent == tmp_path for marker in markers)


def _report(vendor, cases, **p95):
    pages = {label.replace("_", " "): {"p50": ms, "p95": ms, "queries": 9} for label, ms in p95.items()}
    return {"vendor": vendor, "cases": cases, "pages": pages, "sizes": {"case list, manager": [9, 9]}}


def test_the_casework_benchmark_names_each_target_missed_and_how_cost_grows():
    bench = _casework_benchmark()
    assert bench.verdict(_report("sqlite", 150_000, my_work=99.0, case_list=50.0)) == []
    missed = bench.verdict(_report("postgresql", 150_000, my_work=101.0, case_list=51.0))
    assert missed == [
        "MISSED on postgresql: my work p95 101.0 ms over the 100 ms target",
        "MISSED on postgresql: case list p95 51.0 ms over the 50 ms target",
    ]
    growing = _report("sqlite", 150_000, my_work=40.0)
    growing["sizes"]["case list, manager"] = [9, 10]
    assert bench.verdict(growing) == [
        "FAIL on sqlite: case list, manager takes 9 queries for a short page, 10 for a long one"
    ]
    lines = bench.growth(_report("sqlite", 150_000, my_work=40.0), _report("sqlite", 300_000, my_work=60.0))
    assert " ".join(lines[1].split()) == "my work p95 40.0 -> 60.0 ms, x1.50; queries 9 -> 9"


def test_make_bench_refuses_an_option_it_does_not_know():
    refused = subprocess.run(["scripts/bench.sh", "--fast"], cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode == 2 and "--growth" in refused.stderr
