"""Turning the relaxed CP-SAT model's solution into a real plan (docks assigned, every rule
checked).

The model keeps zones as cumulatives, so its solution says where (zone) and when (start) each load
goes but not on which dock. Loads are taken in the model's start order; each gets a dock that is
free at its start (its previous dock first). When none is (a dock-only blocked window, a pin, a
relay the relaxation let slip), the load takes its cheapest feasible place instead, like the decoder
would; loads the model left out get a last chance at the end. Every placement is checked on a
timeline, so the result keeps every hard rule whatever the model said.
"""

from __future__ import annotations

from hub_scheduler.domain import ReasonCode
from hub_scheduler.solver.decode import Decoder, Place, Solution, relay_window
from hub_scheduler.solver.instance import Candidate
from hub_scheduler.solver.timeline import Timeline


def solution_from_cpsat(dec: Decoder, chosen: dict[int, tuple[int, int]]) -> Solution:
    """A plan from {load key: (zone key, start)}; loads not in it are placed last if they fit."""
    inst = dec.inst
    loads = inst.loads
    n = len(loads)
    sol = Solution(cand=[None] * n, dock=[-1] * n, start=[0] * n, cost=[0.0] * n)
    tl = Timeline(inst)
    for k, (c, dk, s) in dec.pinned.items():
        tl.place(dk, s, loads[k].p, c.disinfection)
        sol.cand[k], sol.dock[k], sol.start[k] = c, dk, s
        sol.cost[k] = dec.cost_at(loads[k], c, dk, s)
    wished = sorted((s, k, z) for k, (z, s) in chosen.items() if k in set(dec.free))
    rest = [k for k in dec.free if k not in chosen]
    order = [k for _, k, _ in wished] + rest

    def placed_at(i: int) -> tuple[Candidate, int] | None:
        ci = sol.cand[i]
        return None if ci is None else (ci, sol.start[i])

    for pos, k in enumerate(order):
        ld = loads[k]
        # Placed inbounds bound it from below; pinned outbounds from above.
        window = relay_window(
            inst,
            k,
            placed_at,
            lambda o: None if o not in dec.pinned else (dec.pinned[o][0], dec.pinned[o][2]),
        )
        if window is None:
            continue
        est, zone, limit = window
        placed = None
        if pos < len(wished):
            s, _, z = wished[pos]
            cw = next((x for x in ld.cands if x.zone == z), None)
            if cw is not None and (zone is None or zone == z) and s >= est:
                latest = (
                    ld.latest_end if limit is None else min(ld.latest_end, limit - cw.disinfection)
                )
                docks = list(cw.docks)
                prev = ld.previous
                if prev is not None:
                    pdk = inst.dock_index.get((prev.hub, prev.dock_id))
                    if pdk in docks:  # its previous dock first: S4 may be saved there
                        docks.remove(pdk)
                        docks.insert(0, pdk)
                dock = next(
                    (dk for dk in docks if tl.fits_at(dk, ld.p, cw.disinfection, s, latest, est)),
                    None,
                )
                if dock is not None:
                    placed = Place(dec.cost_at(ld, cw, dock, s), cw, dock, s)
        if placed is None:
            placed = dec.best_place(tl, ld, est, ld.latest_end, zone, limit)
        if placed is not None:
            cost, c, dock, s = placed
            tl.place(dock, s, ld.p, c.disinfection)
            sol.cand[k], sol.dock[k], sol.start[k], sol.cost[k] = c, dock, s, cost
    for ld in loads:
        k = ld.key
        if sol.cand[k] is None:
            reason = (
                dec.reasons[k].code
                if k in dec.reasons
                else (ReasonCode.INBOUND_NOT_PLACED if ld.inbounds else ReasonCode.CAPACITY)
            )
            sol.left_out[k] = reason
            sol.cost[k] = dec.unplaced_cost(ld)
    dec._drop_stranded_pinned_outbounds(sol, tl)
    sol.objective = sum(sol.cost)
    sol.timeline = tl
    sol.order = order  # an order that decodes close to this plan, for a search that goes on from it
    return sol
