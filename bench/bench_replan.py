"""Re-plan after an activation: standby hubs switched on, the busiest hub suspended.

    python -m bench.bench_replan --size county --time-limit 10 [--before]
    python -m bench.bench_replan --new-loads 1 --size demo --time-limit 5 --workers 1 --trials 5

The second form is the other scenario, a few new loads on a published day (how many published
trucks a re-plan moves): `bench/replan_new_loads.py`. `--before`: the activation re-plan as the
planner made it before it started from the plan in force (`without_in_force_start`).

A normal day is planned (one worker, a fixed work budget; `bench/reference.py`); then every standby
hub becomes active and the hub carrying the most loads is suspended; the day is re-planned with
`previous` set from the first plan, once with the stability term (S4, the scenario's weight per
moved load) and once without it (weight 0), and by first-come-first-served for reference. The
re-plan instance is read from `bench/data/instances/` when its reference run stored it there, so
the gap to the reference (`bench/data/references.json`) is measured on the very same instance.
Moves count loads whose hub, dock or start changed or that fell out of the plan; those that had
to move (they were at the suspended hub) are shown apart.
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import nullcontext

from bench.bench_days import barred_penalty
from bench.generate import generate
from bench.methods import METHODS
from bench.reference import INSTANCES, build, gap_percent, instance_key, reference_for
from bench.replan_new_loads import DAYS, run
from hub_scheduler.domain import HubStatus, Scenario, Schedule
from hub_scheduler.solver.in_force import without_in_force_start
from hub_scheduler.verify import verify


def moves(scenario: Scenario, schedule: Schedule, suspended: str) -> tuple[int, int]:
    """(loads that had to move: they were at the suspended hub; loads moved anyway)."""
    placed = {a.load_id: a for a in schedule.assignments}
    forced = unforced = 0
    for load in scenario.loads:
        prev = load.previous
        if prev is None:
            continue
        a = placed.get(load.id)
        if a is not None and (a.hub_id, a.dock_id, a.start) == (
            prev.hub_id,
            prev.dock_id,
            prev.start,
        ):
            continue
        if prev.hub_id == suspended:
            forced += 1
        else:
            unforced += 1
    return forced, unforced


def row(
    label: str,
    scenario: Scenario,
    schedule: Schedule,
    seconds: float,
    suspended: str,
    reference: float | None = None,
) -> str:
    """One table row; the gap to `reference` (bench/data/references.json) in percent of the
    objective and of what a plan can change (the objective less the S1 of barred loads)."""
    report = verify(scenario, schedule)
    forced, unforced = moves(scenario, schedule, suspended)
    without_s4 = report.objective - report.terms["S4"]
    left_out = len(scenario.loads) - len(schedule.assignments)
    verdict = "yes" if report.ok else "NO: " + " ".join(sorted(report.rules_broken()))
    gap = gap_percent(report.objective, reference)
    if gap is None or reference is None:
        gaps = "- | -"
    else:
        barred = barred_penalty(scenario)
        changeable = gap_percent(report.objective - barred, reference - barred)
        gaps = f"{gap:+.2f}% | {changeable:+.2f}%"
    return (
        f"| {label} | {len(schedule.assignments)} | {left_out} | {forced} | {unforced} "
        f"| {without_s4:,.0f} | {report.terms['S4']:,.0f} | {report.objective:,.0f} | {gaps} "
        f"| {seconds:.1f} | {verdict} |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=DAYS, default="county")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--stability",
        nargs="+",
        type=float,
        help="S4 weights to re-plan with (default: the scenario's, then 0)",
    )
    parser.add_argument(
        "--new-loads",
        type=int,
        help="instead: add this many new loads to the published day (bench/replan_new_loads.py)",
    )
    parser.add_argument("--trials", type=int, default=5, help="with --new-loads: how many")
    parser.add_argument(
        "--before",
        action="store_true",
        help="re-plan as before the in-force start (hub_scheduler/solver/in_force.py)",
    )
    args = parser.parse_args(argv)
    if args.new_loads:
        run(args.size, args.new_loads, args.trials, args.time_limit, args.workers, args.seed)
        return
    if args.size == "demo":
        parser.error("--size demo is for --new-loads (the activation scenario uses generated days)")
    with without_in_force_start() if args.before else nullcontext():
        activation(args)


def activation(args: argparse.Namespace) -> None:
    """The activation scenario (module docstring) with the parsed arguments."""
    solve = METHODS["ours"]

    # The re-plan instance as its reference was measured on (bench/data/instances), else built
    # from a normal day's plan made with one worker and a fixed work budget.
    scenario = generate(args.size, args.seed)
    key, after = build(f"replan-{args.size}", args.seed)
    suspended = next(
        h.id
        for h in after.hubs
        if h.status is HubStatus.SUSPENDED
        and next(g for g in scenario.hubs if g.id == h.id).status is not HubStatus.SUSPENDED
    )
    stability = after.settings.objective.stability
    rows = [
        "| plan | placed | not placed (incl. closed) | moved, forced | moved, not forced "
        "| objective without S4 | S4 | objective | gap to reference | gap, changeable part "
        "| time s | verified |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for weight in args.stability or [stability, 0.0]:
        label = f"re-plan, stability {weight:g}"
        variant = after.model_copy(deep=True)
        variant.settings.objective.stability = weight
        started = time.perf_counter()
        plan = solve(variant, args.time_limit, args.workers, args.seed)
        reference = reference_for(instance_key("replan", args.size, args.seed, weight), variant)
        rows.append(row(label, variant, plan, time.perf_counter() - started, suspended, reference))
        print(f"{label} done", file=sys.stderr, flush=True)
    started = time.perf_counter()
    plan = METHODS["fcfs"](after, args.time_limit, args.workers, args.seed)
    rows.append(
        row(
            "re-plan, first-come-first-served",
            after,
            plan,
            time.perf_counter() - started,
            suspended,
        )
    )
    activated = [h.id for h in scenario.hubs if h.status is HubStatus.STANDBY]
    print(
        f"Re-plan after activation: {args.size} day, seed {args.seed}, {args.time_limit:g} s, "
        f"{args.workers} worker(s); switched on {', '.join(activated)}, suspended {suspended}; "
        f"instance {key}"
        f"{' (stored)' if (INSTANCES / f'{key}.json.gz').exists() else ''}\n"
        "gap to reference: to the best verified plan of bench/reference.py for this instance "
        "(bench/data/references.json; '-' when none is stored)\n"
    )
    print("\n".join(rows))


if __name__ == "__main__":
    main()
