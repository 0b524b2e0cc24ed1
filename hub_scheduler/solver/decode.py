"""The serial schedule-generation scheme: a priority order of loads becomes a plan.

Pinned loads are placed first, exactly where they are pinned (H10). Then each load, in order, takes
the (zone, dock, start) that costs it least among the earliest feasible starts of every dock it may
use, given the loads placed before it; its previous position counts when still free (S4). An
outbound
load of a relay waits until its inbound is decided and then stays in the same hub and zone, after
the
inbound's disinfection and gap (H7). A load with no feasible place is left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from hub_scheduler.domain import ReasonCode
from hub_scheduler.facts import relay_offset
from hub_scheduler.solver.eligibility import Reason
from hub_scheduler.solver.instance import Candidate, Instance, LoadData
from hub_scheduler.solver.timeline import Timeline


@dataclass
class Solution:
    """A decoded plan: per load key its (candidate, dock, start), or a reason code when left out."""

    cand: list[Candidate | None]
    dock: list[int]
    start: list[int]
    cost: list[float]
    left_out: dict[int, ReasonCode] = field(default_factory=dict)
    objective: float = 0.0
    order: list[int] = field(default_factory=list)
    timeline: Timeline | None = (
        None  # the resource state of this plan (for moves in schedule space)
    )
    # Each decision of the decode in turn (key, candidate, dock, start, cost, reason), and after
    # each
    # position of the order how many decisions were made: a later decode sharing a prefix replays
    # them.
    events: list[tuple] = field(default_factory=list)
    marks: list[int] = field(default_factory=list)

    def placed(self, k: int) -> bool:
        return self.cand[k] is not None


class Place(NamedTuple):
    """Where a load goes and what it costs there (S2 + S3 + S4 + S5)."""

    cost: float
    cand: Candidate
    dock: int
    start: int


class RelayWindow(NamedTuple):
    """What a load's placed relay partners leave it (H7)."""

    est: int  # earliest start: after every placed inbound's span and gap
    zone: int | None  # the zone its partners force, if any
    span_limit: int | None  # latest span end: before every placed outbound's start minus gap


# A partner's (candidate, start) when it counts as placed, else None.
PartnerAt = Callable[[int], tuple[Candidate, int] | None]


def relay_window(
    inst: Instance, k: int, inbound_at: PartnerAt, outbound_at: PartnerAt
) -> RelayWindow | None:
    """H7 the window load k's relay partners leave it; None when none can (an inbound not placed,
    or partners in different zones). Outbounds that `outbound_at` does not place are ignored."""
    ld = inst.loads[k]
    est, zone, limit = ld.release, None, None
    for i, gap in ld.inbounds:
        at = None if i < 0 else inbound_at(i)
        if at is None:
            return None
        c, s = at
        if zone is not None and zone != c.zone:
            return None
        zone = c.zone
        est = max(est, s + relay_offset(inst.loads[i].p, c.disinfection, gap))
    for o, gap in ld.outbounds:
        at = outbound_at(o)
        if at is None:
            continue
        c, s = at
        if zone is not None and zone != c.zone:
            return None
        zone = c.zone
        limit = s - gap if limit is None else min(limit, s - gap)
    return RelayWindow(est, zone, limit)


def release_minutes(inst: Instance, ld: LoadData) -> float:
    return (ld.load.release - inst.scenario.horizon.start).total_seconds() / 60


class Decoder:
    """Decodes orders for one instance; pins are checked once and reused by every decode."""

    def __init__(self, inst: Instance, reasons: dict[int, Reason]):
        self.inst = inst
        self.reasons = dict(reasons)  # why ineligible (or a pin that cannot stand) loads are out
        self.release_f = [release_minutes(inst, ld) for ld in inst.loads]
        n = len(inst.loads)
        # The objective terms of loads that are never placed, whatever the order.
        self.fixed_cost = 0.0
        self.pinned: dict[int, tuple[Candidate, int, int]] = {}
        self.pin_timeline = Timeline(inst)
        self._check_pins()
        for k in self.reasons:
            ld = inst.loads[k]
            self.fixed_cost += inst.U * ld.w + (inst.beta if ld.load.previous is not None else 0.0)
        self.free = [
            ld.key for ld in inst.loads if ld.key not in self.reasons and ld.key not in self.pinned
        ]
        self.n = n
        # Per inbound load, the zones where all its outbounds may go too (H7 keeps a relay in one
        # zone): placed elsewhere, however cheaply, it strands them and costs U each.
        self.relay_zones: dict[int, frozenset[int]] = {}
        for ld in inst.loads:
            outs = [o for o, _ in ld.outbounds if o >= 0 and o not in self.reasons]
            if outs:
                zones = {c.zone for c in ld.cands}
                for o in outs:
                    zones &= {c.zone for c in inst.loads[o].cands}
                self.relay_zones[ld.key] = frozenset(zones)
        self.earliest = False  # first-come-first-served takes the earliest slot, not the cheapest
        self.placements = (
            0  # work counter (earliest-fit queries): deterministic budgets count these
        )

    # --- pins (H10) ------------------------------------------------------------------------------

    def _check_pins(self) -> None:
        inst = self.inst
        for ld in inst.loads:
            if ld.pin is None or ld.key in self.reasons:
                continue
            reason = self._pin_problem(ld)
            if reason is not None:
                self.reasons[ld.key] = reason

    def _pin_problem(self, ld: LoadData) -> Reason | None:
        inst = self.inst
        pin = ld.pin
        assert pin is not None  # _check_pins passes pinned loads only
        hk = inst.hub_index.get(pin.hub_id)
        if hk is None or not inst.hubs[hk].active:
            status = "unknown" if hk is None else inst.hubs[hk].hub.status.value
            return Reason(
                ReasonCode.HUB_NOT_ALLOWED,
                f"it is pinned to hub {pin.hub_id}, which is {status}; "
                "a pinned load is never moved",
                "pinned_hub_unknown" if hk is None else "pinned_hub_status",
                {"hub": pin.hub_id, "status": status},
            )
        dk = inst.dock_index.get((hk, pin.dock_id))
        cand = None if dk is None else next((c for c in ld.cands if dk in c.docks), None)
        if dk is None or cand is None:
            return Reason(
                ReasonCode.HUB_NOT_ALLOWED,
                f"it is pinned to dock {pin.dock_id} at hub {pin.hub_id}, which cannot take it",
                "pinned_dock",
                {"hub": pin.hub_id, "dock": pin.dock_id},
            )
        s_f = inst.start_minutes(pin.start)
        s = int(s_f)
        if s != s_f or not self.pin_timeline.fits_at(
            dk, ld.p, cand.disinfection, s, ld.latest_end, ld.release
        ):
            return Reason(
                ReasonCode.CAPACITY,
                f"its pinned slot at {pin.hub_id}/{pin.dock_id} {pin.start.isoformat()} is not "
                "available (window, opening hours, blocked window, grid or another pinned load)",
                "pinned_slot",
                {
                    "hub": pin.hub_id,
                    "dock": pin.dock_id,
                    "start": pin.start.astimezone(inst.tz).strftime("%m-%d %H:%M"),
                },
            )
        self.pin_timeline.place(dk, s, ld.p, cand.disinfection)
        self.pinned[ld.key] = (cand, dk, s)
        return None

    # --- costs -----------------------------------------------------------------------------------

    def cost_at(self, ld: LoadData, cand: Candidate, dock: int, s: int) -> float:
        """S2 + S3 + S4 + S5 of the load placed at (dock, s)."""
        inst = self.inst
        cost = ld.w * max(0.0, s + ld.p - ld.due) + cand.travel_cost
        if ld.wait_coef:
            cost += ld.wait_coef * (s - self.release_f[ld.key])
        prev = ld.previous
        if ld.load.previous is not None and (
            prev is None
            or prev.hub != cand.hub
            or prev.dock_id != inst.docks[dock].id
            or prev.start != s
        ):
            cost += inst.beta
        return cost

    def unplaced_cost(self, ld: LoadData) -> float:
        return self.inst.U * ld.w + (self.inst.beta if ld.load.previous is not None else 0.0)

    # --- decoding --------------------------------------------------------------------------------

    def best_place(
        self,
        tl: Timeline,
        ld: LoadData,
        est: int,
        latest_end: int,
        zone: int | None = None,
        span_limit: int | None = None,
        zones: frozenset[int] | None = None,
    ) -> Place | None:
        """The cheapest place for the load on the timeline (in `zone`, or among `zones`), or
        None."""
        inst = self.inst
        best = None
        for c in ld.cands:
            if (zone is not None and c.zone != zone) or (zones is not None and c.zone not in zones):
                continue
            le = latest_end
            if span_limit is not None:
                le = min(le, span_limit - c.disinfection)
            first = -(-est // c.slot) * c.slot
            if best is not None:
                # The least this zone could cost (its first grid start, S4 aside): skip it if that
                # cannot beat the best so far.
                if self.earliest:
                    if first >= best.start:
                        continue
                else:
                    lb = ld.w * max(0.0, first + ld.p - ld.due) + c.travel_cost
                    if ld.wait_coef:
                        lb += ld.wait_coef * (first - self.release_f[ld.key])
                    if lb > best.cost or (lb == best.cost and first >= best.start):
                        continue
            for dk in c.docks:
                self.placements += 1
                cap = le
                if best is not None:
                    # Only a start that can still beat the best is worth the walk along the dock.
                    if self.earliest:
                        cap = min(cap, best.start + ld.p)
                    else:
                        slack = (best.cost - c.travel_cost) / ld.w
                        cap = min(cap, math.floor(ld.due + slack + 1e-9))
                s = tl.earliest_start(dk, ld.p, c.disinfection, c.slot, est, cap)
                if s is None:
                    continue
                cost = self.cost_at(ld, c, dk, s)
                if best is None or (
                    (s, cost) < (best.start, best.cost)
                    if self.earliest
                    else (cost, s) < (best.cost, best.start)
                ):
                    best = Place(cost, c, dk, s)
                if s == first:
                    break  # no other dock of this zone starts earlier
            prev = ld.previous
            if prev is not None and prev.hub == c.hub and ld.load.previous is not None:
                kept = inst.dock_index.get((c.hub, prev.dock_id))
                s = int(prev.start)
                if (
                    kept is not None
                    and kept in c.docks
                    and s == prev.start
                    and s >= est
                    and tl.fits_at(kept, ld.p, c.disinfection, s, le, est)
                ):
                    cost = self.cost_at(ld, c, kept, s)
                    if best is None or (s <= best.start if self.earliest else cost < best.cost):
                        best = Place(cost, c, kept, s)
        return best

    def decode(self, order: list[int], base: Solution | None = None, common: int = 0) -> Solution:
        """Place the pinned loads, then the loads of `order` one by one (serial SGS).

        With `base` decoded from an order whose first `common` positions equal this one's, those
        decisions are replayed instead of searched again."""
        inst = self.inst
        loads = inst.loads
        n = self.n
        sol = Solution(
            cand=[None] * n, dock=[-1] * n, start=[0] * n, cost=[0.0] * n, order=list(order)
        )
        tl = Timeline(inst)
        for k, (c, dk, s) in self.pinned.items():
            tl.place(dk, s, loads[k].p, c.disinfection)
            sol.cand[k], sol.dock[k], sol.start[k] = c, dk, s
            sol.cost[k] = self.cost_at(loads[k], c, dk, s)
        decided = [False] * n
        for k in self.pinned:
            decided[k] = True
        for k in self.reasons:
            decided[k] = True
            sol.left_out[k] = self.reasons[k].code
            sol.cost[k] = self.unplaced_cost(loads[k])
        waiting: dict[int, list[int]] = {}

        def placed_at(i: int) -> tuple[Candidate, int] | None:
            c = sol.cand[i]
            return None if c is None else (c, sol.start[i])

        def pinned_at(o: int) -> tuple[Candidate, int] | None:
            pin = self.pinned.get(o)
            return None if pin is None else (pin[0], pin[2])

        def place(k: int) -> None:
            ld = loads[k]
            for i, _ in ld.inbounds:
                if i < 0 or (decided[i] and sol.cand[i] is None):
                    decided[k] = True
                    sol.left_out[k] = ReasonCode.INBOUND_NOT_PLACED
                    sol.cost[k] = self.unplaced_cost(ld)
                    events.append((k, None, -1, 0, sol.cost[k], ReasonCode.INBOUND_NOT_PLACED))
                    return
                if not decided[i]:
                    waiting.setdefault(i, []).append(k)
                    return
            # Its inbounds are all placed now; a pinned outbound bounds it from above.
            if ld.inbounds or ld.outbounds:
                w = relay_window(inst, k, placed_at, pinned_at)
            else:
                w = RelayWindow(ld.release, None, None)
            best = None
            if w is not None:
                relay = self.relay_zones.get(k) if w.zone is None else None
                if relay:
                    best = self.best_place(
                        tl, ld, w.est, ld.latest_end, w.zone, w.span_limit, zones=relay
                    )
                if best is None:
                    best = self.best_place(tl, ld, w.est, ld.latest_end, w.zone, w.span_limit)
            decided[k] = True
            if best is None:
                reason = ReasonCode.INBOUND_NOT_PLACED if ld.inbounds else ReasonCode.CAPACITY
                sol.left_out[k] = reason
                sol.cost[k] = self.unplaced_cost(ld)
                events.append((k, None, -1, 0, sol.cost[k], reason))
            else:
                cost, c, dk, s = best
                tl.place(dk, s, ld.p, c.disinfection)
                sol.cand[k], sol.dock[k], sol.start[k], sol.cost[k] = c, dk, s, cost
                events.append((k, c, dk, s, cost, None))
            for o in waiting.pop(k, ()):
                if not decided[o]:
                    place(o)

        events = sol.events
        marks = sol.marks
        first = 0
        if base is not None and 0 < common <= len(base.marks):
            first = common
            for k, c, dk, s, cost, reason in base.events[: base.marks[common - 1]]:
                decided[k] = True
                sol.cost[k] = cost
                events.append((k, c, dk, s, cost, reason))
                if c is None:
                    sol.left_out[k] = reason
                else:
                    tl.place(dk, s, loads[k].p, c.disinfection)
                    sol.cand[k], sol.dock[k], sol.start[k] = c, dk, s
            for pos in range(common):
                k = order[pos]
                if not decided[k]:
                    place(k)  # an outbound still waiting for its inbound: it waits again
                marks.append(len(events))
        for pos in range(first, len(order)):
            k = order[pos]
            if not decided[k]:
                place(k)
            marks.append(len(events))
        # Outbounds still waiting (a cycle of relays, or an inbound outside the order) are left out.
        for k in range(n):
            if not decided[k]:
                decided[k] = True
                sol.left_out[k] = ReasonCode.INBOUND_NOT_PLACED
                sol.cost[k] = self.unplaced_cost(loads[k])
        self._drop_stranded_pinned_outbounds(sol, tl)
        sol.objective = sum(sol.cost)
        sol.timeline = tl
        return sol

    def _drop_stranded_pinned_outbounds(self, sol: Solution, tl: Timeline) -> None:
        """H7 an outbound whose inbound is not placed (or not in time, or elsewhere) goes out.

        Only a pinned outbound can be stranded this way, and then whatever relays on it in turn."""
        loads = self.inst.loads
        changed = True
        while changed:
            changed = False
            for ld in loads:
                k = ld.key
                ck = sol.cand[k]
                if ck is None or not ld.inbounds:
                    continue
                for i, gap in ld.inbounds:
                    ci = None if i < 0 else sol.cand[i]
                    ok = (
                        ci is not None
                        and ci.zone == ck.zone
                        and sol.start[k]
                        >= sol.start[i] + relay_offset(loads[i].p, ci.disinfection, gap)
                    )
                    if not ok:
                        tl.unplace(sol.dock[k], sol.start[k], ld.p, ck.disinfection)
                        sol.cand[k] = None
                        sol.left_out[k] = ReasonCode.INBOUND_NOT_PLACED
                        sol.cost[k] = self.unplaced_cost(ld)
                        changed = True
                        break
