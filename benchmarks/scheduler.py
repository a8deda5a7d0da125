"""Proposing a schedule for a national week: the CP-SAT optimiser against the greedy rule.

Run from the repository root: ``python benchmarks/scheduler.py [--seed S] [--seconds N]
[--workers W] [--index-dir DIR]``.

The problem is generated (seeded) by ``sendmediation.meetings.scheduling.synthetic``: 600 cases
waiting, 120 mediators and 80 venues, on real postcodes drawn from the postcode directory (so
families, venues and mediators sit where people live), with 30 working days of meeting times ahead.
Both sides get the same problem. The baseline is the greedy rule in the same module (earliest
deadline first, nearest free venue, first free mediator); the optimiser starts from it and never
places fewer in time. Every proposal goes through the validator, which checks each hard rule on
its own account.

Targets, in the same run: the optimiser's proposal (building the model included) in at most 30 s;
every case the greedy rule places in time also placed in time; at least 25 % less total family
travel than the greedy rule; no hard rule broken. The lower bound printed counts each case the
greedy rule places in time at its nearest way of meeting that its own diary allows (a room free at
a time the family can make, and a mediator free then who may take it), with every other family out
of the way: no schedule that meets the second target can do better.
The last line is the summary; the exit status is non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sendmediation.localities.postcodes import PostcodeIndex, iter_source_rows  # noqa: E402
from sendmediation.meetings.scheduling import solver, validator  # noqa: E402
from sendmediation.meetings.scheduling.problem import Point, Problem, Schedule  # noqa: E402
from sendmediation.meetings.scheduling.synthetic import Place, national_week  # noqa: E402
from sendmediation.statutory.calendar import england_calendar  # noqa: E402

CASES, MEDIATORS, VENUES, WORKING_DAYS = 600, 120, 80, 30
TARGET_SECONDS = 30.0
TARGET_FAMILY_SAVING = 0.25
# A Monday, so that the 30 working days ahead run from a known place in the calendar.
TODAY = datetime.date(2027, 2, 1)


def english_places(count: int, seed: int, index: PostcodeIndex) -> list[Place]:
    """``count`` postcodes in England drawn evenly from the directory (so, roughly, where people
    live), each with its grid reference and the authority with SEND duties there."""
    rng = random.Random(seed)
    reservoir: list[str] = []
    seen = 0
    for postcode, district, easting, northing in iter_source_rows():
        if district is None or not district.startswith("E") or easting is None or northing is None:
            continue
        seen += 1
        if len(reservoir) < count:
            reservoir.append(postcode)
        else:
            slot = rng.randrange(seen)
            if slot < count:
                reservoir[slot] = postcode
    places = []
    for postcode in sorted(reservoir):
        location = index.lookup(postcode)
        if location.authority_code and location.easting is not None and location.northing is not None:
            places.append(Place(Point(location.easting, location.northing), location.authority_code))
    rng.shuffle(places)
    return places


def describe(name: str, problem: Problem, schedule: Schedule, broken: list[str]) -> None:
    total = len(problem.cases)
    placed = len(schedule.placements)
    on_time = len(solver.in_time(schedule, problem))
    online = sum(1 for p in schedule.placements if p.venue is None)
    loads = schedule.loads()
    print(
        f"{name:9} in time {on_time}/{total} ({placed} placed, {online} online) in {schedule.seconds:.1f} s; "
        f"family travel {schedule.family_km:,.0f} km (mean {schedule.family_km / max(placed, 1):.1f}); "
        f"mediator travel {schedule.mediator_km:,.0f} km; busiest mediator {max(loads.values(), default=0)}; "
        f"violations {len(broken)}"
    )
    for line in broken[:5]:
        print(f"          broken: {line}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--seconds", type=float, default=18.0, help="the optimiser's time for solving")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--index-dir", default=str(ROOT / "var"))
    args = parser.parse_args()

    index = PostcodeIndex.open(args.index_dir)
    started = time.perf_counter()
    places = english_places(CASES + MEDIATORS + VENUES, args.seed, index)
    rng = random.Random(args.seed)
    problem = national_week(
        rng,
        homes=places[:CASES],
        venue_places=places[CASES : CASES + VENUES],
        mediator_homes=places[CASES + VENUES :],
        calendar=england_calendar(range(TODAY.year - 1, TODAY.year + 2)),
        today=TODAY,
        working_days=WORKING_DAYS,
    )
    rooms = sum(len(v.rooms) for v in problem.venues)
    print(
        f"scheduler: {len(problem.cases)} cases, {len(problem.mediators)} mediators, {len(problem.venues)} "
        f"venues ({rooms} rooms), {WORKING_DAYS} working days from {TODAY}; seed {args.seed}; "
        f"generated in {time.perf_counter() - started:.1f} s"
    )

    baseline = solver.greedy(problem)
    baseline_broken = validator.violations(problem, baseline.placements)
    describe("greedy", problem, baseline, baseline_broken)

    began = time.perf_counter()
    proposal = solver.propose(
        problem, seconds=args.seconds, workers=args.workers, seed=args.seed, baseline=baseline
    )
    seconds = time.perf_counter() - began
    proposal.seconds = seconds
    broken = validator.violations(problem, proposal.placements)
    describe("optimiser", problem, proposal, broken)
    print(f"          {proposal.status}: {'; '.join(proposal.notes)}")

    total = len(problem.cases)
    greedy_in_time = solver.in_time(baseline, problem)
    ours_in_time = solver.in_time(proposal, problem)
    # Any schedule meeting the second target places these cases, so none can travel less than this.
    bound = solver.family_travel_bound(problem, greedy_in_time)
    best_saving = 1 - bound / baseline.family_km if baseline.family_km else 0.0
    print(
        f"lower bound: the cases the greedy rule places in time, each at its nearest way of meeting "
        f"its own diary allows: {bound:,.0f} km, so no schedule at these times that keeps them in time "
        f"saves more than {best_saving:.1%}"
    )

    lost = sorted(greedy_in_time - ours_in_time)
    saving = 1 - proposal.family_km / baseline.family_km if baseline.family_km else 0.0
    missed = []
    if seconds > TARGET_SECONDS:
        missed.append(f"solved in {seconds:.1f} s, more than {TARGET_SECONDS:.0f} s")
    if lost:
        missed.append(f"{len(lost)} cases the greedy rule places in time are not: {', '.join(lost[:5])}")
    if saving < TARGET_FAMILY_SAVING:
        unreachable = (
            f" (no schedule at these times that keeps the greedy rule's cases in time can: at most "
            f"{best_saving:.1%})"
            if best_saving < TARGET_FAMILY_SAVING
            else ""
        )
        missed.append(
            f"family travel {saving:.1%} less than greedy, not {TARGET_FAMILY_SAVING:.0%}{unreachable}"
        )
    if broken:
        missed.append(f"{len(broken)} hard rules broken")
    for line in missed:
        print(f"target missed: {line}")
    print(
        f"scheduler: solved in {seconds:.1f} s; in time {len(ours_in_time)}/{total} "
        f"(greedy {len(greedy_in_time)}/{total}); family travel -{saving * 100:.1f}% vs greedy; "
        f"violations {len(broken)}"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
