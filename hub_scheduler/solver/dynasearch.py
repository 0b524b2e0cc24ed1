"""Iterated dynasearch for one machine (one dock) with a common release: `1||sum wT` and its kin.

The search (`iterated_dynasearch`) descends with dynasearch steps (`solver.dynasearch_step`: the
moves of Congram, Potts and van de Velde 2002, enlarged by Grosso, Della Croce and Tadei 2004) to a
local optimum, then kicks it with a short random series of pairwise interchanges and descends
again (Congram et al.'s iterated dynasearch), restarting from the best sequence when kicks stop
paying.

The search is bounded by work, not by the clock: `budget` counts move evaluations (three per pair
and step, plus a step's fixed cost and its DP over the paying pairs), so one seed and one budget
give one sequence on any machine; `out()` is only the safety net.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from hub_scheduler.solver.dynasearch_step import (
    EPS,
    MOVE_KINDS,
    Grids,
    Problem,
    apply_moves,
    best_set,
    pair_deltas,
    sequence_cost,
)

# Move evaluations a second on an idle core, for turning seconds into a deterministic budget. A
# step counts three evaluations per pair, STEP_OVERHEAD for its fixed numpy cost, and
# PAYING_PAIR_COST for every pair whose move pays (the DP over them runs in plain Python), so that a
# budget buys about the same CPU time whatever n. Measured with `python -m bench.calibrate_search`
# (CPU time, so the machine's load matters little): 48-68 million a CPU second for n = 10-300
# (2026-11-30, the shared 2-core machine at load average 6-7); at 1,000 jobs a step's arrays no
# longer fit the caches and a second buys about a third less.
MOVES_PER_SECOND = 50_000_000
STEP_OVERHEAD = 3_000
PAYING_PAIR_COST = 20
# The kick: between these shares of n random interchanges (at least 2 and 3), of jobs at most
# KICK_REACH_SHARE * n positions apart. Strong kicks paid on wt100 (measured by work to the best
# known value on its 15 hardest instances, two seeds each, 20 million move evaluations: 2-4 swaps
# within 4 positions reached 12 of 30; 10-20 swaps within 50 positions reached 28 of 30, median
# 4.5 million).
KICK_SWAPS_SHARE = (0.1, 0.2)
KICK_REACH_SHARE = 0.5
# Kicks without a new best sequence before the current one goes back to the best.
RESTART_AFTER = 100
# The search ends after this many kicks a job in a row without a new best sequence (at least
# STOP_AFTER_MIN), so that a small dock does not spend the whole budget on a settled answer and the
# bound gets its time. On OR-Library (all 375 instances, seeds 0-2, `bench.orlib_work`'s start) the
# longest run of fruitless kicks before a best value was 417 (wt50-109; wt40: 76, wt100: 107), well
# below 40 a job (1,600 / 2,000 / 4,000 kicks).
STOP_AFTER_PER_JOB = 40
STOP_AFTER_MIN = 200
# A step holds about 15 arrays of n^2 / 2 floats: above this many jobs the planner uses the previous
# engine instead (about 130 MB at 1,200 jobs).
MAX_JOBS = 1_200


def atc_order(prob: Problem, k: float = 1.0) -> list[int]:
    """The apparent-tardiness-cost dispatch order (Vepsalainen and Morton, Management Science
    33(8), 1987): each time the machine frees, the job with the largest
    (w / p) * exp(-max(0, slack) / (k * mean span)) goes next. A good start for the descent (on
    wt100 it needs a third of the steps EDD needs). O(n^2)."""
    n = prob.n
    if n == 0:
        return []
    p = np.maximum(prob.p, 1).astype(np.float64)
    ratio = prob.w / p
    scale = k * float(np.mean(prob.span)) or 1.0
    left = np.ones(n, dtype=bool)
    t = float(prob.t0)
    seq = []
    for _ in range(n):
        slack = np.maximum(0.0, prob.due - p - t)
        priority = np.where(left, ratio * np.exp(-slack / scale), -1.0)
        j = int(np.argmax(priority))
        seq.append(j)
        left[j] = False
        t += float(prob.span[j])
    return seq


# --- descent and the iterated search --------------------------------------------------------------


@dataclass
class Work:
    """Move evaluations spent (the deterministic budget counts these) and steps taken."""

    moves: int = 0
    steps: int = 0
    descents: int = 0
    kicks: int = 0


def descend(
    prob: Problem,
    seq: Sequence[int],
    work: Work,
    *,
    kinds: Sequence[int] = MOVE_KINDS,
    out: Callable[[], bool] = lambda: False,
    grids: Grids | None = None,
) -> tuple[list[int], float]:
    """Dynasearch steps until none pays (a local optimum of the neighbourhood) or `out()`; the
    sequence and its cost. Never worse than the start."""
    arr = np.asarray(seq, dtype=np.int64)
    n = len(arr)
    work.descents += 1
    if n < 2:
        return [int(x) for x in arr], sequence_cost(prob, arr.tolist())
    g = grids if grids is not None and grids.n == n else Grids(n)
    per_step = len(kinds) * n * (n - 1) // 2 + STEP_OVERHEAD
    while True:
        values, kind, cost = pair_deltas(prob, arr, kinds, g)
        work.moves += per_step + PAYING_PAIR_COST * int(np.count_nonzero(values < -EPS))
        work.steps += 1
        gain, moves = best_set(n, g.i, g.j, values, kind)
        if gain >= -EPS or not moves or out():
            return [int(x) for x in arr], cost
        arr = np.asarray(apply_moves(arr.tolist(), moves), dtype=np.int64)


def kick(seq: list[int], rng: random.Random, swaps: int, reach: int) -> list[int]:
    """Congram et al.'s kick: a random series of pairwise interchanges of jobs at most `reach`
    positions apart."""
    n = len(seq)
    new = list(seq)
    for _ in range(swaps):
        a = rng.randrange(n)
        b = a + rng.randint(1, reach) * (1 if rng.random() < 0.5 else -1)
        b = min(n - 1, max(0, b))
        if a != b:
            new[a], new[b] = new[b], new[a]
    return new


def iterated_dynasearch(
    prob: Problem,
    start: Sequence[int],
    *,
    seed: int,
    budget: int | None,
    out: Callable[[], bool] = lambda: False,
    target: float = 0.0,
    on_improve: Callable[[float], None] | None = None,
    kinds: Sequence[int] = MOVE_KINDS,
    work: Work | None = None,
) -> tuple[list[int], float]:
    """Descend from `start`, then kick and descend again until `budget` move evaluations are
    spent (None: until `out()`), `out()` is true, or the cost reaches `target` (a lower bound).

    The kick applies about n/10 to n/5 random interchanges of jobs up to n/2 apart, a few more and
    wider the longer no kick improves; the new local optimum replaces the current one when it costs
    no more, and after `RESTART_AFTER` fruitless kicks the search goes back to the best sequence;
    after `STOP_AFTER_PER_JOB` * n of them in a row (at least `STOP_AFTER_MIN`) it ends.
    Returns the best sequence seen and its cost; deterministic in (`seed`, `budget`) whenever
    `out()` stays false."""
    rng = random.Random(seed)
    work = work if work is not None else Work()
    n = prob.n
    grids = Grids(n) if n >= 2 else None

    def spent() -> bool:
        return (budget is not None and work.moves >= budget) or out()

    cur, cur_cost = descend(prob, start, work, kinds=kinds, out=spent, grids=grids)
    best, best_cost = list(cur), cur_cost
    if on_improve is not None:
        on_improve(best_cost)
    stagnant = 0
    swaps_low = max(2, round(KICK_SWAPS_SHARE[0] * n))
    swaps_high = max(3, round(KICK_SWAPS_SHARE[1] * n))
    stop_after = max(STOP_AFTER_MIN, STOP_AFTER_PER_JOB * n)
    while n > 2 and best_cost > target + EPS and stagnant < stop_after and not spent():
        work.kicks += 1
        level = min(4, stagnant // max(10, n // 4))
        reach = max(2, min(n - 1, round(KICK_REACH_SHARE * n) + 3 * level))
        swaps = rng.randint(swaps_low, swaps_high) + level
        trial = kick(cur, rng, swaps, reach)
        trial, trial_cost = descend(prob, trial, work, kinds=kinds, out=spent, grids=grids)
        stagnant += 1
        if trial_cost < best_cost - EPS:
            best, best_cost, stagnant = list(trial), trial_cost, 0
            if on_improve is not None:
                on_improve(best_cost)
        if trial_cost <= cur_cost + EPS:
            cur, cur_cost = trial, trial_cost
        elif stagnant and stagnant % RESTART_AFTER == 0:
            cur, cur_cost = list(best), best_cost
    return best, best_cost
