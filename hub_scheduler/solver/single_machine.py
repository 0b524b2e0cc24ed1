"""Single-dock days without calendars: iterated local search on the permutation, evaluated directly.

When every free load can only use one and the same dock, all are released at once, the dock is
`Timeline.plain` (always open, never blocked, no capacity but itself), there are no relays, pins,
deadlines or previous positions, and the slot grid is one minute, the serial scheme puts the
loads back to back in order, so a plan is a permutation and its cost is a sum over positions.
This is the OR-Library 1||sum wT case.

Two engines search the permutation: iterated dynasearch (`dynasearch.py`; Congram, Potts and van
de Velde 2002, with the moves of Grosso, Della Croce and Tadei 2004), the default, and the previous
iterated insertion-and-swap search, kept so the benchmark can run the two side by side
(`use_engine`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from hub_scheduler.solver import dynasearch, dynasearch_step
from hub_scheduler.solver.decode import Decoder, Solution
from hub_scheduler.solver.timeline import Timeline

# Move evaluations a second of the previous engine on an idle core, for its deterministic budget
# (dynasearch has its own, `dynasearch.MOVES_PER_SECOND`); a swap counts the jobs it shifts.
# Measured with `python -m bench.calibrate_search --engines previous`: 9-12 million a CPU second for
# n = 40-1,000 (5-7 million below 20 jobs), 2026-11-30 on the shared 2-core machine at load 6-7.
MOVES_PER_SECOND = 10_000_000
ENGINES = ("dynasearch", "previous")
_engine = "dynasearch"


@contextmanager
def use_engine(name: str) -> Iterator[None]:
    """Run the single-dock search with engine `name` (one of `ENGINES`) inside the block; for
    benchmarks that compare the engines in one process."""
    global _engine
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
    before, _engine = _engine, name
    try:
        yield
    finally:
        _engine = before


@dataclass
class Machine:
    keys: list[int]
    span: list[int]  # handling + disinfection
    p: list[int]
    w: list[int]
    due: list[float]
    t0: int  # the common start
    const: float  # travel and other per-load constants


def as_single_machine(dec: Decoder) -> Machine | None:
    """The permutation view of the instance, or None when it is not a plain single-dock day."""
    inst = dec.inst
    if dec.pinned or not dec.free or inst.alpha:
        return None
    timeline = Timeline(inst)
    dock: int | None = None
    release: int | None = None
    const = 0.0
    for k in dec.free:
        ld = inst.loads[k]
        if len(ld.cands) != 1 or ld.inbounds or ld.outbounds or ld.load.previous is not None:
            return None
        c = ld.cands[0]
        if len(c.docks) != 1 or c.slot != 1 or not timeline.plain(c.docks[0]):
            return None
        if dock is None:
            dock, release = c.docks[0], ld.release
        if c.docks[0] != dock or ld.release != release:
            return None
        const += c.travel_cost
    assert release is not None  # dec.free is not empty
    total = sum(inst.loads[k].p + inst.loads[k].cands[0].disinfection for k in dec.free)
    if release + total > inst.horizon or any(
        inst.loads[k].latest_end < inst.horizon for k in dec.free
    ):
        return None
    keys = list(dec.free)
    return Machine(
        keys=keys,
        span=[inst.loads[k].p + inst.loads[k].cands[0].disinfection for k in keys],
        p=[inst.loads[k].p for k in keys],
        w=[inst.loads[k].w for k in keys],
        due=[inst.loads[k].due for k in keys],
        t0=release,
        const=const,
    )


def _cost(m: Machine, seq: list[int]) -> float:
    t = m.t0
    total = 0.0
    span, p, w, due = m.span, m.p, m.w, m.due
    for j in seq:
        late = t + p[j] - due[j]
        if late > 0:
            total += w[j] * late
        t += span[j]
    return total


def _positions(m: Machine, seq: list[int]) -> tuple[list[int], list[float]]:
    """Start of each position (and the end of the last) and each position's weighted tardiness."""
    span, p, w, due = m.span, m.p, m.w, m.due
    starts = []
    contrib = []
    t = m.t0
    for j in seq:
        starts.append(t)
        late = t + p[j] - due[j]
        contrib.append(w[j] * late if late > 0 else 0.0)
        t += span[j]
    starts.append(t)
    return starts, contrib


def _local_search(
    m: Machine,
    seq: list[int],
    deadline: Callable[[], bool],
    counter: list[int],
) -> tuple[list[int], float]:
    """Insertion moves (each evaluated in O(1) by accumulating the shift) then swaps, until no move
    improves or time is up."""
    n = len(seq)
    span, p, w, due = m.span, m.p, m.w, m.due
    improved = True
    while improved and not deadline():
        improved = False
        starts, contrib = _positions(m, seq)
        for a in range(n):
            ja = seq[a]
            sa, pa, da, wa = span[ja], p[ja], due[ja], w[ja]
            best_d, best_b = -1e-9, -1
            cum = 0.0
            for b in range(a + 1, n):
                jb = seq[b]
                late = starts[b] - sa + p[jb] - due[jb]
                cum += (w[jb] * late if late > 0 else 0.0) - contrib[b]
                late = starts[b + 1] - sa + pa - da
                d = cum + (wa * late if late > 0 else 0.0) - contrib[a]
                if d < best_d:
                    best_d, best_b = d, b
            cum = 0.0
            for b in range(a - 1, -1, -1):
                jb = seq[b]
                late = starts[b] + sa + p[jb] - due[jb]
                cum += (w[jb] * late if late > 0 else 0.0) - contrib[b]
                late = starts[b] + pa - da
                d = cum + (wa * late if late > 0 else 0.0) - contrib[a]
                if d < best_d:
                    best_d, best_b = d, b
            counter[0] += n
            if best_b >= 0:
                seq.pop(a)
                seq.insert(best_b, ja)
                starts, contrib = _positions(m, seq)
                improved = True
        for a in range(n - 1):
            for b in range(a + 1, n):
                ja, jb = seq[a], seq[b]
                shift = span[jb] - span[ja]
                late = starts[a] + p[jb] - due[jb]
                delta = (w[jb] * late if late > 0 else 0.0) - contrib[a]
                late = starts[b] + shift + p[ja] - due[ja]
                delta += (w[ja] * late if late > 0 else 0.0) - contrib[b]
                if shift:
                    counter[0] += b - a - 1
                    for i in range(a + 1, b):
                        ji = seq[i]
                        late = starts[i] + shift + p[ji] - due[ji]
                        delta += (w[ji] * late if late > 0 else 0.0) - contrib[i]
                if delta < -1e-9:
                    seq[a], seq[b] = jb, ja
                    starts, contrib = _positions(m, seq)
                    improved = True
            counter[0] += n - a
    return seq, _cost(m, seq)


def improve_single_machine(
    dec: Decoder,
    m: Machine,
    best: Solution,
    *,
    clock,
    seed: int,
    deterministic_s: float | None,
    work_budget: int | None = None,
    report: Callable[[str, float], None],
    lower: Callable[[], float],
    stats: dict[str, Any],
) -> Solution:
    """The best permutation the engine finds within the work budget (or the clock), decoded into
    the plan; never worse than `best`.

    With `deterministic_s` (one worker) the budget is that many nominal seconds of move evaluations
    (`dynasearch.MOVES_PER_SECOND`, or `MOVES_PER_SECOND` for the previous engine); `work_budget`,
    when given, is the count itself. Above `dynasearch.MAX_JOBS` loads the previous engine runs
    (dynasearch's step needs memory quadratic in n). Stats: `search_engine`, `search_iterations`
    (kicks), `move_evaluations`."""
    if _engine == "dynasearch" and len(m.keys) <= dynasearch.MAX_JOBS:
        return _dynasearch(
            dec,
            m,
            best,
            clock=clock,
            seed=seed,
            deterministic_s=deterministic_s,
            work_budget=work_budget,
            report=report,
            lower=lower,
            stats=stats,
        )
    stats["search_engine"] = "previous"
    index = {k: i for i, k in enumerate(m.keys)}
    budget = None if deterministic_s is None else int(MOVES_PER_SECOND * deterministic_s)
    if work_budget is not None:
        budget = work_budget
    fixed = best.objective - sum(best.cost[k] for k in m.keys)  # loads that are out anyway

    def improved(cost: float) -> None:
        if fixed + cost < best.objective:
            report("improve", fixed + cost)

    best_seq, _, rounds, evaluations = iterated_local_search(
        m,
        [index[k] for k in best.order if k in index],
        seed=seed,
        budget=budget,
        out=clock.out,
        target=lambda: lower() - fixed,
        on_improve=improved,
    )
    stats["search_iterations"] = rounds
    stats["move_evaluations"] = evaluations
    order = [m.keys[i] for i in best_seq]
    sol = dec.decode(order)
    return sol if sol.objective <= best.objective else best


def iterated_local_search(
    m: Machine,
    start: list[int],
    *,
    seed: int,
    budget: int | None,
    out: Callable[[], bool] = lambda: False,
    target: Callable[[], float] = lambda: 0.0,
    on_improve: Callable[[float], None] | None = None,
) -> tuple[list[int], float, int, int]:
    """The previous engine: insertion-and-swap descent, kicked by a few random swaps at short
    distance (more and wider the longer nothing improves), until `budget` move evaluations are
    spent, `out()` or the cost reaches `target()`. (best sequence, its cost, kicks, evaluations)."""
    rng = random.Random(seed)
    n = len(start)
    counter = [0]

    def spent() -> bool:
        return out() or (budget is not None and counter[0] >= budget)

    seq, cost = _local_search(m, list(start), spent, counter)
    best_seq, best_cost = list(seq), cost
    if on_improve is not None:
        on_improve(best_cost)
    rounds = 0
    stagnant = 0
    while not spent() and best_cost > target() + 1e-9 and n > 2:
        rounds += 1
        seq = list(best_seq) if cost > best_cost else seq
        # Perturbation: a few random swaps at short distance, more and wider the longer nothing
        # improves.
        strength = min(6, stagnant // 30)
        for _ in range(rng.randint(2, 4) + strength):
            a = rng.randrange(n)
            reach = 6 + 2 * strength
            b = min(n - 1, max(0, a + rng.randint(-reach, reach)))
            seq[a], seq[b] = seq[b], seq[a]
        seq, cost = _local_search(m, seq, spent, counter)
        stagnant += 1
        if cost < best_cost - 1e-9:
            best_seq, best_cost = list(seq), cost
            stagnant = 0
            if on_improve is not None:
                on_improve(best_cost)
    return best_seq, best_cost, rounds, counter[0]


def _dynasearch(
    dec: Decoder,
    m: Machine,
    best: Solution,
    *,
    clock,
    seed: int,
    deterministic_s: float | None,
    work_budget: int | None,
    report: Callable[[str, float], None],
    lower: Callable[[], float],
    stats: dict[str, Any],
) -> Solution:
    """Iterated dynasearch (`dynasearch.iterated_dynasearch`) from the cheapest of the constructed
    plan's order and two apparent-tardiness-cost orders."""
    budget = None if deterministic_s is None else int(dynasearch.MOVES_PER_SECOND * deterministic_s)
    if work_budget is not None:
        budget = work_budget
    index = {k: i for i, k in enumerate(m.keys)}
    fixed = best.objective - sum(best.cost[k] for k in m.keys)  # loads that are out anyway
    prob = dynasearch_step.Problem.of(m.span, m.p, m.w, m.due, m.t0)
    # The constructed order, or an apparent-tardiness-cost order when that costs less.
    starts = [
        [index[k] for k in best.order if k in index],
        dynasearch.atc_order(prob, 1.0),
        dynasearch.atc_order(prob, 2.0),
    ]
    start = min(starts, key=lambda seq: dynasearch_step.sequence_cost(prob, seq))
    work = dynasearch.Work()
    seq, _ = dynasearch.iterated_dynasearch(
        prob,
        start,
        seed=seed,
        budget=budget,
        out=clock.out,
        target=lower() - fixed,
        on_improve=lambda cost: report("improve", fixed + cost),
        work=work,
    )
    stats["search_engine"] = "dynasearch"
    stats["search_iterations"] = work.kicks
    stats["move_evaluations"] = work.moves
    sol = dec.decode([m.keys[i] for i in seq])
    return sol if sol.objective <= best.objective else best
