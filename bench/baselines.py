"""The baseline for the solver on hub days: the textbook CP-SAT model (the single-dock baselines of
the OR-Library instances, the 1||sum wT model and EDD, are bench/single_dock.py).

The plain model is what DESIGN.md's solver notes call the textbook model: one optional interval per
(load, dock) with a presence literal, `add_no_overlap` per dock (dock blocked windows as fixed
intervals in the same list), crews and site capacity as cumulatives, tardiness by
`add_max_equality`, optionally hinted with another plan. Opening hours and hub/zone blocked windows
are folded into each (load, zone) start domain. It is exact but grows as loads x docks: the point
of measuring it.
First-come-first-served comes from the solver package.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ortools.sat.python import cp_model

from bench.cp_result import FirstSolution, cp_schedule
from hub_scheduler.domain import (
    Hub,
    HubStatus,
    Load,
    PlanStatus,
    ReasonCode,
    Scenario,
    Schedule,
    Unscheduled,
    Zone,
)
from hub_scheduler.facts import (
    assignment,
    disinfection_minutes,
    opening_minutes,
    pinned_position,
    relay_offset,
    slot_minutes,
    unscheduled_penalty,
)
from hub_scheduler.screening import failed_checks
from hub_scheduler.travel import travel_minutes
from hub_scheduler.verify.plan import plannable
from hub_scheduler.weights import load_weight


class ModelTooLarge(Exception):
    """The plain model would need more optional intervals than the caller allows."""


@dataclass
class _Option:
    """One (hub, zone) a load may go to: its start variable and one presence literal per dock."""

    hub: Hub
    zone: Zone
    disinfection: int
    start: cp_model.IntVar
    in_zone: cp_model.IntVar
    docks: dict[str, cp_model.IntVar]


class _StartGrid:
    """Feasible starts per (hub, zone, span length): grid, opening periods, hub and zone windows."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.cache: dict[tuple[str, str, int, int], list[int]] = {}
        self.opening = {
            h.id: opening_minutes(h, scenario) or [(0, scenario.horizon.minutes)]
            for h in scenario.hubs
        }

    def starts(self, hub: Hub, zone: Zone, handling: int, span: int) -> list[int]:
        key = (hub.id, zone.id, handling, span)
        if key not in self.cache:
            s = self.scenario
            windows = [
                (s.minutes(w.start), s.minutes(w.end))
                for w in hub.blocked
                if w.dock_id is None and (w.zone_id is None or w.zone_id == zone.id)
            ]
            slot = slot_minutes(hub, s)
            self.cache[key] = [
                t
                for t in range(0, s.horizon.minutes - span + 1, slot)
                if any(a <= t and t + span <= b for a, b in self.opening[hub.id])
                and not any(t < b and a < t + span for a, b in windows)
            ]
        return self.cache[key]


def ineligible_reason(scenario: Scenario, load: Load) -> Unscheduled | None:
    """H11 decided before modelling: white-list on the release date and entry screening."""
    enterprise = next((e for e in scenario.enterprises if e.id == load.enterprise_id), None)
    day = load.release.astimezone(ZoneInfo(scenario.timezone)).date()
    if enterprise is None or not enterprise.whitelisted_on(day):
        return Unscheduled(
            load_id=load.id,
            reason_code=ReasonCode.NOT_WHITELISTED,
            reason="enterprise not white-listed on the release date",
        )
    policy = scenario.settings.screening
    if policy.required or load.screening is not None:
        failed = failed_checks(load, policy, load.release)
        if failed:
            return Unscheduled(
                load_id=load.id,
                reason_code=ReasonCode.SCREENING_FAILED,
                reason=", ".join(f.code for f in failed),
            )
    return None


def _scale(scenario: Scenario) -> int:
    o = scenario.settings.objective
    numbers = [o.unscheduled_penalty or 0, o.waiting, o.stability, o.travel]
    return 1 if all(float(x).is_integer() for x in numbers) else 100


def plain_cp_sat(
    scenario: Scenario,
    time_limit_s: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    hint: Schedule | None = None,
    max_intervals: int | None = None,
) -> Schedule:
    """Solve with the textbook model; `kpis` carries first_feasible_s and the interval count."""
    built = time.perf_counter()
    s = scenario
    horizon = s.horizon.minutes
    o = s.settings.objective
    scale = _scale(s)
    penalty = unscheduled_penalty(s)
    enterprises = {e.id: e for e in s.enterprises}
    grid = _StartGrid(s)
    model = cp_model.CpModel()
    unscheduled: list[Unscheduled] = []
    options: dict[str, list[_Option]] = {}
    load_start: dict[str, cp_model.IntVar] = {}
    placed: dict[str, cp_model.IntVar] = {}
    dock_spans: dict[tuple[str, str], list] = {}
    zone_ops: dict[tuple[str, str], list] = {}
    hub_ops: dict[str, list] = {}
    objective: list = []
    n_intervals = 0
    loads = [ld for ld in s.loads if plannable(ld)]
    handling = {ld.id: ld.handling_minutes for ld in loads}

    for load in loads:
        w = load_weight(load, enterprises.get(load.enterprise_id))
        reason = ineligible_reason(s, load)
        if reason is not None:
            unscheduled.append(reason)
            objective.append(round(scale * penalty * w))  # S1 is paid whether or not it is modelled
            continue
        release = max(0, -(-int((load.release - s.horizon.start).total_seconds()) // 60))
        latest_end = horizon if load.deadline is None else min(horizon, s.minutes(load.deadline))
        pin = pinned_position(load, s)
        opts: list[_Option] = []
        for hub in s.hubs:
            if hub.status is not HubStatus.ACTIVE:
                continue
            if load.allowed_hubs is not None and hub.id not in load.allowed_hubs:
                continue
            if pin is not None and pin.hub_id != hub.id:
                continue
            for zone in hub.zones:
                if zone.temperature is not load.temperature:
                    continue
                docks = [d.id for d in zone.docks if pin is None or d.id == pin.dock_id]
                if not docks:
                    continue
                d = disinfection_minutes(load, zone, hub)
                starts = [
                    t
                    for t in grid.starts(
                        hub, zone, load.handling_minutes, load.handling_minutes + d
                    )
                    if t >= release and t + load.handling_minutes <= latest_end
                ]
                if pin is not None:
                    starts = [t for t in starts if t == s.minutes(pin.start)]
                if not starts:
                    continue
                tag = f"{load.id}@{hub.id}/{zone.id}"
                start = model.new_int_var_from_domain(
                    cp_model.Domain.from_values(starts), f"start[{tag}]"
                )
                presences = {dock: model.new_bool_var(f"on[{tag}/{dock}]") for dock in docks}
                in_zone = model.new_bool_var(f"in[{tag}]")
                model.add(sum(presences.values()) == in_zone)
                span = load.handling_minutes + d
                for dock, p in presences.items():
                    interval = model.new_optional_fixed_size_interval_var(
                        start, span, p, f"span[{tag}/{dock}]"
                    )
                    dock_spans.setdefault((hub.id, dock), []).append(interval)
                op = model.new_optional_fixed_size_interval_var(
                    start, load.handling_minutes, in_zone, f"op[{tag}]"
                )
                zone_ops.setdefault((hub.id, zone.id), []).append(op)
                hub_ops.setdefault(hub.id, []).append(op)
                n_intervals += len(presences) + 1
                minutes = travel_minutes(load.origin, hub.location)
                if o.travel and minutes:
                    objective.append(round(scale * o.travel * minutes) * in_zone)
                opts.append(_Option(hub, zone, d, start, in_zone, presences))
        if max_intervals is not None and n_intervals > max_intervals:
            raise ModelTooLarge(f"more than {max_intervals} optional intervals")
        is_placed = model.new_bool_var(f"placed[{load.id}]")
        model.add(sum(opt.in_zone for opt in opts) == is_placed)
        begin = model.new_int_var(0, horizon, f"begin[{load.id}]")
        for opt in opts:
            model.add(begin == opt.start).only_enforce_if(opt.in_zone)
        model.add(begin == min(release, horizon)).only_enforce_if(~is_placed)
        options[load.id], load_start[load.id], placed[load.id] = opts, begin, is_placed
        # Tardiness max(0, end - due); an unplaced load has lateness 0 (it pays S1 instead).
        due = s.minutes(load.due)
        late = model.new_int_var(-horizon - abs(due), horizon, f"late[{load.id}]")
        model.add(late == begin + load.handling_minutes - due).only_enforce_if(is_placed)
        model.add(late == 0).only_enforce_if(~is_placed)
        tardiness = model.new_int_var(0, horizon, f"tardiness[{load.id}]")
        model.add_max_equality(tardiness, [0, late])
        objective.append(scale * w * tardiness)
        objective.append(round(scale * penalty * w) * (1 - is_placed))
        if o.waiting:
            objective.append(round(scale * o.waiting * w) * (begin - release))
        if load.previous is not None and o.stability:
            kept = model.new_bool_var(f"kept[{load.id}]")
            prev = load.previous
            stays = [
                opt.docks[prev.dock_id]
                for opt in opts
                if opt.hub.id == prev.hub_id and prev.dock_id in opt.docks
            ]
            if stays:
                model.add_bool_or(stays).only_enforce_if(kept)
                model.add(begin == s.minutes(prev.start)).only_enforce_if(kept)
            else:
                model.add(kept == 0)
            objective.append(round(scale * o.stability) * (1 - kept))

    for t in s.transfers:
        if t.outbound not in options:
            continue
        inbound = {(opt.hub.id, opt.zone.id): opt for opt in options.get(t.inbound, [])}
        for out in options[t.outbound]:
            inb = inbound.get((out.hub.id, out.zone.id))
            if inb is None:
                model.add(out.in_zone == 0)
                continue
            model.add_implication(out.in_zone, inb.in_zone)
            gap = relay_offset(handling[t.inbound], inb.disinfection, t.min_gap_minutes)
            model.add(out.start >= inb.start + gap).only_enforce_if(out.in_zone)

    for hub in s.hubs:
        for w in hub.blocked:
            if w.dock_id is None:
                continue
            a, b = max(0, s.minutes(w.start)), min(horizon, s.minutes(w.end))
            if b > a and (hub.id, w.dock_id) in dock_spans:
                dock_spans[(hub.id, w.dock_id)].append(
                    model.new_fixed_size_interval_var(a, b - a, "blocked")
                )
    for intervals in dock_spans.values():
        model.add_no_overlap(intervals)
    for (hub_id, zone_id), ops in zone_ops.items():
        crews = s.hub(hub_id).zone(zone_id).crews
        if crews is not None:
            model.add_cumulative(ops, [1] * len(ops), crews)
    for hub_id, ops in hub_ops.items():
        cap = s.hub(hub_id).max_trucks_on_site
        if cap is not None:
            model.add_cumulative(ops, [1] * len(ops), cap)
    total = sum(objective)
    model.minimize(total)

    if hint is not None:
        _add_hint(model, s, hint, options, load_start, placed)

    solver = cp_model.CpSolver()
    remaining = max(0.1, time_limit_s - (time.perf_counter() - built))
    solver.parameters.max_time_in_seconds = remaining
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    callback = FirstSolution()
    status = solver.solve(model, callback)
    elapsed = time.perf_counter() - built
    kpis = {"intervals": n_intervals, "build_seconds": round(elapsed - solver.wall_time, 3)}
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Schedule(
            scenario=s.name,
            status=PlanStatus.UNKNOWN,
            solve_seconds=elapsed,
            unscheduled=unscheduled
            + [
                Unscheduled(
                    load_id=ld_id, reason_code=ReasonCode.CAPACITY, reason="no plan found in time"
                )
                for ld_id in options
            ],
            kpis={**kpis, "first_feasible_s": None},
        )
    assignments = []
    for load_id, opts in options.items():
        chosen = next(
            ((opt, dock) for opt in opts for dock, p in opt.docks.items() if solver.value(p)), None
        )
        if chosen is None:
            unscheduled.append(
                Unscheduled(
                    load_id=load_id,
                    reason_code=ReasonCode.CAPACITY,
                    reason="left out by the plain CP-SAT model",
                )
            )
            continue
        opt, dock = chosen
        where = (opt.hub.id, opt.zone.id, dock)
        start = s.moment(solver.value(opt.start))
        assignments.append(assignment(load_id, where, start, handling[load_id], opt.disinfection))
    # Evaluate the objective on the returned values: with a time limit CP-SAT 9.15 was seen here to
    # report an objective_value above the cost of the solution it returned (the verifier agreed).
    value, bound = solver.value(total) / scale, solver.best_objective_bound / scale
    first = None if callback.first is None else callback.first + (elapsed - solver.wall_time)
    return cp_schedule(
        s,
        status,
        value,
        bound,
        elapsed,
        assignments,
        unscheduled,
        {**kpis, "first_feasible_s": first},
    )


def _add_hint(
    model: cp_model.CpModel, s: Scenario, hint: Schedule, options, load_start, placed
) -> None:
    """Hint every variable from another plan (a load placed where the model cannot is hinted
    out)."""
    where = {a.load_id: a for a in hint.assignments}
    for load_id, opts in options.items():
        a = where.get(load_id)
        target = None
        if a is not None:
            target = next(
                (
                    opt
                    for opt in opts
                    if (opt.hub.id, opt.zone.id) == (a.hub_id, a.zone_id) and a.dock_id in opt.docks
                ),
                None,
            )
        for opt in opts:
            here = opt is target
            model.add_hint(opt.in_zone, int(here))
            for dock, p in opt.docks.items():
                model.add_hint(p, int(here and dock == a.dock_id))
            if here:
                model.add_hint(opt.start, s.minutes(a.start))
        model.add_hint(placed[load_id], int(target is not None))
        if target is not None:
            model.add_hint(load_start[load_id], s.minutes(a.start))
