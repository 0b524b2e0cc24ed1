"""Decode speed: the serial scheme (earliest-fit queries on the timeline) on generated days.

`python -m bench.bench_decode --sizes county city --orders 20 --repeats 5`: per size, the median
seconds of decoding the same random orders (seeded), and the objective sum (a check that two trees
decode the same plans).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from bench.generate import generate
from hub_scheduler.solver.planner import _prepare


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["county"])
    parser.add_argument("--orders", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print("| size | loads | orders | median s (all orders) | per decode ms | objective sum |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        dec = _prepare(generate(size, args.seed))
        rng = random.Random(args.seed)
        orders = [rng.sample(dec.free, len(dec.free)) for _ in range(args.orders)]
        times, total = [], 0.0
        for _ in range(args.repeats):
            started = time.perf_counter()
            total = sum(dec.decode(order).objective for order in orders)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        print(
            f"| {size} | {len(dec.inst.loads)} | {args.orders} | {median:.3f} "
            f"| {1000 * median / args.orders:.1f} | {total:,.0f} |"
        )


if __name__ == "__main__":
    main()
