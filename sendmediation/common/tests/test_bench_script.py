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
