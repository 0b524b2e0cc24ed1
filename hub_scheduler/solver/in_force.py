"""The plan in force as a first plan: a re-plan starts from where the trucks already are.

A re-plan (`load.previous` set from the published plan) that started only from the priority
orders let each new or urgent load take an in-force truck's slot in the decode, that truck the
next one's, and so on: one new load on the 200-load demo day moved 64-79 published trucks, and the
search (which keeps a plan only when the whole objective drops) settled in that basin. Decoding the
loads with a previous position first, by that start, gives each its own slot back (the decoder
takes the previous position whenever it is free and no other place is cheaper by more than the
stability weight), and the new loads then fill the gaps. A load that finds no gap (and one whose
previous slot is gone, e.g. at a suspended hub: `can_keep`) is then put in by the cheapest small
repair, one blocker or a short run of one dock moved (`insert_into_plan_in_force`); without it the
cheapest first plan was a priority order's, 72-99 published trucks moved for five new loads. From
there the first `STICKY_SHARE` of the search runs at `STICKY_FACTOR` times the weight
(`sticky_search`), then the search at the real weight goes on, so a truck moves only when that
pays more than the stability weight (docs/solver.md, "Stability of a re-plan").
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from hub_scheduler.domain import ReasonCode
from hub_scheduler.solver.decode import Decoder, Solution
from hub_scheduler.solver.timeline import Timeline

EPS = 1e-9
# The first part of a re-plan's search runs with the stability weight this many times heavier
# (`sticky_search`), on this share of the search's time or work.
STICKY_FACTOR = 10.0
STICKY_SHARE = 0.7
# With one worker, the share of the time left that the sticky search may take before the clock
# cuts it (its work budget is about half the time limit's worth on a nominal machine).
SAFETY_SHARE = 0.9
# The most of the sticky phase's work (or time) that putting the new loads into the plan in force
# may take (`insert_into_plan_in_force`).
INSERT_SHARE = 0.6
# Off only inside `without_in_force_start` (benchmarks that compare with the search before it).
ENABLED = True


@contextmanager
def without_in_force_start() -> Iterator[None]:
    """Inside the block a re-plan starts like a first plan (priority orders, no sticky search):
    the planner before this module, for `bench/bench_replan.py --new-loads`."""
    global ENABLED
    before, ENABLED = ENABLED, False
    try:
        yield
    finally:
        ENABLED = before


def in_force_order(dec: Decoder, rest: list[int]) -> list[int] | None:
    """The order that decodes to the plan in force plus the new loads: the free loads with a
    previous position (S4) by their previous start, then the others in the order of `rest` (a
    priority order of all free loads). None when no free load has a previous position (a first
    plan: nothing to keep)."""
    loads = dec.inst.loads
    if not ENABLED:
        return None
    kept = sorted(
        (k for k in dec.free if can_keep(dec, k)),
        key=lambda k: (loads[k].previous.start, k),  # type: ignore[union-attr]
    )
    if not kept:
        return None
    placed = set(kept)
    return kept + [k for k in rest if k not in placed]


def can_keep(dec: Decoder, k: int) -> bool:
    """Load k has a previous position (S4) that it may still take: a slot-grid minute at or
    after its release on a dock of one of its candidates (not at a suspended hub, not on a dock
    it may no longer use). A load without one is placed like a new load."""
    ld = dec.inst.loads[k]
    prev = ld.previous
    if ld.load.previous is None or prev is None or prev.start != int(prev.start):
        return False
    dk = dec.inst.dock_index.get((prev.hub, prev.dock_id))
    return (
        dk is not None
        and prev.start >= ld.release
        and any(dk in c.docks and int(prev.start) % c.slot == 0 for c in ld.cands)
    )


def keeps_plan_in_force(dec: Decoder) -> bool:
    """A re-plan with a stability weight: some free load has a previous position and S4 > 0."""
    loads = dec.inst.loads
    return ENABLED and dec.inst.beta > 0 and any(loads[k].previous is not None for k in dec.free)


def in_force_start(
    dec: Decoder, *, clock, budget: int | None, stats: dict[str, Any]
) -> Solution | None:
    """The plan in force (`in_force_order` decoded) with the loads that hold no previous slot
    put in by `insert_into_plan_in_force`; None on a first plan."""
    from hub_scheduler.solver.construct import priority_orders

    order = in_force_order(dec, next(priority_orders(dec)))
    if order is None:
        return None
    sol = insert_into_plan_in_force(dec, dec.decode(order), clock=clock, budget=budget, stats=stats)
    # Its order stays the in-force order: the search over orders starts from it (putting the
    # placed loads by start instead made no difference on the demo day's five-load trials).
    return sol


def sticky_search(
    dec: Decoder,
    best: Solution,
    *,
    clock,
    seed: int,
    workers: int,
    report: Callable[[str, float], None],
    stats: dict[str, Any],
    work_budget: int | None = None,
    start: Solution | None = None,
) -> Solution:
    """The search first run with the stability weight times `STICKY_FACTOR` (within `clock`, or
    `work_budget` earliest-fit queries), its plan costed again with the real weight; that plan
    when it costs less than `best` under the real objective, else `best`. `start` (the plan in
    force with the new loads put in, `in_force_start`) is where it starts when that is cheaper
    at the heavier weight than `best`, and replaces `best` when it is cheaper at the real one.

    Why: from the plan in force, the search at the real weight places a left-out load through a
    chain of moved trucks (each move costs the weight once, an unplaced load U x w, far more),
    and then stays in that basin. On the demo day with five new loads (one worker, 5 s) it moved
    77 published trucks from the in-force order, where the same search at 10x the weight moved 19,
    placed as many loads and cost less under the real objective too (docs/solver.md, "Stability
    of a re-plan"). With the heavier weight the first moves are
    those that pay most per truck; the main search then goes on from its plan at the real
    weight, so every later move still pays more than the documented weight."""
    from hub_scheduler.solver.improve import improve

    sticky = Decoder(replace(dec.inst, beta=dec.inst.beta * STICKY_FACTOR), dec.reasons)
    begin = recost(sticky, best)
    if start is not None:
        # The plan in force with the new loads put in, when it is the cheaper start at the
        # heavier weight (nearly always: the priority orders move many trucks).
        other = recost(sticky, start)
        if other.objective < begin.objective:
            begin = other
        if start.objective < best.objective - 1e-9:
            report("sticky", start.objective)
            best = start
    found = improve(
        sticky,
        begin,
        clock=clock,
        seed=seed,
        workers=workers,
        report=lambda phase, objective: None,
        lower=lambda: 0.0,
        stats={},
        work_budget=work_budget,
    )
    back = recost(dec, found)
    stats["sticky_search"] = {"objective": back.objective, "queries": sticky.placements}
    dec.placements += sticky.placements
    if back.objective < best.objective - 1e-9:
        report("sticky", back.objective)
        return back
    return best


def insert_into_plan_in_force(
    dec: Decoder,
    sol: Solution,
    *,
    clock,
    budget: int | None,
    stats: dict[str, Any],
) -> Solution:
    """The plan in force with its left-out loads that hold no previous slot (new loads, and
    loads whose slot is gone: `can_keep`) put in, heaviest first, each by the smallest repair
    that lowers the objective: one blocker of its window off and back wherever it fits best (or
    left out); else a blocker and the load after it on its dock; else a run of 3 to
    `WIDE_EJECT_MAX` loads of one of its docks from its release on (a push to the right). Among
    the repairs of one kind every one is tried and undone, and the cheapest under the real
    objective (S4 included) is kept. Works on `sol` in place (and returns it);
    at most `budget` earliest-fit queries (an absolute count of `dec.placements`) and the clock.

    Why: the decode of the in-force order leaves a new load out when no gap fits it, and the
    cheapest first plan was then a priority order's (on the demo day with five new loads, 72-99
    published trucks moved), from which the search never came back to the plan in force."""
    from hub_scheduler.solver.local_search import WIDE_EJECT_MAX, ScheduleMoves

    moves = ScheduleMoves(dec, sol, random.Random(0))
    loads = dec.inst.loads

    def spent() -> bool:
        return clock.out() or (budget is not None and dec.placements >= budget)

    def gain_of(k: int, js: list[int]) -> float:
        """The gain of ejecting js for k; the plan is left as it was."""
        seq = [j for j in dict.fromkeys([k, *js]) if j in moves.movable_set]
        olds = [
            (sol.cand[j], sol.dock[j], sol.start[j], sol.cost[j], sol.left_out.get(j)) for j in seq
        ]
        gain = moves.eject(k, js, plateau=False)
        if gain > EPS:
            for j in seq:
                if sol.cand[j] is not None:
                    moves._take(j)
            for j, old in zip(seq, olds, strict=True):
                moves._restore(j, old)
            sol.objective += gain
        return gain

    def repairs(k: int) -> Iterator[list[list[int]]]:
        """The repairs for k by how many loads they take off: single blockers, then a blocker
        with the load after it on its dock, then runs of one dock."""
        blockers = sorted(set(moves.blockers(k)), key=lambda m: (sol.start[m], m))
        yield [[m] for m in blockers]
        pairs = []
        for m in blockers:
            after = moves.next_on_dock(m)
            if after is not None and after != k:
                pairs.append([m, after])
        yield pairs
        docks = sorted({dk for c in loads[k].cands for dk in c.docks})
        runs = []
        for dk in docks:
            run = sorted((j for j in blockers if sol.dock[j] == dk), key=lambda j: sol.start[j])
            runs += [run[:size] for size in range(3, min(WIDE_EJECT_MAX, len(run)) + 1)]
        yield runs

    inserted = 0
    todo = sorted(
        (k for k in moves.movable if sol.cand[k] is None and not can_keep(dec, k)),
        key=lambda k: (-loads[k].w, k),
    )
    for k in todo:
        if spent():
            break
        if sol.cand[k] is not None:
            continue
        best: tuple[float, list[int]] | None = None
        # The first kind that places k at a gain wins (fewest loads taken off), and within it
        # the cheapest under the real objective.
        for kind in repairs(k):
            for js in kind:
                if spent():
                    break
                gain = gain_of(k, js)
                if gain > EPS and (best is None or gain > best[0] + EPS):
                    best = (gain, js)
            if best is not None or spent():
                break
        if best is not None and moves.eject(k, best[1], plateau=False) > EPS:
            inserted += 1
    sol.objective = sum(sol.cost)
    stats["in_force_inserted"] = inserted
    return sol


def recost(dec: Decoder, sol: Solution) -> Solution:
    """The same placements costed by `dec` (an instance that differs only in its weights), on a
    fresh timeline; its order is kept for a search that goes on from it."""
    loads = dec.inst.loads
    n = len(loads)
    out = Solution(cand=[None] * n, dock=[-1] * n, start=[0] * n, cost=[0.0] * n)
    tl = Timeline(dec.inst)
    for k, c in enumerate(sol.cand):
        ld = loads[k]
        if c is None:
            out.left_out[k] = sol.left_out.get(k, ReasonCode.CAPACITY)
            out.cost[k] = dec.unplaced_cost(ld)
            continue
        dk, s = sol.dock[k], sol.start[k]
        tl.place(dk, s, ld.p, c.disinfection)
        out.cand[k], out.dock[k], out.start[k] = c, dk, s
        out.cost[k] = dec.cost_at(ld, c, dk, s)
    out.objective = sum(out.cost)
    out.timeline = tl
    out.order = list(sol.order)
    return out


def settle_in_force(
    dec: Decoder,
    best: Solution,
    *,
    clock,
    parallel: bool,
    seed: int,
    workers: int,
    report: Callable[[str, float], None],
    stats: dict[str, Any],
    search_s: float,
    work_budget: int | None,
) -> tuple[Solution, float]:
    """The planner's step between the first plan and the search: on a re-plan
    (`keeps_plan_in_force`) `sticky_search` on `STICKY_SHARE` of the search (`search_s` seconds
    of it; with one worker a deterministic budget of that many seconds' work, or that share of
    `work_budget`). Returns the plan and the share of the search left to the main search (1.0
    when nothing ran)."""
    if not keeps_plan_in_force(dec):
        return best, 1.0
    from hub_scheduler.solver.improve import QUERIES_PER_SECOND

    if parallel:
        phase_clock, budget = clock.share(STICKY_SHARE), None
        insert_clock, insert_budget = phase_clock.share(INSERT_SHARE), None
    else:
        # The budget, not the clock, ends it: the clock is only the safety net, as for the search
        # (a loaded machine that reaches it makes the plan differ from run to run).
        work = work_budget if work_budget is not None else QUERIES_PER_SECOND * search_s
        phase_clock, budget = clock.share(SAFETY_SHARE), int(STICKY_SHARE * work)
        insert_clock = phase_clock
        insert_budget = dec.placements + int(INSERT_SHARE * budget)
    used = dec.placements
    start = in_force_start(dec, clock=insert_clock, budget=insert_budget, stats=stats)
    if budget is not None:
        budget = max(0, budget - (dec.placements - used))
    found = sticky_search(
        dec,
        best,
        clock=phase_clock,
        seed=seed,
        workers=workers,
        report=report,
        stats=stats,
        work_budget=budget,
        start=start,
    )
    if not parallel:  # with several workers the clock is its limit, not a safety net
        stats["sticky_search"]["cut_by_clock"] = phase_clock.out()
    return found, 1.0 - STICKY_SHARE
