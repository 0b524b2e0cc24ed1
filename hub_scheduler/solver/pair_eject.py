"""The two-blocker ejection: room for a heavy left-out load made by taking two loads off.

The left-out sweep (`local_search.left_out_sweep`) takes one blocker off for a left-out load. On
the county day's cold zones a weight-4 or -5 load stays out when the room it needs is spread
over two places: here, for each left-out load (heaviest first), two blockers of its window come
off together (the next load on the same dock, or one on another dock), the load goes to its
cheapest place, then the two go back wherever each fits best (or stay out); kept only when the lot
costs strictly less. Deterministic: the pairs in a fixed order, no randomness.
"""

from __future__ import annotations

import random
from typing import Any

from hub_scheduler.solver.decode import Decoder, Solution
from hub_scheduler.solver.local_search import EPS, ScheduleMoves

# On (solver19 measures it): the share of the polish's work this sweep may use first.
PAIRS = False
PAIR_SHARE = 0.5


def pair_sweep(
    dec: Decoder, sol: Solution, *, clock, budget: int | None, stats: dict[str, Any]
) -> Solution:
    """`sol` after two-blocker ejections for its left-out loads, until none gains or the work
    (`budget`, earliest-fit queries) is up."""
    moves = ScheduleMoves(dec, sol, random.Random(0))
    loads = dec.inst.loads
    kept = 0
    tried: set[int] = set()
    start_q = dec.placements

    def spent() -> bool:
        return clock.out() or (budget is not None and dec.placements >= budget)

    def fits_without(k: int, js: list[int], dock: int) -> bool:
        """Whether k fits on `dock` (a candidate's grid, its window) once `js` are off."""
        c = next((c for c in loads[k].cands if dock in c.docks), None)
        if c is None:
            return False
        w = moves.window(k)
        if w is None or (w.zone is not None and w.zone != c.zone):
            return False
        olds = [moves._take(j) for j in js]
        dec.placements += 1
        ld = loads[k]
        le = ld.latest_end if w.span_limit is None else min(ld.latest_end, w.span_limit)
        s = moves.tl.earliest_start(dock, ld.p, c.disinfection, c.slot, w.est, le)
        for j, old in zip(js, olds, strict=True):
            moves._restore(j, old)
        return s is not None

    def gain_for(k: int) -> bool:
        blockers = sorted(set(moves.blockers(k)), key=lambda m: (loads[m].w / loads[m].p, m))
        for a, j1 in enumerate(blockers):
            if spent():
                return False
            nxt = moves.next_on_dock(j1)
            pairs = []
            if nxt is not None and nxt != k and fits_without(k, [j1, nxt], sol.dock[j1]):
                pairs.append(nxt)
            if fits_without(k, [j1], sol.dock[j1]):
                # an ejection chain: k in j1's place, j1 in j2's (on another dock)
                pairs += [
                    j2
                    for j2 in blockers
                    if sol.dock[j2] != sol.dock[j1] and fits_without(j1, [j2], sol.dock[j2])
                ]
            for j2 in pairs:
                if spent():
                    return False
                if moves.eject(k, [j1, j2], plateau=False) > EPS:
                    return True
        return False

    while not spent():
        outs = sorted(
            (k for k in moves.movable if sol.cand[k] is None and sol.cost[k] > EPS),
            key=lambda k: (-loads[k].w, k),
        )
        k = next((k for k in outs if k not in tried), None)
        if k is None:
            break
        q0 = dec.placements
        g = gain_for(k)
        stats.setdefault("pair_per_k", []).append((loads[k].id, dec.placements - q0, g))
        if g:
            kept += 1
            tried.clear()
        else:
            tried.add(k)
    sol.objective = sum(sol.cost)
    stats["pair_left_out"] = sorted(loads[k].id for k in moves.movable if sol.cand[k] is None)
    stats["pair_queries"] = stats.get("pair_queries", 0) + dec.placements - start_q
    stats["pair_moves_kept"] = stats.get("pair_moves_kept", 0) + kept
    return sol
