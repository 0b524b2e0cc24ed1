"""The forced placement: after the CP-SAT neighbourhood search (`zone_lns.py`, its packing round
and tail repack), a heavy load a cold zone still leaves out is put into the plan's hint, and CP-SAT
re-packs the tail around it.

County day at 10 s of work: the bad seeds end with a weight-4 or -5 cold load left out beside the
light ones of the good plans (`docs/solver.md`, sessions 9-11); the packing solve and the tail
repack return to that set from their hint (an attractor), and a two-blocker ejection finds no pair
that makes room. Here the heaviest such load (weight at least `FORCE_MIN_WEIGHT`, its inbounds
placed or in the neighbourhood) is put where it displaces the least weight of its neighbourhood's
placed loads, those displaced are left out (a hint that keeps every dock's spans apart), and the
tail (`zone_tail.tail_keys`) with that load and the displaced ones is solved on placed weight alone
by CP-SAT's neighbourhoods from that hint: they look for room for the displaced loads, not for the
heavy one. The answer is kept only through `zone_lns.rebuild` and a strictly cheaper plan, so the
step never makes a plan worse. Its time is `FORCE_SHARE` of the polish's (`improve.POLISH_SHARE`),
charged at the packing's price (`zone_lns.PACK_PRICE`); what it does not use goes back to the
polish. County day, seeds 1-30: 21 within 1% of the reference against 17, median +0.27% against
+0.34% (`docs/solver.md`, session 14, with the variants: the load's presence a constraint, the
whole zone pair, the whole cost, more of the polish). `FORCE` False: off (the base).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hub_scheduler.solver import zone_tail
from hub_scheduler.solver.cpsat_model import feasible_starts
from hub_scheduler.solver.decode import Decoder, Solution
from hub_scheduler.solver.zone_model import solve_neighbourhood

FORCE = True
# The lightest left-out load worth placing in the hint (the county day's bad basin: weight 4-5).
FORCE_MIN_WEIGHT = 4
# The share of the polish's work (or time) the solve may use (county day, 10 s: 0.045
# deterministic s at `PACK_PRICE`); 1.0 rescued more bad seeds but cost the others their polish.
FORCE_SHARE = 0.5
# Less deterministic time than this and no solve starts (a solve's fixed start; 2 s of work: none).
FORCE_MIN_DTIME = 0.03
# The neighbourhood solved: the tail (`zone_tail.tail_keys`) with the heavy load and the loads it
# displaces ("tail"), or the whole zone group ("pair": 12 of 20 seeds within 1% against 14).
FORCE_SCOPE = "tail"
# CP-SAT's own neighbourhoods from the hint (True) or its full search (False).
FORCE_LNS = True
# The heavy load's presence a constraint: off, only the hint places it (13 of 20 seeds within 1%
# with the constraint, 14 without: a solve that may drop it again sometimes finds a lighter set).
FORCE_CONSTRAINT = False
# Solve on placed weight alone (as the packing round, charged at its `zone_lns.PACK_PRICE`), not
# the whole cost (which in 0.056 deterministic s did not get back below the hint's cost).
FORCE_WEIGHT_ONLY = True


def heavy_left_out(dec: Decoder, sol: Solution, ks: list[int]) -> list[int]:
    """The neighbourhood's left-out loads of weight at least `FORCE_MIN_WEIGHT`, heaviest first
    (ties by key), without those whose inbound stays out of the neighbourhood and the plan."""
    loads = dec.inst.loads
    inside = set(ks)
    out = [
        k
        for k in ks
        if sol.cand[k] is None
        and loads[k].w >= FORCE_MIN_WEIGHT
        and all(i in inside or sol.cand[i] is not None for i, _ in loads[k].inbounds)
    ]
    return sorted(out, key=lambda k: (-loads[k].w, k))


def forced_hint(dec: Decoder, sol: Solution, k: int, ks: list[int]) -> tuple[Solution, list[int]]:
    """(`sol` with load k placed where it displaces the least weight of the neighbourhood's
    placed loads (then the fewest, then k's cheapest start), those displaced left out; the
    displaced keys). (`sol`, []) when no place of k on a dock without blocks is free of loads
    outside the neighbourhood."""
    inst = dec.inst
    loads = inst.loads
    inside = set(ks)
    ld = loads[k]
    on_dock: dict[int, list[int]] = {}
    for j, c in enumerate(sol.cand):
        if c is not None:
            on_dock.setdefault(sol.dock[j], []).append(j)
    best = None
    for c in ld.cands:
        span = ld.p + c.disinfection
        g = c.slot
        for lo, hi in feasible_starts(inst, ld, c):
            for dk in c.docks:
                if any(b > a for a, b in inst.docks[dk].blocked):
                    continue
                spans = []
                for j in on_dock.get(dk, []):
                    cj = sol.cand[j]
                    assert cj is not None
                    end = sol.start[j] + loads[j].p + cj.disinfection
                    spans.append((sol.start[j], -(-end // g) * g, j))
                for s in range(lo, hi + 1, g):
                    top = -(-(s + span) // g) * g
                    hit = [j for a, b, j in spans if a < top and b > s]
                    if any(j not in inside for j in hit):
                        continue
                    key = (sum(loads[j].w for j in hit), len(hit), dec.cost_at(ld, c, dk, s))
                    if best is None or key < best[0]:
                        best = (key, c, dk, s, hit)
    if best is None:
        return sol, []
    _, c, dk, s, hit = best
    new = Solution(
        cand=list(sol.cand), dock=list(sol.dock), start=list(sol.start), cost=list(sol.cost)
    )
    for j in hit:
        new.cand[j], new.dock[j], new.start[j] = None, -1, 0
    new.cand[k], new.dock[k], new.start[k] = c, dk, s
    return new, sorted(hit)


def force_heavy(
    dec: Decoder,
    sol: Solution,
    *,
    dtime: float,
    clock,
    seed: int,
    report: Callable[[str, float], None],
    stats: dict[str, Any],
) -> tuple[Solution, float]:
    """(the plan after forced solves within `dtime` deterministic seconds and the clock, never
    costlier than `sol`; the deterministic seconds used). One solve for each neighbourhood's
    heaviest forcible left-out load, costliest neighbourhood first. Stats: `lns_force_solves`,
    `lns_force_gains`."""
    from hub_scheduler.solver.zone_lns import PACK_PRICE, neighbourhoods, rebuild

    price = PACK_PRICE if FORCE_WEIGHT_ONLY else 1.0
    best = sol
    used = 0.0
    solves = gains = 0
    if FORCE and dtime >= FORCE_MIN_DTIME:
        for ks in neighbourhoods(dec, sol):
            left = dtime - used
            if left < FORCE_MIN_DTIME or clock.out():
                break
            heavy = heavy_left_out(dec, best, ks)
            if not heavy:
                continue
            k = heavy[0]
            hint, hit = forced_hint(dec, best, k, ks)
            if hint is best:
                continue
            keys = ks
            if FORCE_SCOPE == "tail":
                keys = sorted(set(zone_tail.tail_keys(best, ks)) | {k} | set(hit))
            chosen, spent, _ = solve_neighbourhood(
                dec,
                hint,
                keys,
                left / price,
                clock.left(),
                seed + 4999 + solves,
                weight_only=FORCE_WEIGHT_ONLY,
                force=k if FORCE_CONSTRAINT else None,
                lns=FORCE_LNS,
            )
            solves += 1
            used += spent * price
            cand = None if chosen is None else rebuild(dec, best, keys, chosen)
            if cand is not None and cand.objective < best.objective - 1e-6:
                best = cand
                gains += 1
                report("improve", best.objective)
    stats["lns_force_solves"] = stats.get("lns_force_solves", 0) + solves
    stats["lns_force_gains"] = stats.get("lns_force_gains", 0) + gains
    return best, used
