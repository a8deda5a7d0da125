"""`make bench` runs the benchmarks, and only them."""

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
