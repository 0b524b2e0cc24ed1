"""OR-Library weighted tardiness, side by side: mean gap to the optimum, count at it, median time.

    python -m bench.bench_orlib --sets wt40 wt50 wt100 --time-limit 10 --every 5

Every plan is checked by the independent verifier and its objective recomputed there (the value a
method reports is not trusted). The gap of an instance is (objective - best) / best, averaged over
the instances whose best value is above 0 (as Crauwels, Potts and Van Wassenhove do); "at optimum"
counts every instance whose objective equals the optimal (or best known) value.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from bench.baselines import edd, plain_single_machine
from bench.methods import ours
from bench.orlib import DEFAULT_DIR, SETS, read_set, to_scenario
from hub_scheduler.verify import verify

# On one machine the textbook model is one interval per job, one no-overlap, tardiness by max.
METHODS = {
    "ours": ours,
    "plain": lambda s, t, w, seed: plain_single_machine(s, t, w, seed),
    "plain+edd-hint": lambda s, t, w, seed: plain_single_machine(s, t, w, seed, hint=edd(s)),
    "edd": lambda s, t, w, seed: edd(s),
}


def run(args: argparse.Namespace) -> list[dict]:
    rows = []
    for set_name in args.sets:
        instances = read_set(set_name, args.dir)[args.offset :: args.every]
        for instance in instances:
            scenario = to_scenario(instance)
            for method in args.methods:
                started = time.perf_counter()
                schedule = METHODS[method](scenario, args.time_limit, args.workers, args.seed)
                seconds = time.perf_counter() - started
                report = verify(scenario, schedule)
                rows.append(
                    {
                        "set": set_name,
                        "instance": instance.name,
                        "method": method,
                        "best": instance.best,
                        "objective": report.objective,
                        "seconds": seconds,
                        "verified": report.ok,
                        "violations": [v.message for v in report.violations[:3]],
                    }
                )
                print(
                    f"{instance.name:>10} {method:>16} {report.objective:>10.0f} best {instance.best:>8} "
                    f"{seconds:6.2f}s {'ok' if report.ok else 'NOT VERIFIED'}",
                    file=sys.stderr,
                    flush=True,
                )
    return rows


def table(rows: list[dict], methods: list[str], sets: list[str]) -> str:
    lines = [
        "| set | instances | method | mean gap % (best > 0) | max gap % | at optimum | median time s | verified |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for set_name in sets:
        for method in methods:
            mine = [r for r in rows if r["set"] == set_name and r["method"] == method]
            if not mine:
                continue
            gaps = [100 * (r["objective"] - r["best"]) / r["best"] for r in mine if r["best"] > 0]
            at_opt = sum(r["objective"] <= r["best"] for r in mine)
            lines.append(
                f"| {set_name} | {len(mine)} | {method} | {statistics.fmean(gaps) if gaps else 0:.3f} "
                f"| {max(gaps) if gaps else 0:.2f} | {at_opt}/{len(mine)} "
                f"| {statistics.median(r['seconds'] for r in mine):.2f} "
                f"| {sum(r['verified'] for r in mine)}/{len(mine)} |"
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
        "--methods", nargs="+", choices=sorted(METHODS), default=["ours", "plain", "edd"]
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="the orlib-wt folder")
    parser.add_argument("--json", type=Path, help="also write every row here")
    args = parser.parse_args(argv)
    rows = run(args)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(
        f"OR-Library weighted tardiness: every {args.every}th instance from #{args.offset + 1}, "
        f"{args.time_limit:g} s limit, {args.workers} worker(s), seed {args.seed}\n"
    )
    print(table(rows, args.methods, args.sets))


if __name__ == "__main__":
    main()
