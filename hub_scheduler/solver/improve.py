"""Improvement: iterated local search on the priority order, decoded by the serial scheme.

A move takes a load that costs much (late, or left out) and inserts it earlier in the order, or
swaps two loads that compete for the same zone; it is kept when the decoded plan costs no more.
After a run of failures the search restarts from the best order with a random perturbation.
Single-dock instances without calendars go to the much faster permutation search of
`single_machine.py`.

With one worker the search is bounded by a deterministic count of placements as well as by the
clock, so the same seed gives the same plan on any machine fast enough to finish that count in
time.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from hub_scheduler.solver import zone_force
from hub_scheduler.solver.decode import Decoder, Solution

# Earliest-fit queries a second on this machine (measured 30k-130k by day; kept below), for the
# deterministic budget with one worker.
QUERIES_PER_SECOND = 20_000
# Days whose decode needs at most this many earliest-fit queries also search over orders.
ORDER_SEARCH_MAX_QUERIES = 30_000
# Random moves that fail in a row before the search sweeps its whole neighbourhood.
FAILS_BEFORE_SWEEP = 60
# The sweep tries every swap and every insertion of loads at most this many positions apart.
SWEEP_WINDOW = 8
# The per-dock sequence search (`dock_search.py`): the share of the work left that each round
# keeps from the schedule-space moves for it, the most rounds, and the least work (a share of
# what the rounds began with) worth another round.
DOCK_SHARE = 0.3
# Independent runs (order search, then schedule and dock moves) the work is split into on days
# small enough for the order search; the best is kept. (Four runs of a quarter, with the left-out
# sweep: no seed of 1-12 in the county day's worse basin, but the second county day and the
# re-plan 0.1-0.3% worse, each run too short; five: worse everywhere.)
RESTARTS = 3
# A run gets at least this many seconds (or their worth of work at `QUERIES_PER_SECOND`).
MIN_RUN_S = 1.5
DOCK_ROUNDS = 8
# The most work (a share of a run's work after its order search; or that share of its time) the
# left-out sweep (`local_search.left_out_sweep`) at the run's end may use. The sweep borrows it
# from the runs after it (what it leaves unused stays theirs); only the last run keeps it from its
# own moves, and a single run (short searches) none. Taken from every run's moves, it cost the
# re-plan 0.06 points at the median.
LEFT_OUT_SHARE = 0.2
# The share of a run's work (or time) for the order search; the schedule moves, the dock search and
# the sweep get the rest. Session 6 (with the sweep), work-bounded 10 s: 0.3 against 0.5 lowered
# the mean of the county day (seeds 1-12), the second county day (1-5) and the re-plan (1-8), and
# no county seed ended in the 4.0 million group; 0.1-0.2 left one or two there, 0.7 was worse.
ORDER_SHARE = 0.3
MIN_ROUND_SHARE = 0.05
# The share of the work (or time) of a day small enough for the order search that the CP-SAT
# neighbourhood search (`zone_lns.py`) and the polish after it get, at `QUERIES_PER_DTIME` a
# deterministic second. Work-bounded 10 s, seeds 1-5, county day median: priced at 20,000
# (sessions 7-8, underpriced) 0.55 -0.04%, 0.4 +0.24%; at 160,000, 0.55 +2.31%, 0.4 +2.44%, 0.8
# +2.51% (session 8); with the packing round and the polish (session 9) 0.55 +0.33%, 0.65 +2.37%
# (the packing then priced as the full model).
LNS_SHARE = 0.55
# Earliest-fit queries one CP-SAT deterministic second of the neighbourhood model costs as much CPU
# as (20,000 queries take about 1 s, `QUERIES_PER_SECOND`). Measured (county day, one worker): 8
# CPU s a deterministic second in session 8, 8-11 in session 9 (load average 2-4); most of it in
# the no-overlap and cumulative propagators, which CP-SAT's deterministic time undercounts.
QUERIES_PER_DTIME = 160_000
# The share of that work (or time) kept for the schedule and dock moves after the CP-SAT search:
# its first round packs on placed weight alone (`zone_lns.PACK_FIRST`), these moves (a query far
# cheaper than CP-SAT's share of a second) polish the tardiness. County day 10 s, seeds 1-5: 0.25
# +0.33% at the median; 0.4 +0.32% and none +0.46% with the packing priced as the full model.
POLISH_SHARE = 0.25


@contextmanager
def use_dock_search(share: float) -> Iterator[None]:
    """Give the per-dock sequence search `share` of each round's work inside the block (0: off,
    the search before issue 15); for benchmarks that compare the two in one process."""
    global DOCK_SHARE
    if not 0.0 <= share < 1.0:
        raise ValueError(f"the dock search's share must be in [0, 1), not {share}")
    before, DOCK_SHARE = DOCK_SHARE, share
    try:
        yield
    finally:
        DOCK_SHARE = before


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
    work_budget: int | None = None,
) -> Solution:
    """The best plan the search finds before the clock (or the deterministic budget) runs out.

    `deterministic_s` (one worker) turns into a budget of work counted, not timed: earliest-fit
    queries (`QUERIES_PER_SECOND` a second) or, on a plain single dock, move evaluations
    (`dynasearch.MOVES_PER_SECOND`). `work_budget`, when given, is that count itself."""
    from hub_scheduler.solver.single_machine import as_single_machine, improve_single_machine
    from hub_scheduler.solver.zone_lns import zone_lns

    single = as_single_machine(dec)
    if single is not None:
        return improve_single_machine(
            dec,
            single,
            best,
            clock=clock,
            seed=seed,
            deterministic_s=deterministic_s,
            work_budget=work_budget,
            report=report,
            lower=lower,
            stats=stats,
        )
    budget = None
    if deterministic_s is not None:
        # From the time limit, not the time left: the budget must not depend on the machine's speed.
        budget = dec.placements + int(QUERIES_PER_SECOND * deterministic_s)
    if work_budget is not None:
        budget = dec.placements + work_budget
    queries = sum(len(c.docks) for k in dec.free for c in dec.inst.loads[k].cands)
    if queries > ORDER_SEARCH_MAX_QUERIES:
        return _schedule_and_dock_search(
            dec,
            best,
            clock=clock,
            seed=seed,
            budget=budget,
            report=report,
            lower=lower,
            stats=stats,
        )
    # Independent runs from the same first plan, each with its share of the work (or time): the
    # order search decides which loads a tight zone leaves out, and one run often settles in a
    # worse basin (county day: 2-3% apart by seed) that more work on the same run does not leave.
    start = best
    # The CP-SAT neighbourhood search (`zone_lns.py`) on the best run's plan keeps its share.
    lns_work = 0 if budget is None else int((budget - dec.placements) * LNS_SHARE)
    budget = None if budget is None else budget - lns_work
    search_clock = clock if budget is not None else clock.share(1.0 - LNS_SHARE)
    total = None if budget is None else budget - dec.placements
    # Short searches stay one run (a third of 2 s measured 2-4% worse on the county day).
    runs = (
        int(max(0.0, search_clock.left()) // MIN_RUN_S)
        if total is None
        else total // int(QUERIES_PER_SECOND * MIN_RUN_S)
    )
    runs = max(1, min(RESTARTS, runs))
    for r in range(runs):
        if search_clock.out() or best.objective <= lower() + 1e-9:
            break
        runs_left = runs - r
        run_clock = search_clock.share(1.0 / runs_left) if budget is None else clock
        run_budget = None
        if budget is not None:
            run_budget = dec.placements + (budget - dec.placements) // runs_left
        sol = start if r == 0 else dec.decode(list(start.order))
        sol = _one_run(
            dec, sol, run_clock, seed + 1009 * r, run_budget, report, lower, stats, runs_left, runs
        )
        if sol.objective < best.objective:
            best = sol
        stats["restarts"] = r + 1
    polish = int(lns_work * POLISH_SHARE)
    lns_clock = clock if budget is not None else clock.share(1.0 - POLISH_SHARE)
    dtime = lns_clock.left() if budget is None else (lns_work - polish) / QUERIES_PER_DTIME
    best = zone_lns(
        dec, best, dtime=dtime, clock=lns_clock, seed=seed, report=report, stats=stats, lower=lower
    )
    if POLISH_SHARE <= 0 or clock.out():
        return best
    # A heavy load still left out, forced in (`zone_force.py`): on a share of the polish's work.
    share = zone_force.FORCE_SHARE * (polish / QUERIES_PER_DTIME if budget else clock.left())
    best, used = zone_force.force_heavy(
        dec, best, dtime=share, clock=clock, seed=seed, report=report, stats=stats
    )
    polish -= int(used * QUERIES_PER_DTIME)
    return _schedule_and_dock_search(
        dec,
        best,
        clock=clock,
        seed=seed + 7919,
        budget=None if budget is None else dec.placements + polish,
        report=report,
        lower=lower,
        stats=stats,
    )


def _one_run(
    dec: Decoder,
    sol: Solution,
    clock,
    seed: int,
    budget: int | None,
    report: Callable[[str, float], None],
    lower: Callable[[], float],
    stats: dict[str, Any],
    runs_left: int = 1,
    runs: int = 1,
) -> Solution:
    """The order search on `ORDER_SHARE` of the work (or time), then schedule and dock moves, then
    the left-out sweep on at most `LEFT_OUT_SHARE` of the work after the order search: borrowed from
    the runs after this one, from its own moves when it is the last of several (without a work
    budget, from its time). A single run (a short search) keeps all of it for its moves: at 2 s
    the sweep's share cost the second county day and the re-plan 0.15-0.2 points."""
    from hub_scheduler.solver.local_search import left_out_sweep

    order_end = None
    if budget is not None:
        order_end = dec.placements + int((budget - dec.placements) * ORDER_SHARE)
    sol = iterated_order_search(
        dec,
        sol,
        clock=clock if order_end is not None else clock.share(ORDER_SHARE),
        seed=seed,
        budget=order_end,
        report=report,
        lower=lower,
        stats=stats,
    )
    moves_budget = sweep_budget = budget
    if budget is not None:
        post = int(max(0, budget - dec.placements) * LEFT_OUT_SHARE)
        if runs_left > 1:
            sweep_budget = budget + post
        elif runs > 1:
            moves_budget = budget - post
    sol = _schedule_and_dock_search(
        dec,
        sol,
        clock=clock if budget is not None or runs == 1 else clock.share(1.0 - LEFT_OUT_SHARE),
        seed=seed,
        budget=moves_budget,
        report=report,
        lower=lower,
        stats=stats,
    )
    # The moves above leave a run wherever the random ejections took it, often one load of a tight
    # cold zone short of a better basin: the sweep tries every blocker for every left-out load.
    before = sol.objective
    sol = left_out_sweep(dec, sol, clock=clock, budget=sweep_budget, stats=stats)
    if sol.objective < before - 1e-9:
        report("improve", sol.objective)
    return sol


def _schedule_and_dock_search(
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
    """Schedule-space moves (across docks, zones and hubs) and the per-dock sequence search
    (`dock_search.py`) in turn: the schedule moves take `1 - DOCK_SHARE` of the work (or time)
    left, then the dock search runs until every dock is at a local optimum or the work is up;
    what it leaves goes to the next round (at most `DOCK_ROUNDS`, and only while at least
    `MIN_ROUND_SHARE` of the work is left). The first round's schedule moves are exactly those of
    the search without the dock search, so with the same seed the dock search starts from the
    plan the old search had at that point."""
    from hub_scheduler.solver.dock_search import dock_search
    from hub_scheduler.solver.local_search import schedule_search

    if DOCK_SHARE <= 0:
        return schedule_search(
            dec,
            best,
            clock=clock,
            seed=seed,
            budget=budget,
            report=report,
            lower=lower,
            stats=stats,
        )
    sol = best
    total = None if budget is None else max(0, budget - dec.placements)
    total_s = max(0.0, clock.left())
    for r in range(DOCK_ROUNDS):
        if clock.out() or sol.objective <= lower() + 1e-9:
            break
        if budget is None:
            if r and clock.left() < MIN_ROUND_SHARE * total_s:
                break
            schedule_clock = clock.share(1.0 - DOCK_SHARE)
            schedule_budget = None
        else:
            assert total is not None  # set with the budget
            left = budget - dec.placements
            if r and left < MIN_ROUND_SHARE * total:
                break
            schedule_clock = clock
            schedule_budget = dec.placements + int(left * (1.0 - DOCK_SHARE))
        sol = schedule_search(
            dec,
            sol,
            clock=schedule_clock,
            seed=seed + r,
            budget=schedule_budget,
            report=report,
            lower=lower,
            stats=stats,
        )
        sol = dock_search(
            dec, sol, clock=clock, budget=budget, report=report, lower=lower, stats=stats
        )
        stats["dock_rounds"] = r + 1
    return sol


def _zone_of(dec: Decoder, sol: Solution, k: int) -> int:
    c, cands = sol.cand[k], dec.inst.loads[k].cands
    return c.zone if c is not None else cands[0].zone if cands else -1


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
        if fails > FAILS_BEFORE_SWEEP:
            # Random sampling can miss the one improving move (a six-load day stayed at 690 with
            # 674 one swap away): sweep every near swap and insertion before calling this a local
            # optimum and perturbing.
            swept = _sweep(dec, current, clock=clock, budget=budget)
            if swept is not None:
                current, order, fails = swept, list(swept.order), 0
                if current.objective < best.objective:
                    best = current
                    report("improve", best.objective)
                continue
            # Perturb the best order: a few random adjacent swaps.
            order = list(best.order)
            for _ in range(max(2, n // 50)):
                a = rng.randrange(0, n - 1)
                order[a], order[a + 1] = order[a + 1], order[a]
            current = dec.decode(order)
            fails = 0
    stats["search_iterations"] = iterations
    return best


def _near_moves(n: int, window: int):
    """(position where the orders start to differ, the moved order maker) for every swap and every
    insertion of two positions at most `window` apart."""
    for i in range(n - 1):
        for j in range(i + 1, min(n, i + 1 + window)):
            yield i, ("swap", i, j)
            yield i, ("later", i, j)  # the load at i moves to j
            yield i, ("earlier", j, i)  # the load at j moves to i


def _apply(order: list[int], move: tuple[str, int, int]) -> list[int]:
    kind, a, b = move
    new = list(order)
    if kind == "swap":
        new[a], new[b] = new[b], new[a]
    else:
        new.insert(b, new.pop(a))
    return new


def _sweep(dec: Decoder, current: Solution, *, clock, budget: int | None) -> Solution | None:
    """The first strictly better order among all near swaps and insertions of `current.order`, or
    None when there is none (a true local optimum of that neighbourhood) or the work is up."""
    order = list(current.order)
    for common, move in _near_moves(len(order), SWEEP_WINDOW):
        if clock.out() or (budget is not None and dec.placements >= budget):
            return None
        sol = dec.decode(_apply(order, move), base=current, common=common)
        if sol.objective < current.objective - 1e-9:
            return sol
    return None
