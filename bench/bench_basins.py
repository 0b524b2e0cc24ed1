"""The 10 s plan as an idle machine makes it: each seed's work-bounded search, never cut short.

    python -m bench.bench_basins --instances county county@2 replan --seeds 1 2 3 4 5

`bench_docks` runs the planner at its time limit, so on a loaded machine the clock may end the
search before its work budget (`cut by clock`) and the plan is then not the seed's. Here each run
gets the work budget a 10 s limit gives a 300-load day with one worker (`--work`: 70% of 9.39 s at
`improve.QUERIES_PER_SECOND`) and a generous wall limit, so the plan is the one any machine fast
enough makes; which basin a seed's search ends in (which loads a tight zone leaves out) is read
from these. Every plan is verified; gaps are to `bench/data/references.json`.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from bench.reference import build, gap_percent, reference_for
from hub_scheduler.solver import solve
from hub_scheduler.verify import verify

# solve()'s search share of a 10 s limit on a 300-load day: (10 - 0.11 s read-out - 0.5 s) * 0.7
# seconds at 20,000 earliest-fit queries a second.
TEN_SECONDS_OF_WORK = 131_460


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", nargs="+", default=["county", "county@2", "replan"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3, 4, 5])
    parser.add_argument("--work", type=int, default=TEN_SECONDS_OF_WORK)
    parser.add_argument("--gen-seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(
        "| instance | work | objectives by seed | gap by seed | median gap | worst gap "
        "| cut by clock | verified |\n| --- | ---: | --- | --- | ---: | ---: | ---: | --- |"
    )
    for name in args.instances:
        key, scenario = build(name, args.gen_seed)
        reference = reference_for(key, scenario)
        objectives, gaps, cut, ok = [], [], 0, True
        for seed in args.seeds:
            plan = solve(scenario, time_limit_s=300, workers=1, seed=seed, work_budget=args.work)
            report = verify(scenario, plan)
            ok = ok and report.ok
            cut += bool(plan.kpis.get("search_cut_by_clock"))
            objectives.append(report.objective)
            gaps.append(gap_percent(report.objective, reference))
            print(f"{key} seed {seed}: {report.objective:,.0f}", file=sys.stderr, flush=True)
        shown = [g for g in gaps if g is not None]
        print(
            f"| {key} | {args.work:,} | {' / '.join(f'{o:,.0f}' for o in objectives)} "
            f"| {' / '.join(f'{g:+.2f}%' for g in shown) or '-'} "
            f"| {f'{statistics.median(shown):+.2f}%' if shown else '-'} "
            f"| {f'{max(shown):+.2f}%' if shown else '-'} | {cut}/{len(args.seeds)} "
            f"| {'yes' if ok else 'NO'} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
