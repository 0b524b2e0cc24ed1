"""Re-plan after a few new loads: how many published trucks move (`bench_replan.py --new-loads`).

    python -m bench.bench_replan --new-loads 1 --size demo --time-limit 5 --workers 1 --trials 5

The day (`demo`: the Xunwu demo day of `serve --demo`, 200 loads at 4 hubs; or a generated size)
is planned once and that plan is published: every load it placed gets it as `previous`. Each trial
then adds N new loads (copies of N loads of the day picked at random, new ids) and re-plans twice
with the scenario's stability weight: as the planner does now (from the plan in force,
`hub_scheduler/solver/in_force.py`) and as it did before (`without_in_force_start`). Moved:
published trucks whose hub, dock or start changed or that lost their slot; the objective without
S4 is what the plan costs its trucks (lateness, left out), the S4 part what the moves cost; "put
in by a repair" how many new loads `in_force.insert_into_plan_in_force` placed; "cut by the clock"
whether the clock, not the work budget, ended the sticky phase or the search (one worker: then the
machine's load changed the plan, and a run may differ from the next).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections.abc import Callable

from bench.day_shape import SIZES
from bench.generate import generate
from hub_scheduler.data import demo_scenario
from hub_scheduler.domain import Position, Scenario, Schedule
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.solver import solve
from hub_scheduler.solver.in_force import without_in_force_start
from hub_scheduler.verify import verify

DAYS = ["demo", *SIZES]


def day(size: str, seed: int) -> Scenario:
    """The demo day, or the generated day of `size` and `seed`."""
    if size == "demo":
        return parse_scenario(json.loads(demo_scenario().read_text(encoding="utf-8")))
    return generate(size, seed)


def published(scenario: Scenario, plan: Schedule) -> Scenario:
    """The scenario with each placed load's slot in `plan` as its `previous` (the plan in force)."""
    at = {a.load_id: a for a in plan.assignments}
    loads = [
        ld.model_copy(
            update={"previous": Position(hub_id=a.hub_id, dock_id=a.dock_id, start=a.start)}
        )
        if (a := at.get(ld.id)) is not None
        else ld
        for ld in scenario.loads
    ]
    return scenario.model_copy(update={"loads": loads})


def with_new_loads(scenario: Scenario, count: int, trial: int) -> Scenario:
    """`count` copies (new ids, no previous position, no relay) of loads picked at random."""
    rng = random.Random(f"new-loads/{scenario.name}/{trial}")
    picked = rng.sample(scenario.loads, count)
    new = [
        ld.model_copy(update={"id": f"NEW{trial}-{i}", "previous": None, "pinned": None})
        for i, ld in enumerate(picked)
    ]
    return scenario.model_copy(update={"loads": [*scenario.loads, *new]})


def measure(scenario: Scenario, plan: Schedule) -> dict[str, float]:
    """Moved published trucks (all, across hubs), new loads placed, objective parts; verified."""
    report = verify(scenario, plan)
    assert report.ok, sorted(report.rules_broken())  # every plan goes through the verifier
    at = {a.load_id: a for a in plan.assignments}
    moved = across = new = 0
    for ld in scenario.loads:
        a, prev = at.get(ld.id), ld.previous
        if prev is None:
            new += a is not None
        elif a is None or (a.hub_id, a.dock_id, a.start) != (prev.hub_id, prev.dock_id, prev.start):
            moved += 1
            across += a is None or a.hub_id != prev.hub_id
    kpis = plan.kpis
    sticky = kpis.get("sticky_search") or {}
    return {
        # With one worker: did the clock (the machine's load), not the work budget, end the
        # sticky phase or the search? Then the plan may differ from run to run.
        "cut": bool(sticky.get("cut_by_clock") or kpis.get("search_cut_by_clock")),
        "inserted": kpis.get("in_force_inserted", 0),
        "moved": moved,
        "across": across,
        "new": new,
        "without_s4": report.objective - report.terms["S4"],
        "s4": report.terms["S4"],
        "objective": report.objective,
    }


def run(size: str, count: int, trials: int, limit: float, workers: int, seed: int) -> None:
    """Print one row per trial and way, then the summary (module docstring)."""
    base = day(size, seed)
    in_force = published(base, solve(base, time_limit_s=limit, workers=workers, seed=seed))
    ways: dict[str, Callable[[Scenario], Schedule]] = {
        "from the plan in force": lambda s: solve(
            s, time_limit_s=limit, workers=workers, seed=seed
        ),
    }

    def before(s: Scenario) -> Schedule:
        with without_in_force_start():
            return solve(s, time_limit_s=limit, workers=workers, seed=seed)

    ways["before (priority orders)"] = before
    rows = [
        "| trial | re-plan | moved | across hubs | new placed | objective without S4 | S4 "
        "| objective | time s | put in by a repair | cut by the clock |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    found: dict[str, list[dict[str, float]]] = {name: [] for name in ways}
    for trial in range(trials):
        scenario = with_new_loads(in_force, count, trial)
        for name, plan in ways.items():
            started = time.perf_counter()
            m = measure(scenario, plan(scenario))
            found[name].append(m)
            rows.append(
                f"| {trial} | {name} | {m['moved']:.0f} | {m['across']:.0f} | {m['new']:.0f}/"
                f"{count} | {m['without_s4']:,.0f} | {m['s4']:,.0f} | {m['objective']:,.0f} "
                f"| {time.perf_counter() - started:.1f} | {m['inserted']:.0f} "
                f"| {'yes' if m['cut'] else 'no'} |"
            )
        print(f"trial {trial} done", file=sys.stderr, flush=True)
    print(
        f"Re-plan after {count} new load(s): {size} day, seed {seed}, {limit:g} s, "
        f"{workers} worker(s), {trials} trial(s), {len(base.loads)} loads, stability weight "
        f"{base.settings.objective.stability:g}\n"
    )
    print("\n".join(rows))
    print(
        "\n| re-plan | moved, median | moved, max | objective without S4, mean "
        "| objective, mean |\n| --- | ---: | ---: | ---: | ---: |"
    )
    for name, ms in found.items():
        print(
            f"| {name} | {statistics.median(m['moved'] for m in ms):g} "
            f"| {max(m['moved'] for m in ms):.0f} "
            f"| {statistics.fmean(m['without_s4'] for m in ms):,.0f} "
            f"| {statistics.fmean(m['objective'] for m in ms):,.0f} |"
        )
