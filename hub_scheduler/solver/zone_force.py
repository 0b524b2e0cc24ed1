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
heavy one. When a heavy load is still left out after that solve, a second one (`FALLBACK`) on the
same kind of tail has every heavy load it holds placed, the forced one and those the plan places
(presence constraints): the first solve's objective cannot tell one heavy load left out from
another, and it often returns such a swap. Each answer is kept only through `zone_lns.rebuild` and
a strictly cheaper plan, so the step never makes a plan worse. Its time is `FORCE_SHARE` of the
polish's (`improve.POLISH_SHARE`), the first solve at most `FIRST_SHARE` of it, charged at the
packing's price (`zone_lns.PACK_PRICE`); what it does not use goes back to the polish. County day,
seeds 1-30: 24 within 1% of the reference (session 14's single solve: 21, the zone search alone:
17), median +0.27%; hold-out seeds 31-40 and 41-50: 8 against 6 and 5 (`docs/solver.md`, sessions
14 and 16, with the variants). `FORCE` False: off (the base).
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
# The share of the polish's work (or time) the step may use (county day, 10 s: 0.090
# deterministic s at `PACK_PRICE`); what it does not use goes back to the polish.
FORCE_SHARE = 1.0
# The share of that the first solve (the heavy load in the hint only) may use: 0.5, the first
# solve of session 14 exactly (0.045 deterministic s); 1.0 for it alone cost the others their
# polish and rescued no more (`docs/solver.md`, session 16).
FIRST_SHARE = 0.5
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
# A heavy load still left out after the first solve: a second one, on the rest of the step's
# work, with every heavy load of its keys that the plan places, and the forced one, placed (their
# presence constraints; CP-SAT's full search repairs the hint). The first solve's placed-weight
# objective is flat across swaps of one heavy load for another (the county day's cold group holds
# only two light loads, both out in the good plans), and it returns to such a swap; with the heavy
# loads fixed in, any answer CP-SAT finds leaves out light loads only (county day, seeds 1-30: 24
# within 1% against 21; hold-outs 31-40 and 41-50: 8 against 6 and 5; `docs/solver.md`, session 16).
FALLBACK = True


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


def heavy_placed(dec: Decoder, sol: Solution, keys: list[int]) -> frozenset[int]:
    """The keys of `keys` placed in `sol` with weight at least `FORCE_MIN_WEIGHT`."""
    loads = dec.inst.loads
    return frozenset(j for j in keys if sol.cand[j] is not None and loads[j].w >= FORCE_MIN_WEIGHT)


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
    costlier than `sol`; the deterministic seconds used). For each neighbourhood, costliest first,
    one solve for its heaviest forcible left-out load (at most `FIRST_SHARE` of `dtime`), then,
    when a heavy load is still out (`FALLBACK`), one for the heaviest still out with every heavy
    load of its keys placed (the rest of `dtime`). Stats: `lns_force_solves`, `lns_force_gains`."""
    from hub_scheduler.solver.zone_lns import PACK_PRICE, neighbourhoods, rebuild

    price = PACK_PRICE if FORCE_WEIGHT_ONLY else 1.0
    best = sol
    used = 0.0
    solves = gains = 0
    if FORCE and dtime >= FORCE_MIN_DTIME:
        for ks in neighbourhoods(dec, sol):
            tries = 0
            while tries < (2 if FALLBACK else 1):
                left = dtime - used
                if left < FORCE_MIN_DTIME or clock.out():
                    break
                heavy = heavy_left_out(dec, best, ks)
                if not heavy:
                    break
                tries += 1
                every = tries > 1
                k = heavy[0]
                hint, hit = forced_hint(dec, best, k, ks)
                if hint is best:
                    break
                keys = ks
                if FORCE_SCOPE == "tail":
                    keys = sorted(set(zone_tail.tail_keys(best, ks)) | {k} | set(hit))
                must: int | frozenset[int] | None = k if FORCE_CONSTRAINT else None
                if every:
                    must = heavy_placed(dec, best, keys) | {k}
                chosen, spent, _ = solve_neighbourhood(
                    dec,
                    hint,
                    keys,
                    (left if tries > 1 else min(left, dtime * FIRST_SHARE)) / price,
                    clock.left(),
                    seed + 4999 + solves,
                    weight_only=FORCE_WEIGHT_ONLY,
                    force=must,
                    lns=FORCE_LNS and not every,
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
