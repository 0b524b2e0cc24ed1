"""Explanations: a reason for each load left out (an English sentence, and a detail code with
parameters the pages translate), and who held a late load's dock before it."""

from __future__ import annotations

from hub_scheduler.domain import ReasonCode
from hub_scheduler.solver.decode import Decoder, Solution
from hub_scheduler.solver.eligibility import Reason
from hub_scheduler.solver.timeline import Timeline


def _fmt(dec: Decoder, minutes: int) -> str:
    return dec.inst.moment(minutes).astimezone(dec.inst.tz).strftime("%m-%d %H:%M")


def capacity_reason(dec: Decoder, sol: Solution, k: int) -> Reason:
    """CAPACITY: where the load would fit on an empty hub, and the loads of equal or higher weight
    there (details `capacity_no_slot`, `capacity_taken`, `capacity_held`; params `hub`, `zone`,
    `start` as local "MM-DD HH:MM", `loads` the first 8 ids, `more` how many beyond them)."""
    code = ReasonCode.CAPACITY
    inst = dec.inst
    ld = inst.loads[k]
    empty = Timeline(inst)
    best = dec.best_place(empty, ld, ld.release, ld.latest_end)
    if best is None:
        return Reason(code, "no dock it may use has a free slot in its window", "capacity_no_slot")
    cand, s = best.cand, best.start
    lo, hi = s, ld.latest_end
    holders = []
    for j, c in enumerate(sol.cand):
        if c is None or c.zone not in {x.zone for x in ld.cands}:
            continue
        other = inst.loads[j]
        if (
            inst.loads[j].w >= ld.w
            and sol.start[j] < hi
            and sol.start[j] + other.p + c.disinfection > lo
        ):
            holders.append((sol.start[j], other.id))
    holders.sort()
    names = ", ".join(i for _, i in holders[:8]) + (
        f" and {len(holders) - 8} more" if len(holders) > 8 else ""
    )
    hub, zone = inst.hubs[cand.hub].id, inst.zones[cand.zone].id
    where = f"hub {hub} zone {zone}"
    params: dict = {"hub": hub, "zone": zone, "start": _fmt(dec, s)}
    if not holders:
        text = (
            f"it fits on an empty {where} from {_fmt(dec, s)}, but the docks it may use are taken "
            "in its window (pinned loads, relays or crews)"
        )
        return Reason(code, text, "capacity_taken", params)
    text = (
        f"it fits on an empty {where} from {_fmt(dec, s)}, but in its window the docks it may use "
        f"are held by loads of equal or higher weight: {names}"
    )
    params |= {"loads": [i for _, i in holders[:8]], "more": max(0, len(holders) - 8)}
    return Reason(code, text, "capacity_held", params)


def left_out_reason(dec: Decoder, sol: Solution, k: int) -> Reason:
    """The reason for a load left out, by its reason code (`inbound_not_placed`: params `loads`,
    the inbound ids placed in this plan, and `missing`, how many are not in it)."""
    code = sol.left_out[k]
    if k in dec.reasons and dec.reasons[k].code == code:
        return dec.reasons[k]
    ld = dec.inst.loads[k]
    if code is ReasonCode.INBOUND_NOT_PLACED:
        inbound = ", ".join(
            dec.inst.loads[i].id if i >= 0 else "(not in the plan)" for i, _ in ld.inbounds
        )
        text = (
            f"its inbound load ({inbound}) is not placed, or leaves no slot after it "
            "in the same zone"
        )
        params = {
            "loads": [dec.inst.loads[i].id for i, _ in ld.inbounds if i >= 0],
            "missing": sum(1 for i, _ in ld.inbounds if i < 0),
        }
        return Reason(code, text, "inbound_not_placed", params)
    return capacity_reason(dec, sol, k)


def reason_sentence(dec: Decoder, sol: Solution, k: int) -> str:
    """The English sentence for a load left out."""
    return left_out_reason(dec, sol, k).text


def dock_predecessors(dec: Decoder, sol: Solution, k: int, limit: int = 5) -> list[str]:
    """The operations that held the late load's dock before it, latest first."""
    dk, s = sol.dock[k], sol.start[k]
    before = [
        (sol.start[j], dec.inst.loads[j].id)
        for j in range(len(sol.cand))
        if sol.cand[j] is not None and sol.dock[j] == dk and sol.start[j] < s
    ]
    before.sort(reverse=True)
    return [i for _, i in before[:limit]]
