"""OR-Library weighted tardiness, side by side: mean gap to the optimum, count at it, median time.

    python -m bench.bench_orlib --sets wt40 wt50 wt100 --time-limit 10 --every 5
    python -m bench.bench_orlib --sets wt100 --time-limit 2 --workers 1 --jobs 2 \
        --methods ours ours-previous

"ours" is the planner as shipped (iterated dynasearch on a single dock), "ours-previous" the same
planner with the previous single-dock engine (iterated insertion and swap search). `--jobs N` runs N
instances at once in separate processes (give each its own core: the limit is wall time).

Every plan is checked by the independent verifier and its objective recomputed there (the value a
method reports is not trusted). The gap of an instance is (objective - best) / best, averaged over
the instances whose best value is above 0 (as Crauwels, Potts and Van Wassenhove do); "at optimum"
counts every instance whose objective equals the optimal (or best known) value. "Time to best" is
when the planner first reported an objective at the best known value (its progress callback), the
median over the instances; "-" when more than half never got there.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.orlib import DEFAULT_DIR, SETS, read_set, to_scenario
from bench.single_dock import edd, plain_single_machine
from hub_scheduler.verify import verify


def _ours_with(engine: str):
    def method(scenario, time_limit_s, workers, seed, progress=None):
        from hub_scheduler.solver import solve
        from hub_scheduler.solver.single_machine import use_engine

        with use_engine(engine):
            return solve(
                scenario, time_limit_s=time_limit_s, workers=workers, seed=seed, progress=progress
            )

    return method


# On one machine the textbook model is one interval per job, one no-overlap, tardiness by max.
METHODS = {
    "ours": _ours_with("dynasearch"),
    "ours-previous": _ours_with("previous"),
    "plain": lambda s, t, w, seed: plain_single_machine(s, t, w, seed),
    "plain+edd-hint": lambda s, t, w, seed: plain_single_machine(s, t, w, seed, hint=edd(s)),
    "edd": lambda s, t, w, seed: edd(s),
}


@functools.cache
def _instances(set_name: str, directory: Path):
    return read_set(set_name, directory)


def run_one(set_name: str, index: int, method: str, args: argparse.Namespace) -> dict:
    """Plan one instance with one method; the verifier's objective and when the best was reached."""
    instance = _instances(set_name, args.dir)[index]
    scenario = to_scenario(instance)
    seen: list[dict] = []
    started = time.perf_counter()
    if method.startswith("ours"):
        schedule = METHODS[method](
            scenario, args.time_limit, args.workers, args.seed, progress=seen.append
        )
    else:
        schedule = METHODS[method](scenario, args.time_limit, args.workers, args.seed)
    seconds = time.perf_counter() - started
    report = verify(scenario, schedule)
    reached = next((p["elapsed_s"] for p in seen if p["objective"] <= instance.best), None)
    if reached is None and report.objective <= instance.best:
        reached = seconds  # a method without progress reports: only its end is known
    return {
        "set": set_name,
        "instance": instance.name,
        "method": method,
        "best": instance.best,
        "objective": report.objective,
        "seconds": seconds,
        "reached_s": reached,
        "verified": report.ok,
        "violations": [v.text for v in report.violations[:3]],
        "kpis": {
            k: schedule.kpis.get(k)
            for k in (
                "search_engine",
                "search_iterations",
                "move_evaluations",
                "search_cut_by_clock",
            )
        },
    }


def run(args: argparse.Namespace) -> list[dict]:
    tasks = []
    for set_name in args.sets:
        count = len(_instances(set_name, args.dir))
        indices = range(count)[args.offset :: args.every]
        if args.only:
            indices = [k - 1 for k in args.only if 1 <= k <= count]
        for index in indices:
            for method in args.methods:
                tasks.append((set_name, index, method))
    rows = []

    def show(row: dict) -> None:
        rows.append(row)
        print(
            f"{row['instance']:>10} {row['method']:>16} {row['objective']:>10.0f} "
            f"best {row['best']:>8} {row['seconds']:6.2f}s "
            f"{'ok' if row['verified'] else 'NOT VERIFIED'}",
            file=sys.stderr,
            flush=True,
        )

    if args.jobs <= 1:
        for task in tasks:
            show(run_one(*task, args))
    else:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            for row in pool.map(run_one, *zip(*tasks, strict=True), [args] * len(tasks)):
                show(row)
    return rows


def _median_time_to_best(rows: list[dict]) -> str:
    times = sorted(math.inf if r["reached_s"] is None else r["reached_s"] for r in rows)
    middle = statistics.median(times) if times else math.inf
    return "-" if math.isinf(middle) else f"{middle:.2f}"


def table(rows: list[dict], methods: list[str], sets: list[str]) -> str:
    lines = [
        "| set | instances | method | mean gap % (best > 0) | max gap % | at optimum "
        "| median time to best s | median time s | verified | search cut by clock |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for set_name in sets:
        for method in methods:
            mine = [r for r in rows if r["set"] == set_name and r["method"] == method]
            if not mine:
                continue
            gaps = [100 * (r["objective"] - r["best"]) / r["best"] for r in mine if r["best"] > 0]
            at_opt = sum(r["objective"] <= r["best"] for r in mine)
            lines.append(
                f"| {set_name} | {len(mine)} | {method} "
                f"| {statistics.fmean(gaps) if gaps else 0:.3f} "
                f"| {max(gaps) if gaps else 0:.2f} | {at_opt}/{len(mine)} "
                f"| {_median_time_to_best(mine)} "
                f"| {statistics.median(r['seconds'] for r in mine):.2f} "
                f"| {sum(r['verified'] for r in mine)}/{len(mine)} "
                f"| {sum(bool(r['kpis'].get('search_cut_by_clock')) for r in mine)}/{len(mine)} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sets", nargs="+", choices=sorted(SETS), default=["wt40", "wt50", "wt100"]
    )
    parser.add_argument(
        "--time-limit", type=float, default=10.0, help="seconds per instance and method"
    )
    parser.add_argument("--every", type=int, default=1, help="take every K-th instance")
    parser.add_argument("--offset", type=int, default=0, help="start at this instance (0-based)")
    parser.add_argument(
        "--only",
        type=int,
        nargs="+",
        metavar="K",
        help="only these instances, numbered from 1 as OR-Library does (e.g. wt100-19: 19)",
    )
    parser.add_argument(
        "--methods",
        nargs="+",
        choices=sorted(METHODS),
        default=["ours", "ours-previous", "plain", "edd"],
    )
    parser.add_argument("--workers", type=int, default=2, help="solver workers per instance")
    parser.add_argument(
        "--jobs", type=int, default=1, help="instances planned at once, each in its own process"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="the orlib-wt folder")
    parser.add_argument("--json", type=Path, help="also write every row here")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    rows = run(args)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    chosen = (
        f"instances {' '.join(map(str, args.only))}"
        if args.only
        else f"every {args.every}th instance from #{args.offset + 1}"
    )
    print(
        f"OR-Library weighted tardiness: {chosen}, "
        f"{args.time_limit:g} s limit, {args.workers} worker(s), {args.jobs} at once, "
        f"seed {args.seed}; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, {os.cpu_count()} cores\n"
    )
    print(table(rows, args.methods, args.sets))


if __name__ == "__main__":
    main()
