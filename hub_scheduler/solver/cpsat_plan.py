"""Turning the relaxed CP-SAT model's solution into a real plan (docks assigned, every rule checked).

The model keeps zones as cumulatives, so its solution says where (zone) and when (start) each load
goes but not on which dock. Within a zone, loads taken in start order can always be given a free
dock when the docks are alike; when a dock-only blocked window or a pin gets in the way the
conversion fails and the solution is simply not used. Every placement is checked on a timeline.
"""

from __future__ import annotations

from hub_scheduler.domain import ReasonCode
from hub_scheduler.solver.decode import Decoder, Solution
from hub_scheduler.solver.timeline import Timeline


def solution_from_cpsat(dec: Decoder, chosen: dict[int, tuple[int, int]]) -> Solution | None:
    """A plan from {load key: (zone key, start)} (loads not in it are left out), or None."""
    inst = dec.inst
    loads = inst.loads
    n = len(loads)
    sol = Solution(cand=[None] * n, dock=[-1] * n, start=[0] * n, cost=[0.0] * n)
    tl = Timeline(inst)
    for k, (c, dk, s) in dec.pinned.items():
        if k not in chosen:
            return None
        tl.place(dk, s, loads[k].p, c.disinfection)
        sol.cand[k], sol.dock[k], sol.start[k] = c, dk, s
        sol.cost[k] = dec.cost_at(loads[k], c, dk, s)
    free = sorted((s, k, z) for k, (z, s) in chosen.items() if k not in dec.pinned)
    for s, k, z in free:
        ld = loads[k]
        c = next((x for x in ld.cands if x.zone == z), None)
        if c is None:
            return None
        docks = list(inst.zones[z].docks)
        prev = ld.previous
        if prev is not None:
            pdk = inst.dock_index.get((prev[0], prev[1]))
            if pdk in docks:  # its previous dock first: S4 may be saved there
                docks.remove(pdk)
                docks.insert(0, pdk)
        dock = next((dk for dk in docks if tl.fits_at(dk, ld.p, c.disinfection, s, ld.latest_end, ld.release)),
                    None)
        if dock is None:
            return None
        tl.place(dock, s, ld.p, c.disinfection)
        sol.cand[k], sol.dock[k], sol.start[k] = c, dock, s
        sol.cost[k] = dec.cost_at(ld, c, dock, s)
    for ld in loads:
        k = ld.key
        for i, gap in ld.inbounds:
            if sol.cand[k] is None:
                break
            ci = None if i < 0 else sol.cand[i]
            if ci is None or ci.zone != sol.cand[k].zone or (
                    sol.start[k] < sol.start[i] + loads[i].p + ci.disinfection + gap):
                return None
        if sol.cand[k] is None:
            reason = dec.reasons[k].code if k in dec.reasons else (
                ReasonCode.INBOUND_NOT_PLACED if ld.inbounds else ReasonCode.CAPACITY)
            sol.left_out[k] = reason
            sol.cost[k] = dec.unplaced_cost(ld)
    sol.objective = sum(sol.cost)
    sol.timeline = tl
    # An order that decodes close to this plan, for any search that continues from it.
    sol.order = [k for _, k, _ in free] + [k for k in dec.free if k not in chosen]
    return sol
