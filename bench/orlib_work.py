"""Work to the best known value: iterated dynasearch alone on OR-Library instances, in moves.

    python -m bench.orlib_work --sets wt100 --seeds 0 1 2
    python -m bench.orlib_work --sets wt100 --only 19 71 118 --seeds 0 1 2 3

The engine runs without the planner (no construction, no bound, no clock), from the better of two
apparent-tardiness-cost orders, until it reaches the instance's optimal or best known value or
spends `--budget` move evaluations. Because the count does not depend on the machine, the table
says how many nominal seconds (`dynasearch.MOVES_PER_SECOND`) each instance needs, whatever the
load: the check that a planner's budget is enough. CPU seconds are printed beside it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.orlib import DEFAULT_DIR, SETS, read_set
from hub_scheduler.solver import dynasearch
from hub_scheduler.solver.dynasearch_step import Problem, sequence_cost


def work_to_best(set_name: str, index: int, seed: int, budget: int) -> dict:
    """Moves (and CPU seconds) until the search first reaches the best value; None if never."""
    instance = read_set(set_name, DEFAULT_DIR)[index]
    prob = Problem.of(instance.processing, instance.processing, instance.weights, instance.due)
    start = min(
        (dynasearch.atc_order(prob, k) for k in (1.0, 2.0)),
        key=lambda seq: sequence_cost(prob, seq),
    )
    work = dynasearch.Work()
    reached: list[tuple[int, float]] = []
    cpu0 = time.process_time()

    def improved(cost: float) -> None:
        if cost <= instance.best and not reached:
            reached.append((work.moves, time.process_time() - cpu0))

    _, cost = dynasearch.iterated_dynasearch(
        prob,
        start,
        seed=seed,
        budget=budget,
        target=float(instance.best),
        on_improve=improved,
        work=work,
    )
    return {
        "instance": instance.name,
        "seed": seed,
        "cost": cost,
        "best": instance.best,
        "moves": reached[0][0] if reached else None,
        "cpu_s": reached[0][1] if reached else None,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=sorted(SETS), default=["wt100"])
    parser.add_argument("--only", type=int, nargs="+", metavar="K", help="instance numbers (1..)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument(
        "--budget", type=float, default=10.0, help="nominal seconds of moves before giving up"
    )
    args = parser.parse_args(argv)
    budget = int(args.budget * dynasearch.MOVES_PER_SECOND)
    load_before = os.getloadavg()[0]
    print(
        "| set | seed | reached | median moves to best | max moves to best (instance) "
        "| max nominal s | median CPU s | max CPU s |"
    )
    print("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
    for set_name in args.sets:
        count = len(read_set(set_name, DEFAULT_DIR))
        indices = [k - 1 for k in args.only] if args.only else list(range(count))
        for seed in args.seeds:
            rows = [work_to_best(set_name, i, seed, budget) for i in indices]
            hit = [r for r in rows if r["moves"] is not None]
            moves = sorted(float("inf") if r["moves"] is None else r["moves"] for r in rows)
            worst = max(rows, key=lambda r: float("inf") if r["moves"] is None else r["moves"])
            worst_moves = "never" if worst["moves"] is None else f"{worst['moves'] / 1e6:.1f} M"
            cpu = [r["cpu_s"] for r in hit]
            print(
                f"| {set_name} | {seed} | {len(hit)}/{len(rows)} "
                f"| {statistics.median(moves) / 1e6:.2f} M "
                f"| {worst_moves} ({worst['instance']}) "
                f"| {moves[-1] / dynasearch.MOVES_PER_SECOND:.2f} "
                f"| {statistics.median(cpu) if cpu else float('nan'):.3f} "
                f"| {max(cpu) if cpu else float('nan'):.2f} |",
                flush=True,
            )
    print(
        f"\nbudget {args.budget:g} nominal s = {budget:,} moves; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after, {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
