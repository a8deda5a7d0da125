"""The schedule optimiser, the greedy rule and the validator, on problems small enough to reason about.

No database: the scheduling core takes plain values and returns plain values.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import subprocess
import sys
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from sendmediation.meetings.scheduling import solver, validator
from sendmediation.meetings.scheduling.problem import (
    IN_PERSON,
    ONLINE,
    CaseNeed,
    Interval,
    Mediator,
    Placement,
    Point,
    Problem,
    Room,
    Slot,
    Venue,
    earliest_day,
    sessions,
)
from sendmediation.meetings.scheduling.synthetic import Place, national_week
from sendmediation.statutory.calendar import england_calendar

CALENDAR = england_calendar(range(2026, 2029))
MONDAY = datetime.date(2027, 2, 1)
NOW = datetime.datetime(2027, 2, 1, 17, 0)
# Monday 8 February is 5 working days after Monday 1 February: the first day notice allows.
FIRST = datetime.date(2027, 2, 8)
MORNING = datetime.time(9, 30)


def at(day: datetime.date, start: datetime.time = MORNING) -> Slot:
    return Slot(day, start, 150)


def venue(
    key: int, east_km: float, *, step_free: bool = True, rooms: int = 1, authority: str = "E1"
) -> Venue:
    return Venue(
        key=key,
        name=f"Venue {key}",
        authority=authority,
        place=Point(round(east_km * 1000), 0),
        step_free=step_free,
        rooms=tuple(Room(key * 10 + r, f"Room {r + 1}") for r in range(rooms)),
    )


def family(reference: str, east_km: float, **kwargs) -> CaseNeed:
    kwargs.setdefault("deadline", datetime.date(2027, 3, 1))
    return CaseNeed(reference=reference, authority="E1", home=Point(round(east_km * 1000), 0), **kwargs)


def mediator(key: str, **kwargs) -> Mediator:
    kwargs.setdefault("home", Point(0, 0))
    return Mediator(key=key, name=key, **kwargs)


def problem(cases, mediators, venues, slots=None) -> Problem:
    slots = slots or [at(FIRST)]
    return Problem(
        today=MONDAY,
        now=NOW,
        calendar=CALENDAR,
        slots=tuple(slots),
        cases=tuple(cases),
        mediators=tuple(mediators),
        venues=tuple(venues),
    )


# --- known answers -------------------------------------------------------------------------------


def test_known_optimum_two_families_one_time():
    """Venue 1 is at 0 km, venue 2 at 2 km east, one room each, one time. Family A (the earlier
    deadline) lives 0.9 km east, family B 1 km west. Greedy: A to venue 1 (0.9 km), so B to venue 2
    (3.0 km), 3.9 km in all. Best: A to venue 2 (1.1 km), B to venue 1 (1.0 km), 2.1 km."""
    a = family("A", 0.9, deadline=datetime.date(2027, 2, 20))
    b = family("B", -1.0, deadline=datetime.date(2027, 2, 26))
    venues = [venue(1, 0), venue(2, 2)]
    p = problem([a, b], [mediator("m1"), mediator("m2")], venues)

    greedy = solver.greedy(p)
    assert {(x.case, x.venue) for x in greedy.placements} == {("A", 1), ("B", 2)}
    assert greedy.family_km == pytest.approx(0.9 + 3.0)

    best = solver.propose(p, seconds=2)
    assert {(x.case, x.venue) for x in best.placements} == {("A", 2), ("B", 1)}
    assert best.family_km == pytest.approx(1.1 + 1.0)
    assert validator.violations(p, best.placements) == []
    chosen = {x.case: x for x in best.placements}
    assert "Venue 2" in chosen["A"].why and "1.1 km" in chosen["A"].why
    assert [alt.venue for alt in chosen["A"].alternatives] == ["Venue 1"]
    assert "nearest suitable venue" in chosen["B"].why


def test_mediators_travel_less_once_families_travel_no_more():
    """One family and one venue, so families' travel is settled. The greedy rule takes the first
    mediator free, who lives 50 km away; the optimiser takes the one 5 km away."""
    p = problem(
        [family("A", 1)],
        [mediator("far", home=Point(50_000, 0)), mediator("near", home=Point(5_000, 0))],
        [venue(1, 0)],
    )
    assert [x.mediator for x in solver.greedy(p).placements] == ["far"]
    [placement] = solver.propose(p, seconds=1).placements
    assert (placement.mediator, placement.mediator_km) == ("near", 5.0)


def test_meetings_are_shared_between_mediators_who_travel_as_far():
    """Two families, one room, a morning and an afternoon: the greedy rule gives both meetings to
    the first mediator; with travel equal, the optimiser gives one to each."""
    p = problem(
        [family("A", 1), family("B", 1)],
        [mediator("m1"), mediator("m2")],
        [venue(1, 0)],
        slots=[at(FIRST), at(FIRST, datetime.time(13, 30))],
    )
    assert solver.greedy(p).loads() == {"m1": 2}
    best = solver.propose(p, seconds=1)
    assert best.loads() == {"m1": 1, "m2": 1}
    assert validator.violations(p, best.placements) == []


def test_the_travel_bound_counts_each_family_where_its_own_diary_lets_it_meet():
    """Family A's nearest venue (1 km) has its only room taken at the one time; family B's nearest
    (2 km) is in an authority no mediator travels to. So each is counted at the next venue out, not
    the nearest, and family C, who accepts online, at nothing."""
    taken = Interval(at(FIRST).starts_at, at(FIRST).ends_at)
    booked = dataclasses.replace(venue(1, 1), rooms=(Room(10, "Room 1", busy=(taken,)),))
    p = problem(
        [family("A", 0), family("B", 0), family("C", 0, formats=frozenset({IN_PERSON, ONLINE}))],
        [mediator("m1", areas=frozenset({"E1"})), mediator("m2", areas=frozenset({"E1"}))],
        [booked, venue(2, -2, authority="E9"), venue(3, 4, rooms=3)],
    )
    assert solver.family_travel_bound(p, {"A"}) == pytest.approx(4.0)
    assert solver.family_travel_bound(p, {"B"}) == pytest.approx(4.0)
    assert solver.family_travel_bound(p, {"C"}) == 0.0
    assert solver.family_travel_bound(p, {"A", "B", "C"}) == pytest.approx(8.0)
    best = solver.propose(p, seconds=1)
    assert best.family_km == pytest.approx(8.0)


def test_when_the_search_stops_early_a_whole_relaxation_is_checked_alone_and_kept(monkeypatch):
    """A large model can spend the whole time in CP-SAT's presolve. Here every search stops after
    presolve, so only the relaxation's choices, checked by CP-SAT with each one fixed, can give
    the best schedule of the known-optimum problem."""
    solve = cp_model.CpSolver.solve

    def stopping_after_presolve(self, model, *args, **kwargs):
        self.parameters.stop_after_presolve = not self.parameters.fix_variables_to_their_hinted_value
        return solve(self, model, *args, **kwargs)

    monkeypatch.setattr(cp_model.CpSolver, "solve", stopping_after_presolve)
    a = family("A", 0.9, deadline=datetime.date(2027, 2, 20))
    b = family("B", -1.0, deadline=datetime.date(2027, 2, 26))
    p = problem([a, b], [mediator("m1"), mediator("m2")], [venue(1, 0), venue(2, 2)])
    best = solver.propose(p, seconds=1)
    assert {(x.case, x.venue) for x in best.placements} == {("A", 2), ("B", 1)}
    assert any("checked alone: OPTIMAL" in note for note in best.notes)
    assert validator.violations(p, best.placements) == []


def test_a_venue_whose_distance_is_not_known_comes_after_every_known_one():
    """Venue 2's postcode was not found. A known venue 3 km away is proposed, not the unknown one
    (which a schedule's total would count as no journey), and the bound stays below both."""
    unknown = dataclasses.replace(venue(2, 0), place=None)
    p = problem([family("A", 0)], [mediator("m1")], [venue(1, 3), unknown])
    [placement] = solver.propose(p, seconds=1).placements
    assert (placement.venue, placement.family_km) == (1, 3.0)
    assert solver.family_travel_bound(p, {"A"}) == 0.0


def test_the_relaxation_reads_a_negated_choice_as_one_minus_it():
    """At most one of "not x" and "not y": so x or y, and the least of x + y is 1."""
    model = cp_model.CpModel()
    x, y = model.new_bool_var("x"), model.new_bool_var("y")
    model.add_at_most_one([x.Not(), y.Not()])
    model.minimize(x + y)
    relaxed = solver._relaxed(model, seconds=1)
    assert relaxed is not None
    assert relaxed.objective == pytest.approx(1.0)
    assert sum(relaxed.values.values()) == 1


def test_a_case_that_cannot_be_held_in_time_is_listed_with_the_reason():
    too_soon = family("LATE", 0, deadline=datetime.date(2027, 2, 4))
    p = problem([too_soon], [mediator("m1")], [venue(1, 1)])
    for schedule in (solver.greedy(p), solver.propose(p, seconds=1)):
        assert schedule.placements == []
        [unplaced] = schedule.unplaced
        assert unplaced.case == "LATE"
        assert "4 February 2027" in unplaced.reason and "shorter notice" in unplaced.reason


def test_short_notice_agreed_lets_the_meeting_be_sooner():
    agreed = family("SOON", 0, deadline=datetime.date(2027, 2, 4), short_notice_agreed=True)
    p = problem([agreed], [mediator("m1")], [venue(1, 1)], slots=[at(datetime.date(2027, 2, 3))])
    [placement] = solver.propose(p, seconds=1).placements
    assert placement.starts_at.date() == datetime.date(2027, 2, 3)
    assert validator.violations(p, [placement]) == []


def test_health_issues_need_a_mediator_with_health_experience():
    needs = family("H", 0, skills=frozenset({"health care"}))
    p = problem(
        [needs], [mediator("plain"), mediator("nurse", skills=frozenset({"health care"}))], [venue(1, 1)]
    )
    [placement] = solver.propose(p, seconds=1).placements
    assert placement.mediator == "nurse"


def test_no_independent_mediator_is_a_reason_not_a_meeting():
    p = problem([family("X", 0)], [mediator("m1", excluded=frozenset({"E1"}))], [venue(1, 1)])
    schedule = solver.propose(p, seconds=1)
    assert schedule.placements == []
    assert schedule.unplaced[0].reason == "No mediator is independent of this authority"


def test_online_when_the_family_accepts_it_means_no_journey():
    p = problem([family("O", 30, formats=frozenset({IN_PERSON, ONLINE}))], [mediator("m1")], [venue(1, 0)])
    [placement] = solver.propose(p, seconds=1).placements
    assert (placement.format, placement.venue, placement.family_km) == (ONLINE, None, 0.0)


def test_the_earliest_day_counts_five_working_days_from_the_calendar():
    assert earliest_day(MONDAY, CALENDAR, short_notice_agreed=False) == FIRST
    assert earliest_day(MONDAY, CALENDAR, short_notice_agreed=True) == datetime.date(2027, 2, 2)
    # Across Easter 2027 (Good Friday 26 March, Easter Monday 29 March).
    assert earliest_day(datetime.date(2027, 3, 24), CALENDAR, short_notice_agreed=False) == datetime.date(
        2027, 4, 2
    )


def test_the_same_problem_and_seed_give_the_same_proposal():
    p = _random_problem(random.Random(5), cases=12, mediators=4, venues=3)
    first = solver.propose(p, seconds=1, seed=3)
    second = solver.propose(p, seconds=1, seed=3)
    assert first.placements == second.placements


# --- the validator rejects each hard rule broken ---------------------------------------------------


def _one() -> tuple[Problem, Placement]:
    p = problem([family("C", 1)], [mediator("m1")], [venue(1, 1)], slots=[at(FIRST)])
    placement = Placement(
        case="C",
        starts_at=datetime.datetime.combine(FIRST, MORNING),
        ends_at=datetime.datetime.combine(FIRST, datetime.time(12, 0)),
        format=IN_PERSON,
        mediator="m1",
        venue=1,
        room=10,
        family_km=0.0,
    )
    assert validator.violations(p, [placement]) == []
    return p, placement


def _case(p: Problem, **changes) -> Problem:
    return dataclasses.replace(p, cases=(dataclasses.replace(p.cases[0], **changes),))


def _mediator(p: Problem, **changes) -> Problem:
    return dataclasses.replace(p, mediators=(dataclasses.replace(p.mediators[0], **changes),))


def _room(p: Problem, **changes) -> Problem:
    v = p.venues[0]
    return dataclasses.replace(
        p, venues=(dataclasses.replace(v, rooms=(dataclasses.replace(v.rooms[0], **changes),)),)
    )


def _moved(placement: Placement, day: datetime.date) -> Placement:
    return dataclasses.replace(
        placement,
        starts_at=datetime.datetime.combine(day, MORNING),
        ends_at=datetime.datetime.combine(day, datetime.time(12, 0)),
    )


BUSY = Interval(datetime.datetime(2027, 2, 8, 11, 0), datetime.datetime(2027, 2, 8, 13, 0))
EARLIER = Interval(datetime.datetime(2027, 2, 8, 14, 0), datetime.datetime(2027, 2, 8, 16, 0))

BROKEN: dict[str, Callable[[Problem, Placement], tuple[Problem, list[Placement]]]] = {
    "less than 5 working days' notice": lambda p, x: (p, [_moved(x, datetime.date(2027, 2, 5))]),
    "after its deadline": lambda p, x: (_case(p, deadline=datetime.date(2027, 2, 7)), [x]),
    "not a working day": lambda p, x: (p, [_moved(x, datetime.date(2027, 2, 13))]),
    "starts in the past": lambda p, x: (dataclasses.replace(p, now=datetime.datetime(2027, 2, 9)), [x]),
    "not independent": lambda p, x: (_mediator(p, excluded=frozenset({"E1"})), [x]),
    "lacks": lambda p, x: (_case(p, skills=frozenset({"health care"})), [x]),
    "does not work on": lambda p, x: (_mediator(p, leave=frozenset({FIRST})), [x]),
    "outside m1's hours": lambda p, x: (_mediator(p, from_time=datetime.time(10, 0)), [x]),
    "m1 is booked twice": lambda p, x: (_mediator(p, busy=(BUSY,)), [x]),
    "more than 1": lambda p, x: (_mediator(p, max_per_day=1, busy=(EARLIER,)), [x]),
    "does not travel to": lambda p, x: (_mediator(p, areas=frozenset({"E2"})), [x]),
    "no step-free access": lambda p, x: (
        dataclasses.replace(
            _case(p, step_free=True), venues=(dataclasses.replace(p.venues[0], step_free=False),)
        ),
        [x],
    ),
    "does not accept a meeting in_person": lambda p, x: (_case(p, formats=frozenset({ONLINE})), [x]),
    "a day or time the family cannot make": lambda p, x: (_case(p, weekdays=frozenset({1, 2})), [x]),
    "is not available then": lambda p, x: (_room(p, weekdays=frozenset({4})), [x]),
    "room 10 is booked twice": lambda p, x: (_room(p, busy=(BUSY,)), [x]),
    "the family (case C) is booked twice": lambda p, x: (_case(p, busy=(BUSY,)), [x]),
    "more than one meeting": lambda p, x: (p, [x, x]),
    "no room at": lambda p, x: (p, [dataclasses.replace(x, room=None)]),
    "without a venue": lambda p, x: (p, [dataclasses.replace(x, venue=None)]),
    "an online meeting with a venue": lambda p, x: (
        _case(p, formats=frozenset({ONLINE})),
        [dataclasses.replace(x, format=ONLINE)],
    ),
    "the family's journey is": lambda p, x: (p, [dataclasses.replace(x, family_km=7.0)]),
}


@pytest.mark.parametrize("words", sorted(BROKEN))
def test_the_validator_names_each_hard_rule_broken(words):
    p, placement = _one()
    broken_problem, placements = BROKEN[words](p, placement)
    found = validator.violations(broken_problem, placements)
    assert any(words in line for line in found), found


def test_the_validator_sees_two_cases_of_one_family_at_the_same_time():
    p = problem(
        [family("C1", 1, family="f"), family("C2", 1, family="f")],
        [mediator("m1"), mediator("m2")],
        [venue(1, 1, rooms=2)],
    )
    start, end = (
        datetime.datetime.combine(FIRST, MORNING),
        datetime.datetime.combine(FIRST, datetime.time(12)),
    )
    placements = [
        Placement("C1", start, end, IN_PERSON, "m1", 1, 10, 0.0),
        Placement("C2", start, end, IN_PERSON, "m2", 1, 11, 0.0),
    ]
    assert any("the family (f) is booked twice" in line for line in validator.violations(p, placements))


# --- properties on random small problems -----------------------------------------------------------


def _random_problem(rng: random.Random, *, cases: int, mediators: int, venues: int) -> Problem:
    def place() -> Place:
        return Place(
            Point(rng.randrange(0, 60_000), rng.randrange(0, 60_000)), rng.choice(("E1", "E2", "E3"))
        )

    return national_week(
        rng,
        homes=[place() for _ in range(cases)],
        venue_places=[place() for _ in range(venues)],
        mediator_homes=[place() for _ in range(mediators)],
        calendar=CALENDAR,
        today=MONDAY,
        working_days=12,
        travel_km=40,
        room_taken=0.3,
    )


small_problems = st.builds(
    lambda seed, cases, mediators, venues: _random_problem(
        random.Random(seed), cases=cases, mediators=mediators, venues=venues
    ),
    st.integers(0, 10**6),
    st.integers(1, 14),
    st.integers(1, 5),
    st.integers(1, 4),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems)
def test_every_proposal_passes_the_validator_and_keeps_what_the_greedy_rule_placed(p):
    greedy = solver.greedy(p)
    best = solver.propose(p, seconds=1, baseline=greedy)
    assert validator.violations(p, greedy.placements) == []
    assert validator.violations(p, best.placements) == []
    assert solver.in_time(greedy, p) <= solver.in_time(best, p)
    assert {u.case for u in best.unplaced} | best.placed() == {c.reference for c in p.cases}
    if best.placed() == greedy.placed():
        assert best.family_km <= greedy.family_km + 1e-6
    # Each placement's distance is rounded to a tenth of a kilometre, so allow that much each.
    for schedule in (greedy, best):
        bound = solver.family_travel_bound(p, schedule.placed())
        assert schedule.family_km >= bound - 0.05 * len(schedule.placements)


@settings(max_examples=25, deadline=None)
@given(small_problems, st.data())
def test_the_validator_rejects_a_proposal_moved_to_a_weekend(p, data):
    greedy = solver.greedy(p)
    if not greedy.placements:
        return
    victim = data.draw(st.sampled_from(greedy.placements))
    saturday = victim.starts_at.date() + datetime.timedelta(days=5 - victim.starts_at.weekday())
    moved = dataclasses.replace(
        victim,
        starts_at=datetime.datetime.combine(saturday, victim.starts_at.time()),
        ends_at=datetime.datetime.combine(saturday, victim.ends_at.time()),
    )
    others = [x for x in greedy.placements if x is not victim]
    assert any("not a working day" in line for line in validator.violations(p, [*others, moved]))


def test_sessions_are_on_working_days_only():
    slots = sessions(CALENDAR, first=datetime.date(2027, 3, 25), working_days=3)
    assert sorted({s.day for s in slots}) == [
        datetime.date(2027, 3, 25),
        datetime.date(2027, 3, 30),
        datetime.date(2027, 3, 31),
    ]


def test_the_scheduling_core_never_imports_django():
    code = (
        "import sys\n"
        "import sendmediation.meetings.scheduling.solver, sendmediation.meetings.scheduling.validator\n"
        "import sendmediation.meetings.scheduling.synthetic\n"
        "assert not any(name == 'django' or name.startswith('django.') for name in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
