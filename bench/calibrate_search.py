"""How long one nominal second of single-dock search work takes here: the check on MOVES_PER_SECOND.

    python -m bench.calibrate_search
    python -m bench.calibrate_search --sizes 40 100 --seconds 2 --engines dynasearch

With one worker the single-dock search is bounded by a count of move evaluations, and a time limit
turns into that count at `dynasearch.MOVES_PER_SECOND` (the previous engine:
`single_machine.MOVES_PER_SECOND`). For each size this runs the engine on a random OR-Library-style
instance (processing 1-100, weight 1-10, due dates spread over the total processing time, as Potts
and Van Wassenhove generate them) with the budget of `--seconds` nominal seconds and no target, and
prints the CPU and wall seconds it took and the evaluations a CPU second that implies. CPU time
hardly depends on what else the machine runs, so the CPU column is the idle-core estimate; the wall
column shows what the load does to it. The load average is printed with the table.
"""

from __future__ import annotations

import argparse
import os
import random
import time

from hub_scheduler.solver import dynasearch, single_machine
from hub_scheduler.solver.dynasearch_step import Problem, sequence_cost


def instance(n: int, seed: int) -> Problem:
    """n jobs: p in 1..100, w in 1..10, due in P(1 - TF - RDD/2) .. P(1 - TF + RDD/2) with
    TF = 0.6, RDD = 0.6 (P the total processing time)."""
    rng = random.Random(seed)
    p = [rng.randint(1, 100) for _ in range(n)]
    w = [rng.randint(1, 10) for _ in range(n)]
    total = sum(p)
    low, high = round(total * 0.1), round(total * 0.7)
    due = [rng.randint(low, high) for _ in range(n)]
    return Problem.of(p, p, w, due)


def measure(engine: str, n: int, seconds: float, seed: int) -> dict:
    prob = instance(n, seed)
    start = dynasearch.atc_order(prob)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if engine == "dynasearch":
        budget = int(dynasearch.MOVES_PER_SECOND * seconds)
        work = dynasearch.Work()
        _, cost = dynasearch.iterated_dynasearch(
            prob, start, seed=seed, budget=budget, target=-1.0, work=work
        )
        spent = work.moves
    else:
        budget = int(single_machine.MOVES_PER_SECOND * seconds)
        machine = single_machine.Machine(
            keys=list(range(n)),
            span=prob.span.tolist(),
            p=prob.p.tolist(),
            w=prob.w.astype(int).tolist(),
            due=prob.due.tolist(),
            t0=0,
            const=0.0,
        )
        _, cost, _, spent = single_machine.iterated_local_search(
            machine, start, seed=seed, budget=budget, target=lambda: -1.0
        )
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {
        "engine": engine,
        "n": n,
        "budget": budget,
        "spent": spent,
        "cpu_s": cpu,
        "wall_s": wall,
        "per_cpu_s": spent / cpu if cpu else float("inf"),
        "start_cost": sequence_cost(prob, start),
        "cost": cost,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 40, 50, 100, 300, 1000])
    parser.add_argument("--seconds", type=float, default=1.0, help="nominal seconds of work")
    parser.add_argument(
        "--engines", nargs="+", choices=["dynasearch", "previous"], default=["dynasearch"]
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    rows = [
        measure(engine, n, args.seconds, args.seed) for engine in args.engines for n in args.sizes
    ]
    print(
        f"{args.seconds:g} nominal s of work a run; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, {os.cpu_count()} cores; dynasearch "
        f"{dynasearch.MOVES_PER_SECOND:,} and previous {single_machine.MOVES_PER_SECOND:,} "
        "evaluations a nominal second\n"
    )
    print("| engine | n | evaluations | CPU s | wall s | evaluations a CPU s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['engine']} | {r['n']} | {r['spent']:,} | {r['cpu_s']:.2f} | {r['wall_s']:.2f} "
            f"| {r['per_cpu_s'] / 1e6:.1f} million |"
        )


if __name__ == "__main__":
    main()
