"""Propose meetings for the cases waiting: the CP-SAT optimiser, and the greedy rule it is measured
against.

Both read a ``Problem`` and return a ``Schedule``; neither touches the database. The optimiser
works in stages, each keeping what the one before achieved: first as many cases placed in time as
possible (never fewer than the greedy rule places, case by case), then the shortest total journey
for families, then for mediators, then the smallest number of meetings any one mediator has, then
every meeting as early as it can be. Each travel stage starts from its linear relaxation.

To keep the model small, each case is offered only its nearest few venues and, for each of those
venues, the nearest few mediators who may work there (plus online meetings when the family accepts
them, and whatever the greedy rule chose). The times are the problem's slots, which must not
overlap one another on a day.
"""

from __future__ import annotations

import datetime
import math
import time as clock
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from ortools.linear_solver.python import model_builder
from ortools.sat.python import cp_model
from ortools.sat.python.cp_model import LinearExpr

from sendmediation.meetings.scheduling.problem import (
    IN_PERSON,
    ONLINE,
    Alternative,
    CaseNeed,
    Interval,
    Mediator,
    Placement,
    Problem,
    Schedule,
    Slot,
    Unplaced,
    Venue,
    earliest_day,
    km_between,
)

VENUES_PER_CASE = 5
SLOTS_PER_VENUE = 8
MEDIATORS_PER_TIME = 2
# Distances go into the model in tenths of a kilometre.
TENTHS = 10
UNKNOWN_KM = 1000
# How the time given is shared: placing more cases (only when the greedy rule left some that the
# model could place), families' travel, mediators' travel, the busiest mediator's load, then
# holding meetings early. Each stage stops at its deterministic time (the same on every machine:
# its share, and whatever earlier stages left unused), or at twice that on the clock when the
# machine is busy, so a busy machine gives a proposal on time rather than a better one late.
SHARES = (0.1, 0.2, 0.3, 0.2, 0.2)
INTERLEAVE = True


# --- what fits: the solver's and the greedy rule's view (the validator has its own) ----------------


def _within(slot: Slot, start: datetime.time, until: datetime.time) -> bool:
    return slot.start >= start and slot.ends_at <= datetime.datetime.combine(slot.day, until)


def _clashes(busy: Iterable[Interval], slot: Slot) -> bool:
    return any(interval.overlaps(slot.starts_at, slot.ends_at) for interval in busy)


def _busy_on(busy: Iterable[Interval], day: datetime.date) -> int:
    return sum(1 for interval in busy if interval.starts_at.date() == day)


def mediator_works(mediator: Mediator, slot: Slot) -> bool:
    return (
        slot.day.weekday() in mediator.weekdays
        and slot.day not in mediator.leave
        and _within(slot, mediator.from_time, mediator.until_time)
        and not _clashes(mediator.busy, slot)
    )


def mediator_may_take(mediator: Mediator, case: CaseNeed) -> bool:
    return case.authority not in mediator.excluded and case.skills <= mediator.skills


def mediator_travels_to(mediator: Mediator, venue: Venue | None) -> bool:
    return venue is None or not mediator.areas or venue.authority in mediator.areas


def rooms_free(venue: Venue, slot: Slot) -> list[int]:
    return [
        room.key
        for room in venue.rooms
        if slot.day.weekday() in room.weekdays
        and _within(slot, room.from_time, room.until_time)
        and not _clashes(room.busy, slot)
    ]


@dataclass
class _Case:
    need: CaseNeed
    slots: list[int]
    # Venue positions, nearest first; None stands for an online meeting.
    venues: list[int | None]
    mediators: list[int]
    window: tuple[datetime.date, datetime.date | None]


def _family_slots(problem: Problem, case: CaseNeed, first: datetime.date, usable: list[int]) -> list[int]:
    chosen = []
    for index in usable:
        slot = problem.slots[index]
        if slot.day < first or (case.deadline is not None and slot.day > case.deadline):
            continue
        if slot.day.weekday() not in case.weekdays:
            continue
        if not _within(slot, case.from_time, case.until_time) or _clashes(case.busy, slot):
            continue
        chosen.append(index)
    return chosen


class _Prepared:
    """The facts both methods need, worked out once."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.cases: list[_Case] = []
        slots = problem.slots
        self.mediator_free = [
            {t for t, slot in enumerate(slots) if mediator_works(m, slot)} for m in problem.mediators
        ]
        self.mediator_room_for_day = [
            {day: m.max_per_day - _busy_on(m.busy, day) for day in {s.day for s in slots}}
            for m in problem.mediators
        ]
        self.rooms = [[rooms_free(v, slot) for slot in slots] for v in problem.venues]
        firsts = {
            agreed: earliest_day(problem.today, problem.calendar, short_notice_agreed=agreed)
            for agreed in (False, True)
        }
        usable = [
            t
            for t, slot in enumerate(slots)
            if slot.starts_at > problem.now and problem.calendar.is_working_day(slot.day)
        ]
        for need in problem.cases:
            first = firsts[need.short_notice_agreed]
            family_slots = _family_slots(problem, need, first, usable)
            self.cases.append(_Case(need, family_slots, [], [], (first, need.deadline)))

    def family_km(self, case: CaseNeed, venue: int | None) -> float | None:
        if venue is None:
            return 0.0
        return km_between(case.home, self.problem.venues[venue].place)

    def mediator_km(self, mediator: int, venue: int | None) -> float | None:
        if venue is None:
            return 0.0
        return km_between(self.problem.mediators[mediator].home, self.problem.venues[venue].place)

    def usable_venues(self, case: CaseNeed) -> list[int | None]:
        """Every way the case could meet, nearest first (online counts as no journey)."""
        found: list[tuple[float, str, int | None]] = []
        if ONLINE in case.formats:
            found.append((0.0, "", None))
        if IN_PERSON in case.formats:
            for position, venue in enumerate(self.problem.venues):
                if case.step_free and not venue.step_free:
                    continue
                km = self.family_km(case, position)
                found.append((math.inf if km is None else km, venue.name, position))
        found.sort(key=lambda row: (row[0], row[1], -1 if row[2] is None else row[2]))
        return [position for _, _, position in found]

    def able(self, case: CaseNeed) -> list[int]:
        return [i for i, m in enumerate(self.problem.mediators) if mediator_may_take(m, case)]


# --- the greedy rule -------------------------------------------------------------------------------


def _order(case: _Case) -> tuple[datetime.date, datetime.date, str]:
    return (case.need.deadline or datetime.date.max, case.window[0], case.need.reference)


def greedy(problem: Problem, *, prepared: _Prepared | None = None) -> Schedule:
    """Earliest deadline first; for each case the nearest venue with a room free at a time the
    family can make and some mediator is free, and the first such mediator (in the order given)."""
    started = clock.perf_counter()
    prepared = prepared or _Prepared(problem)
    room_taken: set[tuple[int, int, int]] = set()
    mediator_taken: set[tuple[int, int]] = set()
    per_day: dict[tuple[int, datetime.date], int] = defaultdict(int)
    family_taken: set[tuple[str, int]] = set()
    placements: list[Placement] = []
    unplaced: list[Unplaced] = []
    for case in sorted(prepared.cases, key=_order):
        need = case.need
        able = prepared.able(need)
        choice = None
        for venue in prepared.usable_venues(need):
            place = None if venue is None else problem.venues[venue]
            travelling = [m for m in able if mediator_travels_to(problem.mediators[m], place)]
            if not travelling:
                continue
            for t in case.slots:
                if need.family and (need.family, t) in family_taken:
                    continue
                room = None
                if venue is not None:
                    free = [r for r in prepared.rooms[venue][t] if (venue, r, t) not in room_taken]
                    if not free:
                        continue
                    room = free[0]
                day = problem.slots[t].day
                for m in travelling:
                    if (
                        t in prepared.mediator_free[m]
                        and (m, t) not in mediator_taken
                        and per_day[(m, day)] < prepared.mediator_room_for_day[m][day]
                    ):
                        choice = (venue, room, t, m)
                        break
                if choice:
                    break
            if choice:
                break
        if choice is None:
            unplaced.append(Unplaced(need.reference, _reason(prepared, case, crowded=True)))
            continue
        venue, room, t, m = choice
        if venue is not None and room is not None:
            room_taken.add((venue, room, t))
        mediator_taken.add((m, t))
        per_day[(m, problem.slots[t].day)] += 1
        if need.family:
            family_taken.add((need.family, t))
        placements.append(_placement(prepared, case, venue, room, t, m, why="The nearest venue free"))
    return Schedule(placements, unplaced, seconds=clock.perf_counter() - started, status="GREEDY")


def _placement(
    prepared: _Prepared, case: _Case, venue: int | None, room: int | None, t: int, m: int, *, why: str
) -> Placement:
    problem = prepared.problem
    slot = problem.slots[t]
    family_km = prepared.family_km(case.need, venue)
    mediator_km = prepared.mediator_km(m, venue)
    return Placement(
        case=case.need.reference,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        format=ONLINE if venue is None else IN_PERSON,
        mediator=problem.mediators[m].key,
        venue=None if venue is None else problem.venues[venue].key,
        room=room,
        family_km=None if family_km is None else round(family_km, 1),
        mediator_km=None if mediator_km is None else round(mediator_km, 1),
        why=why,
    )


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _reason(prepared: _Prepared, case: _Case, *, crowded: bool) -> str:
    """Why a case has no meeting, in words a coordinator can act on."""
    need = case.need
    first, deadline = case.window
    if deadline is not None and deadline < first:
        return (
            f"The meeting must be held by {_day(deadline)}, but with 5 working days' notice from today "
            f"the earliest day is {_day(first)}. Ask the family whether they agree to shorter notice, "
            "or record that the mediation cannot be held in time"
        )
    if not case.slots:
        return "No meeting time before the deadline suits the family's days and times"
    if not prepared.able(need):
        if need.skills:
            skills = ", ".join(sorted(need.skills))
            return f"No mediator with experience of {skills} is independent of this authority"
        return "No mediator is independent of this authority"
    if IN_PERSON in need.formats and ONLINE not in need.formats and not prepared.usable_venues(need):
        return "No venue open for bookings has step-free access"
    able = prepared.able(need)
    if not any(t in prepared.mediator_free[m] for m in able for t in case.slots):
        return "No suitable mediator works at a time the family can make before the deadline"
    if crowded:
        return (
            "Every suitable mediator, room or time before the deadline is taken by cases with earlier "
            "deadlines. Ask the family about other days or times, or about meeting online"
        )
    return "No suitable mediator, room and time before the deadline could be put together"


# --- the optimiser -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Option:
    """One way to hold a case's meeting: where (None: online), when, with whom."""

    venue: int | None
    slot: int
    mediator: int
    family_tenths: int
    mediator_tenths: int


def _spread(items: Sequence[int], most: int) -> list[int]:
    """At most ``most`` of ``items``, evenly spaced from the first to the last."""
    if len(items) <= most:
        return list(items)
    step = (len(items) - 1) / (most - 1)
    return sorted({items[round(i * step)] for i in range(most)})


def _tenths(km: float | None) -> int:
    """A distance as the model counts it. One not known (a postcode not found) counts as farther
    than anywhere in England, so that a venue whose distance is known is always preferred."""
    return UNKNOWN_KM * TENTHS if km is None else round(km * TENTHS)


def _options(prepared: _Prepared, case: _Case, chosen: tuple[int | None, int, int] | None) -> list[_Option]:
    """The case's nearest few venues; for each, a spread of the times it could be held there; for
    each time, the nearest mediators free who may take the case and travel there."""
    problem = prepared.problem
    need = case.need
    window = set(case.slots)
    able = [m for m in prepared.able(need) if not prepared.mediator_free[m].isdisjoint(window)]
    found: list[_Option] = []
    in_person = 0
    for venue in prepared.usable_venues(need):
        if in_person >= VENUES_PER_CASE:
            break
        place = None if venue is None else problem.venues[venue]
        travelling = [m for m in able if mediator_travels_to(problem.mediators[m], place)]
        if not travelling:
            continue
        if venue is not None:
            travelling.sort(key=lambda m: (prepared.mediator_km(m, venue) or math.inf, m))
        times = []
        for t in case.slots:
            if venue is not None and not prepared.rooms[venue][t]:
                continue
            day = problem.slots[t].day
            free = [
                m
                for m in travelling
                if t in prepared.mediator_free[m] and prepared.mediator_room_for_day[m][day] > 0
            ]
            if free:
                times.append((t, free[:MEDIATORS_PER_TIME]))
        if not times:
            continue
        in_person += venue is not None
        family = _tenths(prepared.family_km(need, venue))
        by_slot = dict(times)
        for t in _spread([t for t, _ in times], SLOTS_PER_VENUE):
            for m in by_slot[t]:
                found.append(_Option(venue, t, m, family, _tenths(prepared.mediator_km(m, venue))))
    if chosen is not None:
        venue, m, t = chosen
        option = _Option(
            venue, t, m, _tenths(prepared.family_km(need, venue)), _tenths(prepared.mediator_km(m, venue))
        )
        if option not in found:
            found.append(option)
    return found


def propose(
    problem: Problem,
    *,
    seconds: float = 20.0,
    workers: int = 2,
    seed: int = 1,
    baseline: Schedule | None = None,
) -> Schedule:
    """The optimiser's proposal. ``baseline`` (the greedy rule's, worked out here when not given)
    sets the floor: every case it places is placed. The same problem, seed and number of workers
    give the same proposal."""
    started = clock.perf_counter()
    prepared = _Prepared(problem)
    floor = baseline if baseline is not None else greedy(problem, prepared=prepared)
    mediator_position = {m.key: i for i, m in enumerate(problem.mediators)}
    venue_position = {v.key: i for i, v in enumerate(problem.venues)}
    slot_position = {slot.starts_at: t for t, slot in enumerate(problem.slots)}
    position = {case.need.reference: c for c, case in enumerate(prepared.cases)}
    start: dict[int, tuple[int | None, int, int]] = {}
    for placement in floor.placements:
        venue = None if placement.venue is None else venue_position[placement.venue]
        start[position[placement.case]] = (
            venue,
            mediator_position[placement.mediator],
            slot_position[placement.starts_at],
        )

    model = cp_model.CpModel()
    options: list[list[_Option]] = []
    chosen: list[list[cp_model.IntVar]] = []
    by_room_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    by_mediator_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    by_mediator_day: dict[tuple[int, datetime.date], list[cp_model.IntVar]] = defaultdict(list)
    by_family_slot: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    by_mediator: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    placing: list[tuple[cp_model.IntVar, int]] = []
    family_cost: list[tuple[cp_model.IntVar, int]] = []
    mediator_cost: list[tuple[cp_model.IntVar, int]] = []
    hints: dict[int, bool] = {}
    deadline_weight = len(prepared.cases) + 1
    more_to_place = False
    for c, case in enumerate(prepared.cases):
        ways = _options(prepared, case, start.get(c))
        options.append(ways)
        variables = []
        for option in ways:
            var = model.new_bool_var("")
            variables.append(var)
            hints[var.index] = start.get(c) == (option.venue, option.mediator, option.slot)
            if option.venue is not None:
                by_room_slot[(option.venue, option.slot)].append(var)
            if case.need.family:
                by_family_slot[(case.need.family, option.slot)].append(var)
            by_mediator_slot[(option.mediator, option.slot)].append(var)
            by_mediator_day[(option.mediator, problem.slots[option.slot].day)].append(var)
            by_mediator[option.mediator].append(var)
            if option.family_tenths:
                family_cost.append((var, option.family_tenths))
            if option.mediator_tenths:
                mediator_cost.append((var, option.mediator_tenths))
            placing.append((var, deadline_weight if case.need.deadline is not None else 1))
        chosen.append(variables)
        if not variables:
            continue
        if c in start:
            model.add_exactly_one(variables)  # never fewer than the greedy rule places
        else:
            model.add_at_most_one(variables)
            more_to_place = True

    for (v, t), items in by_room_slot.items():
        if len(items) > len(prepared.rooms[v][t]):
            model.add(LinearExpr.sum(items) <= len(prepared.rooms[v][t]))
    for items in by_mediator_slot.values():
        if len(items) > 1:
            model.add_at_most_one(items)
    for (m, day), items in by_mediator_day.items():
        if len(items) > prepared.mediator_room_for_day[m][day]:
            model.add(LinearExpr.sum(items) <= max(prepared.mediator_room_for_day[m][day], 0))
    for items in by_family_slot.values():
        if len(items) > 1:
            model.add_at_most_one(items)
    _hint(model, hints)

    def weighted(terms: list[tuple[cp_model.IntVar, int]]) -> cp_model.LinearExprT:
        return LinearExpr.weighted_sum([v for v, _ in terms], [w for _, w in terms])

    most = model.new_int_var(0, len(problem.slots), "most")
    for items in by_mediator.values():
        model.add(LinearExpr.sum(items) <= most)
    every = [var for variables in chosen for var in variables]
    by_index = {var.index: var for var in every}
    notes = [f"{len(every)} choices; built in {clock.perf_counter() - started:.1f} s"]

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.interleave_search = INTERLEAVE  # deterministic with more than one worker
    # Probing in presolve takes seconds on a model this size and finds little in an assignment.
    solver.parameters.cp_model_probing_level = 0
    solution: list[int] | None = None
    every_stage_optimal = True
    # Families' travel first, then mediators' travel, then the busiest mediator's load, then every
    # meeting as early as it can be.
    earlier = [
        (var, option.slot)
        for c, variables in enumerate(chosen)
        for option, var in zip(options[c], variables, strict=True)
    ]
    # (objective, maximise, share of the time, start from the linear relaxation)
    stages = [
        (weighted(placing), True, SHARES[0], False),
        (weighted(family_cost), False, SHARES[1], True),
        (weighted(mediator_cost), False, SHARES[2], True),
        (LinearExpr.sum([most]), False, SHARES[3], False),
        (weighted(earlier), False, SHARES[4], False),
    ]
    began = clock.perf_counter()
    # Deterministic time given to earlier stages and not used: a later stage may use it.
    spare = 0.0
    for number, (objective, maximise, share, relax) in enumerate(stages):
        if maximise and not more_to_place:
            spare += seconds * share
            continue  # the greedy rule already places every case that can be placed
        if maximise:
            model.maximize(objective)
        else:
            model.minimize(objective)
        later = sum(stage[2] for stage in stages[number + 1 :])
        clock_left = seconds * (1 - later) - (clock.perf_counter() - began)
        relaxed = _relaxed(model, seconds=clock_left) if relax else None
        if relaxed is not None:
            _hint(model, relaxed.values)
        clock_left = seconds * (1 - later) - (clock.perf_counter() - began)
        budget = max(seconds * share, 0.2) + spare
        solver.parameters.max_deterministic_time = budget
        solver.parameters.max_time_in_seconds = max(min(budget * 2, clock_left), 0.5)
        status = solver.solve(model)
        spare = max(budget - solver.deterministic_time, 0.0)
        value, bound = solver.objective_value, solver.best_objective_bound
        notes.append(
            f"{solver.status_name(status)} {value:.0f} (bound {bound:.0f}) in {solver.wall_time:.1f} s"
        )
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) and relaxed is not None:
            # Out of time before it had checked the relaxation's choices (a large model spends its
            # time in presolve): check them alone, every one fixed, which takes a moment.
            solver.parameters.fix_variables_to_their_hinted_value = True
            solver.parameters.max_deterministic_time = 1.0
            solver.parameters.max_time_in_seconds = 5.0
            status = solver.solve(model)
            solver.parameters.fix_variables_to_their_hinted_value = False
            notes.append(f"the relaxation's choices checked alone: {solver.status_name(status)}")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        value = round(solver.objective_value)
        # A whole optimum of the relaxation is the stage's optimum, whether or not CP-SAT proved it.
        proved = relaxed is not None and value == round(relaxed.objective)
        every_stage_optimal = every_stage_optimal and (status == cp_model.OPTIMAL or proved)
        model.add(objective >= value if maximise else objective <= value)
        if relaxed is not None and proved:
            ruled_out = [i for i in relaxed.ruled_out(value) if i in by_index]
            model.add_bool_and([by_index[i].Not() for i in ruled_out])
            notes.append(f"{len(ruled_out)} more choices ruled out")
        solution = list(solver.response_proto.solution)
        _hint(model, dict(enumerate(solution)))

    if solution is None:
        floor.notes.extend([*notes, "the optimiser found nothing better than the greedy rule"])
        return floor
    picked = {}
    for c, variables in enumerate(chosen):
        for option, var in zip(options[c], variables, strict=True):
            if solution[var.index]:
                picked[c] = option
    schedule = _read(prepared, picked)
    schedule.seconds = clock.perf_counter() - started
    schedule.status = "OPTIMAL" if every_stage_optimal else "FEASIBLE"
    schedule.notes = notes
    return schedule


@dataclass(frozen=True)
class _Relaxation:
    """A whole optimum of a stage's linear relaxation."""

    objective: float
    values: dict[int, int]
    # For each choice at 0 and not already fixed there: how much taking it would add to the
    # objective at least (its reduced cost).
    reduced: dict[int, float]

    def ruled_out(self, optimum: int) -> list[int]:
        """The choices no schedule keeping the objective at ``optimum`` can take: taking one would
        add more than the room between the relaxation's optimum and ``optimum``."""
        room = optimum - self.objective + 1e-6
        return [i for i, cost in self.reduced.items() if cost > room]


def _relaxed(model: cp_model.CpModel, *, seconds: float) -> _Relaxation | None:
    """The model's linear relaxation, solved with GLOP, when its optimum is whole; else None.

    Travel depends only on which venue each case meets at, and the rules are mostly "at most one
    of these", so the relaxation of a travel stage is usually whole already. A whole optimum of the
    relaxation is the model's optimum too; given to CP-SAT as its starting point, it is checked
    against every rule and proved optimal by CP-SAT's own bound, in a second where CP-SAT's search
    alone can take the whole time given. The reduced costs then rule out the choices that would
    make the objective worse than the optimum, which keeps the later stages small.
    """
    proto = model.proto
    objective = proto.objective
    if objective.offset or objective.scaling_factor not in (0, 1):
        return None  # a stage that maximises: only travel stages, which minimise, are relaxed
    bounds = [(v.domain[0], v.domain[len(v.domain) - 1]) for v in proto.variables]
    choices = [i for i, bound in enumerate(bounds) if bound == (0, 1)]
    for constraint in proto.constraints:
        if len(constraint.enforcement_literal):
            return None
        if constraint.has_bool_and():  # choices ruled out or required by an earlier stage
            for literal in constraint.bool_and.literals:
                i = literal if literal >= 0 else -literal - 1
                bounds[i] = (1, 1) if literal >= 0 else (0, 0)
    relaxation = model_builder.Model()
    values = [relaxation.new_num_var(lowest, highest, "") for lowest, highest in bounds]

    def literals(items: Sequence[int]) -> tuple[model_builder.LinearExprT, int]:
        """The sum of these literals, as variables and a constant (a negated literal is 1 - x)."""
        negated = [-i - 1 for i in items if i < 0]
        expression = model_builder.LinearExpr.weighted_sum(
            [values[i] for i in items if i >= 0] + [values[i] for i in negated],
            [1.0] * sum(1 for i in items if i >= 0) + [-1.0] * len(negated),
        )
        return expression, len(negated)

    for constraint in proto.constraints:
        if constraint.has_bool_and():
            continue
        if constraint.has_at_most_one():
            expression, constant = literals(constraint.at_most_one.literals)
            relaxation.add(expression <= 1 - constant)
        elif constraint.has_exactly_one():
            expression, constant = literals(constraint.exactly_one.literals)
            relaxation.add(expression == 1 - constant)
        elif constraint.has_linear():
            linear = constraint.linear
            lowest, highest = linear.domain[0], linear.domain[len(linear.domain) - 1]
            relaxation.add_linear_constraint(
                model_builder.LinearExpr.weighted_sum([values[i] for i in linear.vars], list(linear.coeffs)),
                lb=-math.inf if lowest <= cp_model.INT_MIN else lowest,
                ub=math.inf if highest >= cp_model.INT_MAX else highest,
            )
        else:
            return None
    terms = model_builder.LinearExpr.weighted_sum([values[i] for i in objective.vars], list(objective.coeffs))
    relaxation.minimize(terms)
    glop = model_builder.Solver("glop")
    glop.set_time_limit_in_seconds(max(seconds, 0.5))
    if glop.solve(relaxation) != model_builder.SolveStatus.OPTIMAL:
        return None
    found = glop.values(values).to_numpy()
    if any(min(found[i], 1 - found[i]) > 1e-6 for i in choices):
        return None
    reduced = glop.reduced_costs(values).to_numpy()
    return _Relaxation(
        objective=float(glop.objective_value),
        values={i: int(found[i] > 0.5) for i in choices},
        reduced={i: float(reduced[i]) for i in choices if found[i] < 0.5 and bounds[i] == (0, 1)},
    )


def _hint(model: cp_model.CpModel, values: Mapping[int, int]) -> None:
    """Set the model's starting point in one go (``add_hint`` one by one is slow for many)."""
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(list(values))
    hint.values.extend([int(value) for value in values.values()])


def _read(prepared: _Prepared, picked: dict[int, _Option]) -> Schedule:
    used_rooms: dict[tuple[int, int], list[int]] = defaultdict(list)
    placements = []
    for c, case in enumerate(prepared.cases):
        option = picked.get(c)
        if option is None:
            continue
        room = None
        if option.venue is not None:
            taken = used_rooms[(option.venue, option.slot)]
            room = next(r for r in prepared.rooms[option.venue][option.slot] if r not in taken)
            taken.append(room)
        why, alternatives = _why(prepared, case, option.venue)
        placement = _placement(prepared, case, option.venue, room, option.slot, option.mediator, why=why)
        placements.append(replace(placement, alternatives=alternatives))
    unplaced = [
        Unplaced(case.need.reference, _reason(prepared, case, crowded=True))
        for c, case in enumerate(prepared.cases)
        if c not in picked
    ]
    return Schedule(placements, unplaced)


def _why(prepared: _Prepared, case: _Case, venue: int | None) -> tuple[str, tuple[Alternative, ...]]:
    problem = prepared.problem
    options = [v for v in prepared.usable_venues(case.need) if v is not None][:4]
    alternatives = tuple(
        Alternative(problem.venues[v].name, _rounded(prepared.family_km(case.need, v)))
        for v in options
        if v != venue
    )[:3]
    if venue is None:
        return "Online, as the family accepts: nobody travels", alternatives
    km = _rounded(prepared.family_km(case.need, venue))
    far = "distance not known" if km is None else f"{km:.1f} km from the family"
    name = problem.venues[venue].name
    nearer = [v for v in options if v != venue and (prepared.family_km(case.need, v) or 0) < (km or 0)]
    if not nearer:
        return f"{name} is the nearest suitable venue, {far}", alternatives
    return (
        f"{name}, {far}: nearer venues had no room and mediator free at a time the family can make, "
        "or were needed by families with less choice",
        alternatives,
    )


def _rounded(km: float | None) -> float | None:
    return None if km is None else round(km, 1)


def family_travel_bound(problem: Problem, references: set[str]) -> float:
    """No schedule placing these cases can make families travel less than this.

    Each family is counted at its nearest way of meeting that its own diary allows on its own: a
    suitable venue (or online, when they accept it) with a room free at one of the problem's times
    that the family can make before the deadline, and a mediator free then who may take the case,
    travels there and has a meeting to spare that day. Every other family is ignored, so rooms and
    mediators are never short; a real schedule can only do as well or worse. A distance not known
    counts as nothing, as it does in a schedule's total.
    """
    prepared = _Prepared(problem)
    total = 0.0
    for case in prepared.cases:
        if case.need.reference not in references:
            continue
        able = prepared.able(case.need)

        def possible(venue: int | None, case: _Case = case, able: list[int] = able) -> bool:
            place = None if venue is None else problem.venues[venue]
            travelling = [m for m in able if mediator_travels_to(problem.mediators[m], place)]
            return any(
                (venue is None or prepared.rooms[venue][t])
                and any(
                    t in prepared.mediator_free[m]
                    and prepared.mediator_room_for_day[m][problem.slots[t].day] > 0
                    for m in travelling
                )
                for t in case.slots
            )

        ways = prepared.usable_venues(case.need)  # nearest first; distances not known last
        nearest = next((way for way in ways if possible(way)), None)
        km = None if nearest is None else prepared.family_km(case.need, nearest)
        if km and any(prepared.family_km(case.need, way) is None and possible(way) for way in ways):
            km = 0.0
        total += km or 0.0
    return total


def in_time(schedule: Schedule, problem: Problem) -> set[str]:
    """The cases whose proposed meeting is on or before their deadline (any day, when they have none)."""
    deadlines = {case.reference: case.deadline for case in problem.cases}
    return {
        p.case
        for p in schedule.placements
        if deadlines.get(p.case) is None or p.starts_at.date() <= (deadlines[p.case] or datetime.date.max)
    }


__all__: Sequence[str] = ["family_travel_bound", "greedy", "in_time", "propose"]
