"""The tail repack: after the packing solve of a neighbourhood that still leaves a load out, the
day's end of that neighbourhood solved again, small enough for CP-SAT's full search.

The packing round (`zone_lns.PACK_FIRST`) runs CP-SAT's own neighbourhoods (LNS-only) on the whole
cold zone pair (county day: 58 loads); from a plan in the bad basin (a weight-4 or -5 cold load left
out) they return to the same left-out set (an attractor). The cold loads' latest end is the
horizon's end, so the room a left-out load needs can be made by re-packing the latest loads: here
the last `TAIL_LOADS` placed loads of the neighbourhood (latest starts) and its left-out loads are
one smaller neighbourhood, every other load fixed, solved on placed weight alone with the full
search (branching and propagation from the hint, not LNS), which there sometimes finds what the LNS
does not (county day, 10 s of work: seeds 3, 8, 10, 22, 29 of 1-30 reach the good left-out set, seed
12 leaves it; `docs/solver.md`, session 10). `zone_lns` keeps its answer only through the same
rebuild and strictly-cheaper check as its own solves, so the step never makes a plan worse.
"""

from __future__ import annotations

from hub_scheduler.solver.decode import Decoder, Solution
from hub_scheduler.solver.zone_model import solve_neighbourhood

# Off: the packing round gets the whole of its time and no tail is solved (the benches' base).
TAIL = True
# Placed loads (latest starts) re-placed with the left-out ones: 25 is about the last 40% of the
# county day's cold zone pair (58 loads); 20 and 35 landed fewer seeds in the good basin (10 of
# 20 against 11), and the whole pair is too big for the full search (solver17: 0 of 6).
TAIL_LOADS = 25
# CP-SAT's deterministic limit for the tail solve, taken from the packing solve's (county day at
# 10 s of work: 0.27 -> 0.17 for the packing, 0.1 here; the total unchanged).
TAIL_DTIME = 0.1


def tail_keys(sol: Solution, ks: list[int]) -> list[int]:
    """Sorted load keys of the tail of neighbourhood `ks` in plan `sol`: its left-out loads and
    its `TAIL_LOADS` placed loads with the latest starts (ties by key); [] when none is left
    out."""
    out = [k for k in ks if sol.cand[k] is None]
    if not out:
        return []
    placed = sorted((k for k in ks if sol.cand[k] is not None), key=lambda k: (-sol.start[k], k))
    return sorted(out + placed[:TAIL_LOADS])


def tail_repack(
    dec: Decoder, sol: Solution, ks: list[int], dtime: float, wall: float, seed: int
) -> tuple[list[int], dict[int, tuple[int, int]] | None, float, bool]:
    """(the tail's keys, CP-SAT's placement of them or None, deterministic seconds used, whether
    a limit ended it) for neighbourhood `ks` of `sol`: the tail (`tail_keys`) solved on placed
    weight alone by CP-SAT's full search within `dtime` deterministic and `wall` seconds. An
    empty tail (nothing left out) costs nothing: ([], None, 0.0, False). The caller rebuilds and
    checks the plan (`zone_lns.rebuild`)."""
    tail = tail_keys(sol, ks)
    if not tail:
        return [], None, 0.0, False
    chosen, spent, at_limit = solve_neighbourhood(
        dec, sol, tail, dtime, wall, seed, weight_only=True, lns=False
    )
    return tail, chosen, spent, at_limit
