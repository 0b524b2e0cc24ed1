"""The per-dock sequence search side by side: the planner with it and without it, same run.

    python -m bench.bench_docks --instances county city replan --time-limit 10 2 --seeds 1 2 3
    python -m bench.bench_docks --instances county county@2 replan --time-limit 10 --variants after

For every instance (a generated day, or the re-plan after activation of `bench/reference.py`),
time limit and solver seed, the planner runs with one worker twice: `before` (the dock search off,
`improve.use_dock_search(0)`; the restarts and the dock-run ejection stay on) and `after` (the
default). The table
gives per instance, limit and variant the median verified objective over the seeds, the median
gap to the stored reference (`bench/data/references.json`) of the whole objective and of the part
a plan can change (less the S1 of loads barred everywhere), the median wall time and the seeds
whose search the clock cut short (`search_cut_by_clock`: then the plan is not the work budget's).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from bench.bench_days import barred_penalty
from bench.reference import build, gap_percent, reference_for
from hub_scheduler.domain import Scenario
from hub_scheduler.solver import solve
from hub_scheduler.solver.improve import DOCK_SHARE, use_dock_search
from hub_scheduler.verify import verify

VARIANTS = {"before": 0.0, "after": DOCK_SHARE}


def _fmt(value: float | None, spec: str, unit: str = "") -> str:
    return "-" if value is None else format(value, spec) + unit


def table(rows: list[dict], scenarios: dict[str, Scenario]) -> str:
    """The markdown table of raw rows (one per instance, limit, variant), gaps against the
    references stored now."""
    lines = [
        "| instance | limit | variant | median objective | objectives by seed | gap to reference "
        "| gap, changeable part | median time s | cut by clock | verified |",
        "| --- | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        scenario = scenarios[r["key"]]
        reference = reference_for(r["key"], scenario)
        barred = barred_penalty(scenario)
        median = statistics.median(r["objectives"])
        gap = gap_percent(median, reference)
        changeable = None if reference is None else gap_percent(median - barred, reference - barred)
        lines.append(
            f"| {r['key']} | {r['limit']:g} s | {r['variant']} | {median:,.0f} "
            f"| {' / '.join(f'{o:,.0f}' for o in r['objectives'])} | {_fmt(gap, '+.2f', '%')} "
            f"| {_fmt(changeable, '+.2f', '%')} | {statistics.median(r['seconds']):.1f} "
            f"| {r['cut']}/{len(r['objectives'])} | {'yes' if r['verified'] else 'NO'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--instances",
        nargs="+",
        default=["county", "county@2", "city", "replan"],
        help="as bench.reference: county, city, replan, <name>@<generator seed>",
    )
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--time-limit", nargs="+", type=float, default=[10.0, 2.0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument("--gen-seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the raw rows here")
    parser.add_argument("--render", type=Path, help="print the table of a saved --json run")
    args = parser.parse_args(argv)
    if args.render:
        rows = json.loads(args.render.read_text(encoding="utf-8"))
        names = dict.fromkeys(r["name"] for r in rows)
        scenarios = dict(build(name, args.gen_seed) for name in names)
        print(table(rows, scenarios))
        return
    rows: list[dict] = []
    scenarios: dict[str, Scenario] = {}
    for name in args.instances:
        key, scenario = build(name, args.gen_seed)
        scenarios[key] = scenario
        for limit in args.time_limit:
            for variant in args.variants:
                share = VARIANTS[variant]
                row = {"name": name, "key": key, "limit": limit, "variant": variant}
                row |= {"objectives": [], "seconds": [], "cut": 0, "verified": True}
                for seed in args.seeds:
                    with use_dock_search(share):
                        started = time.perf_counter()
                        plan = solve(scenario, time_limit_s=limit, workers=1, seed=seed)
                        row["seconds"].append(time.perf_counter() - started)
                    report = verify(scenario, plan)
                    row["verified"] = row["verified"] and report.ok
                    row["objectives"].append(report.objective)
                    row["cut"] += bool(plan.kpis.get("search_cut_by_clock"))
                    print(
                        f"{key} {limit:g} s {variant} seed {seed}: {report.objective:,.0f}",
                        file=sys.stderr,
                        flush=True,
                    )
                rows.append(row)
                if args.json:
                    args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(f"Dock search before/after, 1 worker, generator seed {args.gen_seed}\n")
    print(table(rows, scenarios))


if __name__ == "__main__":
    main()
