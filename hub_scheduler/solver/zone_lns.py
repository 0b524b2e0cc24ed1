"""CP-SAT large-neighbourhood search: repack a group of zones exactly.

The local moves (`local_search.py`, `dock_search.py`) change one or two loads at a time; which
loads a tight zone leaves out and how the rest are packed around them can need many changes at
once (county day: the two cold zones). Here every load outside a neighbourhood keeps its place,
and the loads inside it (free, not part of a relay) are placed again by an exact CP-SAT model of
their docks (`zone_model.py`); pinned loads are never in a neighbourhood (H10). The model is
hinted with the current plan and its answer is kept only when the plan rebuilt from it fits a
fresh timeline and costs strictly less (the decoder's own costs), so the search never makes a
plan worse.

Neighbourhoods: the free non-relay loads are grouped by the zones they may use (zones that share a
load are one group); a group of at most `MAX_LOADS` loads is one neighbourhood (a cold zone pair),
a bigger one is left to the local moves (not sliced by time yet). They are tried costliest first,
in rounds, until a round gains nothing or the work is up; in the first round a neighbourhood with
a load left out is solved on placed weight alone (`PACK_FIRST`), and when one is still left out
its tail (the latest loads and the left-out ones) by CP-SAT's full search (`zone_tail.py`), in
time taken from the packing solve's. With one worker CP-SAT runs on its
deterministic limit with a fixed seed, so the same plan, seed and work give the same plan on any
machine.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from hub_scheduler.domain import ReasonCode
from hub_scheduler.facts import relay_offset
from hub_scheduler.solver import zone_tail
from hub_scheduler.solver.decode import Decoder, Solution
from hub_scheduler.solver.timeline import Timeline
from hub_scheduler.solver.zone_model import solve_neighbourhood

# The most loads one neighbourhood re-places (a bigger zone group is not re-placed here).
MAX_LOADS = 70
# CP-SAT's deterministic limit for one neighbourhood, per load in it (its unit, about a second).
DTIME_PER_LOAD = 0.01
# Rounds over every neighbourhood without a gain before the search stops (CP-SAT's neighbourhoods
# are random: another seed from the same plan often finds more).
STALL_ROUNDS = 2
# Less deterministic time than this left, and no neighbourhood is started.
MIN_DTIME = 0.05
# The first round solves a neighbourhood with a load left out on the placed weight alone (S1):
# which loads a tight zone leaves out is what decides the plan's basin, and CP-SAT's own
# neighbourhoods find a better set far sooner without the tardiness terms (session 9).
PACK_FIRST = True
# A deterministic second of that packing solve costs this many of the full model's in CPU
# (county day, seeds 1-5, one worker: 13.8 against 11.1 CPU s a deterministic second, the same
# hour; `improve.QUERIES_PER_DTIME` prices the full model's), so it is charged that much more.
PACK_PRICE = 1.25
# Less than this (deterministic seconds, after the price) for the packing solve and the round
# solves the full objective instead: a packing solve pays a fixed start (county day, 2 s of work:
# 1.6 CPU s for 0.05 deterministic s) that its deterministic time does not count.
PACK_MIN_DTIME = 0.1


def movable(dec: Decoder) -> list[int]:
    """Keys of the loads a neighbourhood may re-place: free (not pinned, not ineligible), with a
    candidate, and no inbound outside the day."""
    loads = dec.inst.loads
    return [k for k in dec.free if loads[k].cands and all(i >= 0 for i, _ in loads[k].inbounds)]


def neighbourhoods(dec: Decoder, sol: Solution) -> list[list[int]]:
    """Load-key lists, costliest first: one per zone group of at most `MAX_LOADS` movable loads
    (a bigger group has none)."""
    loads = dec.inst.loads
    keys = movable(dec)
    parent = list(range(len(dec.inst.zones)))

    def root(z: int) -> int:
        while parent[z] != z:
            parent[z] = parent[parent[z]]
            z = parent[z]
        return z

    for k in keys:
        zs = [c.zone for c in loads[k].cands]
        for z in zs[1:]:
            parent[root(z)] = root(zs[0])
    groups: dict[int, list[int]] = {}
    for k in keys:
        groups.setdefault(root(loads[k].cands[0].zone), []).append(k)
    out = [sorted(members) for _, members in sorted(groups.items()) if len(members) <= MAX_LOADS]
    # Costliest first; ties by their first key, so the order is the same on every run.
    out.sort(key=lambda ks: (-sum(sol.cost[k] for k in ks), ks[0]))
    return out


def zone_lns(
    dec: Decoder,
    sol: Solution,
    *,
    dtime: float,
    clock,
    seed: int,
    report: Callable[[str, float], None],
    stats: dict[str, Any],
    lower: Callable[[], float] = lambda: -math.inf,
) -> Solution:
    """The plan after re-placing neighbourhoods with CP-SAT within `dtime` deterministic seconds
    (CP-SAT's unit, summed over the solves) and the clock; never costlier than `sol`.

    Stats: `lns_solves`, `lns_gains` (the tail repacks' among them), `lns_tail_solves`,
    `lns_tail_gains`, `lns_dtime` (charged: a packing or tail second at `PACK_PRICE`),
    `lns_cut_by_clock`."""
    best = sol
    left = dtime
    solves = gains = stall = tails = tail_gains = 0
    cut = False
    rounds = 0
    while stall < STALL_ROUNDS and left >= MIN_DTIME and not clock.out():
        stall += 1
        rounds += 1
        for ks in neighbourhoods(dec, best):
            if left < MIN_DTIME or clock.out() or best.objective <= lower() + 1e-9:
                break
            pack = (
                PACK_FIRST
                and rounds == 1
                and min(DTIME_PER_LOAD * len(ks), left / PACK_PRICE) >= PACK_MIN_DTIME
                and any(best.cand[k] is None for k in ks)
            )
            price = PACK_PRICE if pack else 1.0
            limit = min(DTIME_PER_LOAD * len(ks), left / price)
            # The tail repack's time comes out of the packing solve's (`zone_tail.py`).
            tail = pack and zone_tail.TAIL and limit - zone_tail.TAIL_DTIME >= PACK_MIN_DTIME
            if tail:
                limit -= zone_tail.TAIL_DTIME
            chosen, spent, at_limit = solve_neighbourhood(
                dec, best, ks, limit, clock.left(), seed + solves, weight_only=pack
            )
            solves += 1
            # Stopped by its wall limit (the clock) before its deterministic one: not the seed's.
            cut = cut or (at_limit and spent < 0.99 * limit)
            left -= max(spent * price, MIN_DTIME)  # at least its floor: the loop ends
            cand = None if chosen is None else rebuild(dec, best, ks, chosen)
            if cand is not None and cand.objective < best.objective - 1e-6:
                best = cand
                gains += 1
                stall = 0
                report("improve", best.objective)
            if not tail or left < MIN_DTIME or clock.out():
                continue
            limit = min(zone_tail.TAIL_DTIME, left / price)
            keys, chosen, spent, at_limit = zone_tail.tail_repack(
                dec, best, ks, limit, clock.left(), seed + solves
            )
            if not keys:
                continue  # the packing left nothing out: no tail to solve
            solves += 1
            tails += 1
            cut = cut or (at_limit and spent < 0.99 * limit)
            left -= max(spent * price, MIN_DTIME)
            cand = None if chosen is None else rebuild(dec, best, keys, chosen)
            if cand is not None and cand.objective < best.objective - 1e-6:
                best = cand
                gains += 1
                tail_gains += 1
                stall = 0
                report("improve", best.objective)
    stats["lns_solves"] = stats.get("lns_solves", 0) + solves
    stats["lns_gains"] = stats.get("lns_gains", 0) + gains
    stats["lns_tail_solves"] = stats.get("lns_tail_solves", 0) + tails
    stats["lns_tail_gains"] = stats.get("lns_tail_gains", 0) + tail_gains
    stats["lns_dtime"] = round(stats.get("lns_dtime", 0.0) + dtime - max(0.0, left), 3)
    stats["lns_cut_by_clock"] = cut or bool(clock.out())
    return best


def rebuild(
    dec: Decoder, sol: Solution, ks: list[int], chosen: dict[int, tuple[int, int]]
) -> Solution | None:
    """The plan with the neighbourhood's loads where CP-SAT put them, each checked on a fresh
    timeline with the others' places; None when one does not fit (the model and the rules
    disagree: the move is dropped)."""
    inst = dec.inst
    loads = inst.loads
    inside = set(ks)
    new = Solution(
        cand=list(sol.cand),
        dock=list(sol.dock),
        start=list(sol.start),
        cost=list(sol.cost),
        left_out=dict(sol.left_out),
    )
    tl = Timeline(inst)
    for k, c in enumerate(sol.cand):
        if c is not None and k not in inside:
            tl.place(sol.dock[k], sol.start[k], loads[k].p, c.disinfection)
    for k in ks:
        if k not in chosen:
            new.cand[k], new.dock[k], new.start[k] = None, -1, 0
            inbound_out = any(
                i < 0 or i not in chosen and (i in inside or sol.cand[i] is None)
                for i, _ in loads[k].inbounds
            )
            new.left_out[k] = ReasonCode.INBOUND_NOT_PLACED if inbound_out else ReasonCode.CAPACITY
            new.cost[k] = dec.unplaced_cost(loads[k])
    for k in ks:
        if k not in chosen:
            continue
        ld = loads[k]
        dk, s = chosen[k]
        c = next(x for x in ld.cands if dk in x.docks)
        if not tl.fits_at(dk, ld.p, c.disinfection, s, ld.latest_end, ld.release):
            return None
        tl.place(dk, s, ld.p, c.disinfection)
        new.cand[k], new.dock[k], new.start[k] = c, dk, s
        new.left_out.pop(k, None)
        new.cost[k] = dec.cost_at(ld, c, dk, s)
    if not _relays_hold(dec, new, ks):
        return None
    new.objective = sum(new.cost)
    new.timeline = tl
    placed = sorted((new.start[k], k) for k in range(len(loads)) if new.cand[k] is not None)
    free = set(dec.free)
    new.order = [k for _, k in placed if k in free] + [k for k in dec.free if new.cand[k] is None]
    return new


def _relays_hold(dec: Decoder, sol: Solution, ks: list[int]) -> bool:
    """H7 for every relay with a partner in the neighbourhood: a placed outbound's inbounds are
    placed in its zone, at least the relay offset before it."""
    loads = dec.inst.loads
    outbounds = set(ks) | {o for k in ks for o, _ in loads[k].outbounds if o >= 0}
    for o in outbounds:
        co = sol.cand[o]
        if co is None:
            continue
        for i, gap in loads[o].inbounds:
            ci = None if i < 0 else sol.cand[i]
            if ci is None or ci.zone != co.zone:
                return False
            if sol.start[o] < sol.start[i] + relay_offset(loads[i].p, ci.disinfection, gap):
                return False
    return True
