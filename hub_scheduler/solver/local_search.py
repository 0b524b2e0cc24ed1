"""Moves in schedule space: take loads off the timeline and put them back where they cost least.

Two moves, both exact on the live timeline (so every accepted plan keeps every hard rule):
- reinsert: a late (or left-out) load is taken off and put at its cheapest feasible place;
- eject: a blocking load in the same zone and window is taken off too, the costly load goes first,
  the blocker goes back wherever it fits best; kept when the pair costs no more than before.
Relays keep their order and zone: a load's window is bounded by its placed inbounds and outbounds.
These moves cost a few earliest-fit queries each, whatever the size of the day, so they carry the
improvement on days too big for re-decoding whole orders.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from hub_scheduler.domain import ReasonCode
from hub_scheduler.solver.decode import Decoder, Place, RelayWindow, Solution, relay_window
from hub_scheduler.solver.instance import Candidate
from hub_scheduler.solver.timeline import Timeline

EPS = 1e-9
# The share of eject moves that take several blockers of the load's window at once (a small
# large-neighbourhood move: 3 to WIDE_EJECT_MAX loads off, k first, the rest back in start order).
WIDE_EJECT = 0.4
WIDE_EJECT_MAX = 8


class ScheduleMoves:
    """Applies moves to a solution in place; the solution is always the best one seen."""

    def __init__(self, dec: Decoder, sol: Solution, rng: random.Random):
        self.dec = dec
        self.sol = sol
        assert sol.timeline is not None  # a decoded solution carries its timeline
        self.tl: Timeline = sol.timeline
        self.rng = rng
        inst = dec.inst
        self.movable = [k for k in dec.free]
        self.movable_set = set(self.movable)
        self.members: dict[int, set[int]] = {z.key: set() for z in inst.zones}
        for k in range(len(inst.loads)):
            c = sol.cand[k]
            if c is not None:
                self.members[c.zone].add(k)

    # --- bookkeeping -----------------------------------------------------------------------------

    def _take(self, k: int) -> tuple:
        """Take k off the timeline; return what is needed to put it back."""
        sol, ld = self.sol, self.dec.inst.loads[k]
        c = sol.cand[k]
        old = (c, sol.dock[k], sol.start[k], sol.cost[k], sol.left_out.get(k))
        if c is not None:
            self.tl.unplace(sol.dock[k], sol.start[k], ld.p, c.disinfection)
            self.members[c.zone].discard(k)
            sol.cand[k] = None
        return old

    def _put(self, k: int, c, dock: int, s: int, cost: float) -> None:
        sol, ld = self.sol, self.dec.inst.loads[k]
        self.tl.place(dock, s, ld.p, c.disinfection)
        self.members[c.zone].add(k)
        sol.cand[k], sol.dock[k], sol.start[k], sol.cost[k] = c, dock, s, cost
        sol.left_out.pop(k, None)

    def _restore(self, k: int, old: tuple) -> None:
        c, dock, s, cost, reason = old
        sol = self.sol
        if sol.cand[k] is not None:
            self._take(k)
        if c is not None:
            self._put(k, c, dock, s, cost)
        else:
            sol.cost[k] = cost
            sol.left_out[k] = reason

    def _leave_out(self, k: int, reason) -> bool:
        """Mark k left out (it must already be off the timeline); False when a placed outbound
        needs it."""
        sol = self.sol
        if any(sol.cand[o] is not None for o, _ in self.dec.inst.loads[k].outbounds):
            return False
        sol.cost[k] = self.dec.unplaced_cost(self.dec.inst.loads[k])
        sol.left_out[k] = reason
        return True

    def window(self, k: int) -> RelayWindow | None:
        """What k's placed relay partners (inbounds and outbounds) leave it; None if nothing."""
        sol = self.sol

        def placed_at(j: int) -> tuple[Candidate, int] | None:
            cj = sol.cand[j]
            return None if cj is None else (cj, sol.start[j])

        return relay_window(self.dec.inst, k, placed_at, placed_at)

    def _best(self, k: int) -> Place | None:
        w = self.window(k)
        if w is None:
            return None
        est, zone, limit = w
        ld = self.dec.inst.loads[k]
        return self.dec.best_place(self.tl, ld, est, ld.latest_end, zone, limit)

    # --- moves -----------------------------------------------------------------------------------

    def reinsert(self, k: int) -> float:
        """Put k at its cheapest place if that is cheaper; the gain (0 when nothing changed)."""
        sol = self.sol
        before = sol.cost[k]
        old = self._take(k)
        best = self._best(k)
        if best is not None and best.cost < before - EPS:
            self._put(k, best.cand, best.dock, best.start, best.cost)
            sol.objective += best.cost - before
            return before - best.cost
        self._restore(k, old)
        return 0.0

    def eject(self, k: int, js: list[int], plateau: bool, lead: list[int] | None = None) -> float:
        """Take k, its blockers js (and the loads of `lead`, e.g. its inbound) off; place the lead,
        then k, then the blockers again wherever each fits best (or leave it out); keep it when the
        lot costs no more. The gain, or -1 when undone."""
        sol = self.sol
        # Only loads the search may move: never a pinned one, never one that can never be placed.
        seq = [j for j in dict.fromkeys([*(lead or ()), k, *js]) if j in self.movable_set]
        if k not in seq:
            return -1.0
        before = sum(sol.cost[j] for j in seq)
        olds = [self._take(j) for j in seq]
        old_k = olds[seq.index(k)]
        after = 0.0
        for j in seq:
            best_j = self._best(j)
            if best_j is not None:
                self._put(j, best_j.cand, best_j.dock, best_j.start, best_j.cost)
                after += best_j.cost
                continue
            loads = self.dec.inst.loads
            reason = (
                ReasonCode.INBOUND_NOT_PLACED
                if any(i < 0 or sol.cand[i] is None for i, _ in loads[j].inbounds)
                else ReasonCode.CAPACITY
            )
            if not self._leave_out(j, reason):
                after = float("inf")
                break
            after += sol.cost[j]
        moved = sol.cand[k] is not None and (sol.dock[k], sol.start[k]) != old_k[1:3]
        if after < before - EPS or (plateau and moved and after <= before + EPS):
            sol.objective += after - before
            return before - after
        # Undo: take the new places off, then put every load back where it was.
        for j in seq:
            if sol.cand[j] is not None:
                self._take(j)
        for j, old in zip(seq, olds, strict=True):
            self._restore(j, old)
        return -1.0

    def next_on_dock(self, j: int) -> int | None:
        """The movable load that follows j on its dock, if any."""
        sol = self.sol
        dock, start, cj = sol.dock[j], sol.start[j], sol.cand[j]
        assert cj is not None  # j is placed
        best = None
        for o in self.members[cj.zone]:
            if sol.dock[o] == dock and sol.start[o] > start and o not in self.dec.pinned:
                if best is None or sol.start[o] < sol.start[best]:
                    best = o
        return best

    def dock_chain(self, k: int) -> list[int]:
        """The movable loads of one dock k may use (at random), in start order, from the first
        whose span reaches past k's release; empty when there is none."""
        inst, sol, rng = self.dec.inst, self.sol, self.rng
        ld = inst.loads[k]
        if not ld.cands:
            return []
        c = rng.choice(ld.cands)
        if not c.docks:
            return []
        dock = rng.choice(c.docks)
        pinned = self.dec.pinned
        run = []
        for j in self.members[c.zone]:
            cj = sol.cand[j]
            assert cj is not None  # zone members are placed
            if sol.dock[j] != dock or j == k or j in pinned or sol.start[j] >= ld.latest_end:
                continue
            if sol.start[j] + inst.loads[j].p + cj.disinfection > ld.release:
                run.append(j)
        return sorted(run, key=lambda j: sol.start[j])

    def blockers(self, k: int) -> list[int]:
        """Movable loads placed in k's zones whose spans meet k's wished window."""
        inst, sol = self.dec.inst, self.sol
        ld = inst.loads[k]
        lo = ld.release
        # A left-out load may go anywhere in its window; a late one wants to be before its due.
        hi = ld.latest_end if sol.cand[k] is None else max(int(ld.due), lo + ld.p) + ld.p
        out = []
        pinned = self.dec.pinned
        for c in ld.cands:
            for j in self.members[c.zone]:
                if j in pinned or j == k:
                    continue
                s, cj = sol.start[j], sol.cand[j]
                assert cj is not None  # zone members are placed
                if s < hi and s + inst.loads[j].p + cj.disinfection > lo:
                    out.append(j)
        return out


def schedule_search(
    dec: Decoder,
    sol: Solution,
    *,
    clock,
    seed: int,
    budget: int | None,
    report: Callable[[str, float], None],
    lower: Callable[[], float],
    stats: dict[str, Any],
) -> Solution:
    """Reinsert and eject moves on costly loads until time (or the deterministic budget) runs
    out."""
    rng = random.Random(seed + 7)
    moves = ScheduleMoves(dec, sol, rng)
    inst = dec.inst
    movable = moves.movable
    if not movable:
        return sol
    tries = 0
    accepted = 0
    best_reported = sol.objective
    # One sweep of plain reinsertion first: cheap and often worth a lot.
    for k in sorted(movable, key=lambda k: -sol.cost[k]):
        if clock.out() or (budget is not None and dec.placements >= budget):
            break
        if sol.cost[k] > EPS:
            moves.reinsert(k)
    while not clock.out() and (budget is None or dec.placements < budget):
        if sol.objective <= lower() + EPS:
            break
        if tries % 32 == 0:
            costly = [k for k in movable if sol.cost[k] > EPS]
            left = [k for k in costly if sol.cand[k] is None]
            weights = [sol.cost[k] if sol.cand[k] is not None else inst.loads[k].w for k in costly]
            if not costly:
                break
        tries += 1
        if left and rng.random() < 0.5:
            k = rng.choice(left)
        else:
            k = rng.choices(costly, weights=weights)[0]
        if rng.random() < 0.2:
            gain = moves.reinsert(k)
        else:
            blockers = moves.blockers(k)
            if not blockers:
                continue
            chain = moves.dock_chain(k) if rng.random() < WIDE_EJECT else []
            if chain:
                # A dock's run of loads from k's release on comes off with k, k goes first and
                # the run follows in start order (one or two blockers rarely make room for a
                # long left-out load: the loads after them must shift too).
                js = chain[: rng.randint(1, WIDE_EJECT_MAX)]
            else:
                j = rng.choice(blockers)
                js = [j]
                if rng.random() < 0.3:
                    following = moves.next_on_dock(j)
                    if following is not None and following != k:
                        js.append(following)
            # An outbound often needs its inbound moved first to make room after it.
            lead = [i for i, _ in inst.loads[k].inbounds if i >= 0] if rng.random() < 0.5 else None
            gain = moves.eject(k, js, plateau=rng.random() < 0.3, lead=lead)
        if gain > EPS:
            accepted += 1
            if sol.objective < best_reported - EPS:
                best_reported = sol.objective
                report("improve", sol.objective)
        if tries % 64 == 63:
            # Costs drift in floating point: recompute the total now and then.
            sol.objective = sum(sol.cost)
    sol.objective = sum(sol.cost)
    stats["schedule_moves_tried"] = tries
    stats["schedule_moves_kept"] = accepted
    return sol


def left_out_sweep(
    dec: Decoder,
    sol: Solution,
    *,
    clock,
    budget: int | None,
    stats: dict[str, Any],
) -> Solution:
    """Every left-out load, heaviest first, against every blocker of its window, the cheapest to
    leave out (weight per minute) first: the blocker off, the load in, the blocker back wherever
    it fits (or left out); then the same with the other left-out loads of the load's zones put in
    before the blocker. The first move that gains is kept and the sweep starts over, until none
    gains or the work is up. Deterministic, no randomness.

    Why: which loads a tight cold zone leaves out decides the county day's basin (one load of
    weight 4 is 86,400); the random eject moves rarely draw the one blocker whose place fits two
    short left-out loads, a sweep over all of them finds it in 5,000-12,000 earliest-fit
    queries."""
    moves = ScheduleMoves(dec, sol, random.Random(0))
    loads = dec.inst.loads
    kept = 0
    # Left-out loads tried without a gain since their zones last changed: not tried again (a
    # load no blocker can make room for would cost a whole scan after every gain elsewhere).
    tried: set[int] = set()

    def spent() -> bool:
        return clock.out() or (budget is not None and dec.placements >= budget)

    def zones(k: int) -> set[int]:
        return {c.zone for c in loads[k].cands}

    def gain_for(k: int, outs: list[int]) -> bool:
        mine = zones(k)
        others = [j for j in outs if j != k and zones(j) & mine]
        # The cheapest to leave out (weight per minute) first.
        for m in sorted(set(moves.blockers(k)), key=lambda m: (loads[m].w / loads[m].p, m)):
            if spent():
                return False
            if moves.eject(k, [m], plateau=False) > EPS:
                return True
            if others and moves.eject(k, [*others, m], plateau=False) > EPS:
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
        if gain_for(k, outs):
            kept += 1
            tried = {j for j in tried if not zones(j) & zones(k)}
        else:
            tried.add(k)
    sol.objective = sum(sol.cost)
    stats["left_out_moves_kept"] = stats.get("left_out_moves_kept", 0) + kept
    return sol
