"""Per-dock sequence improvement on a real day: the dynasearch moves, evaluated exactly.

Each dock of a plan holds a sequence of free loads (not pinned, so never a checked-in one: those
are pinned), sorted by start. Iterated dynasearch (`dynasearch.py`) searches such a sequence with
three moves per pair of positions i < j: swap the two loads, move the load at i to just after j,
move the load at j to just before i. On a real day a dock has release times, opening hours,
blocked windows, crews and a site capacity shared with other docks, and relays tying loads to
loads on other docks, so a sequence's cost is no sum of shifted terms: each move here is
evaluated exactly on the live timeline instead.

A move on positions i..j takes the loads of that block off the timeline and puts them back in
the new order, each at its earliest feasible start on the same dock (or at its previous position
when that is still free and cheaper, S4), within the window its placed relay partners leave it
(H7). The loads after j follow one by one at their earliest feasible starts, until one whose
original start lies at or after the end of everything the move re-placed: from there on the plan
is unchanged and still feasible (nothing the move touched holds a resource at or after that
minute), so the evaluation stops. The move is kept when the changed loads cost strictly less,
else undone. Every accepted plan therefore keeps every hard rule by construction, and the
planner's verifier still checks the final one.

The search is a first-improvement descent over the docks, costliest first, each dock until none
of its moves within `REACH` positions pays, bounded by a count of earliest-fit queries
(`Decoder.placements`, the planner's work unit) so a seed and a budget give one plan.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hub_scheduler.solver.decode import Decoder, Solution, relay_window
from hub_scheduler.solver.instance import Candidate
from hub_scheduler.solver.timeline import Timeline

EPS = 1e-9
# Moves pair positions at most this far apart on a dock's sequence (a dock of a county day holds
# 10-40 loads).
REACH = 6
SWAP, FORWARD, BACKWARD = 0, 1, 2  # the loads at i and j trade places; i after j; j before i
MOVE_KINDS = (SWAP, FORWARD, BACKWARD)


def moved_block(block: list[int], kind: int) -> list[int]:
    """The block (positions i..j of a sequence) after the move of `kind` on its ends."""
    if len(block) < 2:
        return list(block)
    if kind == SWAP:
        return [block[-1], *block[1:-1], block[0]]
    if kind == FORWARD:
        return [*block[1:], block[0]]
    return [block[-1], *block[:-1]]


class DockMoves:
    """Exact moves on the dock sequences of a plan; applies them to `sol` in place (its timeline
    included) and keeps `sol.objective` in step."""

    def __init__(self, dec: Decoder, sol: Solution):
        assert sol.timeline is not None  # a decoded solution carries its timeline
        self.dec = dec
        self.sol = sol
        self.tl: Timeline = sol.timeline
        self.free = set(dec.free)

    def sequences(self) -> dict[int, list[int]]:
        """Per dock, its placed free loads in start order (docks with two or more only)."""
        sol = self.sol
        by_dock: dict[int, list[int]] = {}
        for k in self.free:
            if sol.cand[k] is not None:
                by_dock.setdefault(sol.dock[k], []).append(k)
        return {
            dk: sorted(keys, key=lambda k: sol.start[k])
            for dk, keys in by_dock.items()
            if len(keys) >= 2
        }

    def variable_cost(self, k: int) -> float:
        """The part of k's cost a move on its dock can change (all but the travel term)."""
        c = self.sol.cand[k]
        return self.sol.cost[k] - (c.travel_cost if c is not None else 0.0)

    def _earliest(self, k: int, c: Candidate, dock: int) -> tuple[int, float] | None:
        """k's cheapest start on `dock` given what is placed now: its earliest feasible start, or
        its previous position there when that is free and cheaper; None when none fits."""
        dec, sol = self.dec, self.sol
        ld = dec.inst.loads[k]

        def placed_at(j: int) -> tuple[Candidate, int] | None:
            cj = sol.cand[j]
            return None if cj is None else (cj, sol.start[j])

        if ld.inbounds or ld.outbounds:
            w = relay_window(dec.inst, k, placed_at, placed_at)
            if w is None or (w.zone is not None and w.zone != c.zone):
                return None
            est, limit = w.est, w.span_limit
        else:
            est, limit = ld.release, None
        le = ld.latest_end if limit is None else min(ld.latest_end, limit - c.disinfection)
        dec.placements += 1
        s = self.tl.earliest_start(dock, ld.p, c.disinfection, c.slot, est, le)
        best = None if s is None else (s, dec.cost_at(ld, c, dock, s))
        prev = ld.previous
        if prev is not None and prev.hub == c.hub and ld.load.previous is not None:
            kept = int(prev.start)
            if (
                dec.inst.dock_index.get((c.hub, prev.dock_id)) == dock
                and kept == prev.start
                and kept >= est
                and (best is None or kept != best[0])
                and self.tl.fits_at(dock, ld.p, c.disinfection, kept, le, est)
            ):
                cost = dec.cost_at(ld, c, dock, kept)
                if best is None or cost < best[1] - EPS:
                    best = (kept, cost)
        return best

    def try_move(self, seq: list[int], i: int, j: int, kind: int) -> float:
        """Apply the move of `kind` on positions i < j of the dock sequence `seq` when it makes the
        plan strictly cheaper: the gain, else 0.0 (and the plan is as before)."""
        sol, tl, loads = self.sol, self.tl, self.dec.inst.loads
        dock = sol.dock[seq[i]]
        block = moved_block(seq[i : j + 1], kind)
        # What each changed load held before: (candidate, start, cost).
        olds: list[tuple[int, Candidate, int, float]] = []

        def take(k: int) -> Candidate:
            c = sol.cand[k]
            assert c is not None  # loads of a dock sequence are placed
            olds.append((k, c, sol.start[k], sol.cost[k]))
            tl.unplace(dock, sol.start[k], loads[k].p, c.disinfection)
            sol.cand[k] = None
            return c

        cands = {k: take(k) for k in seq[i : j + 1]}
        reach = 0  # the end of the latest span this move re-placed
        ok = True
        for k in block:
            ok = self._put(k, cands[k], dock)
            if not ok:
                break
            reach = max(reach, sol.start[k] + loads[k].p + cands[k].disinfection)
        if ok:
            for k in seq[j + 1 :]:
                if sol.start[k] >= reach:
                    break  # from here on nothing the move touched holds a resource
                c = take(k)
                ok = self._put(k, c, dock)
                if not ok:
                    break
                reach = max(reach, sol.start[k] + loads[k].p + c.disinfection)
        before = sum(cost for _, _, _, cost in olds)
        after = sum(sol.cost[k] for k, _, _, _ in olds) if ok else 0.0
        if ok and after < before - EPS:
            sol.objective += after - before
            return before - after
        # Undo: the new places off, then every load back where it was.
        for k, c, _, _ in olds:
            if sol.cand[k] is not None:
                tl.unplace(dock, sol.start[k], loads[k].p, c.disinfection)
                sol.cand[k] = None
        for k, c, s, cost in olds:
            tl.place(dock, s, loads[k].p, c.disinfection)
            sol.cand[k], sol.start[k], sol.cost[k] = c, s, cost
        return 0.0

    def _put(self, k: int, c: Candidate, dock: int) -> bool:
        at = self._earliest(k, c, dock)
        if at is None:
            return False
        s, cost = at
        self.tl.place(dock, s, self.dec.inst.loads[k].p, c.disinfection)
        sol = self.sol
        sol.cand[k], sol.start[k], sol.cost[k] = c, s, cost
        return True


def dock_search(
    dec: Decoder,
    sol: Solution,
    *,
    clock,
    budget: int | None,
    report: Callable[[str, float], None],
    lower: Callable[[], float],
    stats: dict[str, Any],
    reach: int = REACH,
) -> Solution:
    """Improve every dock's sequence of free loads of `sol` (in place, and returned) by the
    swap / forward-insertion / backward-insertion moves of positions at most `reach` apart, first
    improvement, costliest dock first, each dock until none of its moves pays, then every dock
    again while a pass still found something.

    Ends when the clock is out, `dec.placements` reaches `budget` (earliest-fit queries; None: no
    budget) or the objective meets `lower()`. Never makes the plan worse. Stats:
    `dock_moves_tried`, `dock_moves_kept`, `dock_passes`."""
    moves = DockMoves(dec, sol)
    tried = kept = passes = 0

    def spent() -> bool:
        return clock.out() or (budget is not None and dec.placements >= budget)

    improved = True
    while improved and not spent() and sol.objective > lower() + EPS:
        improved = False
        passes += 1
        seqs = moves.sequences()
        order = sorted(seqs, key=lambda dk: -sum(moves.variable_cost(k) for k in seqs[dk]))
        for dk in order:
            if spent():
                break
            seq = seqs[dk]
            i = 0
            while i < len(seq) - 1 and not spent():
                # What the loads from i on could still save: nothing, and no move from i on pays.
                if sum(moves.variable_cost(k) for k in seq[i:]) <= EPS:
                    break
                gained = False
                for j in range(i + 1, min(len(seq), i + 1 + reach)):
                    for kind in MOVE_KINDS if j > i + 1 else (SWAP,):
                        if spent():
                            break
                        tried += 1
                        if moves.try_move(seq, i, j, kind) > EPS:
                            gained = True
                            break
                    if gained or spent():
                        break
                if gained:
                    kept += 1
                    improved = True
                    seq.sort(key=lambda k: sol.start[k])
                    report("improve", sol.objective)
                    i = max(0, i - 1)  # the load now before i may pair better with the new one
                else:
                    i += 1
    sol.objective = sum(sol.cost)
    stats["dock_moves_tried"] = stats.get("dock_moves_tried", 0) + tried
    stats["dock_moves_kept"] = stats.get("dock_moves_kept", 0) + kept
    stats["dock_passes"] = stats.get("dock_passes", 0) + passes
    return sol
