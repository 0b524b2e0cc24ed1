"""Improvement: iterated local search on the priority order, decoded by the serial scheme.

A move takes a load that costs much (late, or left out) and inserts it earlier in the order, or
swaps
two loads that compete for the same zone; it is kept when the decoded plan costs no more. After a
run
of failures the search restarts from the best order with a random perturbation. Single-dock
instances
without calendars go to the much faster permutation search of `single_machine.py`.

With one worker the search is bounded by a deterministic count of placements as well as by the
clock,
so the same seed gives the same plan on any machine fast enough to finish that count in time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from hub_scheduler.solver.decode import Decoder, Solution

# Earliest-fit queries a second on this machine (measured 30k-130k by day; kept below), for the
# deterministic budget with one worker.
QUERIES_PER_SECOND = 20_000
# Days whose decode needs at most this many earliest-fit queries also search over orders.
ORDER_SEARCH_MAX_QUERIES = 30_000


def improve(
    dec: Decoder,
    best: Solution,
    *,
    clock,
    seed: int,
    workers: int,
    report: Callable[[str, float], None],
    lower: Callable[[], float],
    stats: dict[str, Any],
    deterministic_s: float | None = None,
) -> Solution:
    """The best plan the search finds before the clock (or the deterministic budget) runs out.

    `deterministic_s` (one worker) turns into a budget of work counted, not timed."""
    from hub_scheduler.solver.local_search import schedule_search
    from hub_scheduler.solver.single_machine import as_single_machine, improve_single_machine

    single = as_single_machine(dec)
    if single is not None:
        return improve_single_machine(
            dec,
            single,
            best,
            clock=clock,
            seed=seed,
            deterministic_s=deterministic_s,
            report=report,
            lower=lower,
            stats=stats,
        )
    budget = None
    if deterministic_s is not None:
        # From the time limit, not the time left: the budget must not depend on the machine's speed.
        budget = dec.placements + int(QUERIES_PER_SECOND * deterministic_s)
    queries = sum(len(c.docks) for k in dec.free for c in dec.inst.loads[k].cands)
    if queries <= ORDER_SEARCH_MAX_QUERIES:
        half = None if budget is None else dec.placements + (budget - dec.placements) // 2
        best = iterated_order_search(
            dec,
            best,
            clock=clock if half is not None else clock.share(0.5),
            seed=seed,
            budget=half,
            report=report,
            lower=lower,
            stats=stats,
        )
    return schedule_search(
        dec, best, clock=clock, seed=seed, budget=budget, report=report, lower=lower, stats=stats
    )


def _zone_of(dec: Decoder, sol: Solution, k: int) -> int:
    c = sol.cand[k]
    return (
        c.zone
        if c is not None
        else dec.inst.loads[k].cands[0].zone
        if dec.inst.loads[k].cands
        else -1
    )


def iterated_order_search(
    dec: Decoder,
    best: Solution,
    *,
    clock,
    seed: int,
    budget: int | None,
    report: Callable[[str, float], None],
    lower: Callable[[], float],
    stats: dict[str, Any],
) -> Solution:
    """Move costly loads earlier in the order (or swap near neighbours), re-decode, keep if no
    worse."""
    rng = random.Random(seed)
    current = best
    order = list(best.order)
    n = len(order)
    if n < 2:
        return best
    fails = 0
    iterations = 0
    while not clock.out() and (budget is None or dec.placements < budget):
        if best.objective <= lower() + 1e-9:
            break
        iterations += 1
        # Pick a costly load (weighted by its cost) and move it earlier; or swap neighbours.
        costs = [current.cost[k] for k in order]
        total = sum(costs)
        new = list(order)
        if total > 0 and rng.random() < 0.8:
            r = rng.random() * total
            acc = 0.0
            i = 0
            for c in costs:
                acc += c
                if acc >= r:
                    break
                i += 1
            i = min(i, n - 1)
            if i == 0:
                continue
            k = order[i]
            zone = _zone_of(dec, current, k)
            # Insert just before a random earlier load of the same zone (or anywhere earlier).
            earlier = [
                j for j in range(max(0, i - 40), i) if _zone_of(dec, current, order[j]) == zone
            ]
            j = rng.choice(earlier) if earlier else rng.randrange(0, i)
            new.pop(i)
            new.insert(j, k)
            common = j
        else:
            i = rng.randrange(0, n - 1)
            j = min(n - 1, i + 1 + int(rng.expovariate(0.5)))
            new[i], new[j] = new[j], new[i]
            common = i
        sol = dec.decode(new, base=current, common=common)
        if sol.objective <= current.objective:
            if sol.objective < current.objective:
                fails = 0
            current, order = sol, new
            if sol.objective < best.objective:
                best = sol
                report("improve", best.objective)
        else:
            fails += 1
        if fails > 60:
            # Perturb the best order: a few random adjacent swaps.
            order = list(best.order)
            for _ in range(max(2, n // 50)):
                a = rng.randrange(0, n - 1)
                order[a], order[a + 1] = order[a + 1], order[a]
            current = dec.decode(order)
            fails = 0
    stats["search_iterations"] = iterations
    return best
