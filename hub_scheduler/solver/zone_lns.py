"""CP-SAT large-neighbourhood search: repack a group of zones (or a time slice of one) exactly.

The local moves (`local_search.py`, `dock_search.py`) change one or two loads at a time; which
loads a tight zone leaves out and how the rest are packed around them can need many changes at
once (county day: the two cold zones). Here every load outside a neighbourhood keeps its place,
and the loads inside it (free, not part of a relay) are placed again by an exact CP-SAT model of
their docks: per dock the spans [start, end + d) never overlap (H3; the fixed loads' spans and the
dock's blocked windows are fixed intervals there), crews and site capacity count the fixed loads
too (H6, H8), starts keep to the window, opening hours, zone blocks and grid (H4, H5, H9); pinned
loads are never in a neighbourhood (H10), and the objective is each load's S1-S5 cost, stability
(S4: its previous dock and start) included. The model is hinted with the current plan and its
answer is kept only when the plan rebuilt from it fits a fresh timeline and costs strictly less
(the decoder's own costs), so the search never makes a plan worse.

Neighbourhoods: the free non-relay loads are grouped by the zones they may use (zones that share a
load are one group); a group of at most `MAX_LOADS` loads is one neighbourhood (a cold zone pair),
a bigger one is cut into overlapping slices of `MAX_LOADS` loads by time (placed start, or release
when left out). They are tried costliest first, in rounds, until a round gains nothing or the work
is up. With one worker CP-SAT runs on its deterministic limit with a fixed seed, so the same
plan, seed and work give the same plan on any machine.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from hub_scheduler.domain import ReasonCode
from hub_scheduler.facts import relay_offset
from hub_scheduler.solver.cpsat_model import feasible_starts
from hub_scheduler.solver.decode import Decoder, Solution
from hub_scheduler.solver.timeline import Timeline

# The most loads one neighbourhood re-places (a bigger zone group is sliced by time).
MAX_LOADS = 70
# CP-SAT's deterministic limit for one neighbourhood, per load in it (its unit, about a second).
DTIME_PER_LOAD = 0.01
# Rounds over every neighbourhood without a gain before the search stops (CP-SAT's neighbourhoods
# are random: another seed from the same plan often finds more).
STALL_ROUNDS = 2
# Less deterministic time than this left, and no neighbourhood is started.
MIN_DTIME = 0.05
# Objective coefficients are scaled by this and rounded (the plan's true cost decides).
SCALE = 100
LNS_ONLY = True
# Count a dock in whole slots when its grid allows it exactly (`_grids`).
GRID = True


def movable(dec: Decoder) -> list[int]:
    """Keys of the loads a neighbourhood may re-place: free (not pinned, not ineligible), with a
    candidate, and no inbound outside the day."""
    loads = dec.inst.loads
    return [k for k in dec.free if loads[k].cands and all(i >= 0 for i, _ in loads[k].inbounds)]


def neighbourhoods(dec: Decoder, sol: Solution) -> list[list[int]]:
    """Load-key lists, costliest first: one per zone group of at most `MAX_LOADS` movable loads,
    else overlapping time slices of the group (stride half a slice)."""
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

    Stats: `lns_solves`, `lns_gains`, `lns_dtime` (spent), `lns_cut_by_clock`."""
    best = sol
    left = dtime
    solves = gains = stall = 0
    cut = False
    while stall < STALL_ROUNDS and left >= MIN_DTIME and not clock.out():
        stall += 1
        for ks in neighbourhoods(dec, best):
            if left < MIN_DTIME or clock.out() or best.objective <= lower() + 1e-9:
                break
            limit = min(DTIME_PER_LOAD * len(ks), left)
            chosen, spent, at_limit = _solve(dec, best, ks, limit, clock.left(), seed + solves)
            solves += 1
            # Stopped by its wall limit (the clock) before its deterministic one: not the seed's.
            cut = cut or (at_limit and spent < 0.99 * limit)
            left -= max(spent, MIN_DTIME)  # a solve costs at least its floor: the loop ends
            if chosen is None:
                continue
            cand = _rebuild(dec, best, ks, chosen)
            if cand is not None and cand.objective < best.objective - 1e-6:
                best = cand
                gains += 1
                stall = 0
                report("improve", best.objective)
    stats["lns_solves"] = stats.get("lns_solves", 0) + solves
    stats["lns_gains"] = stats.get("lns_gains", 0) + gains
    stats["lns_dtime"] = round(stats.get("lns_dtime", 0.0) + dtime - max(0.0, left), 3)
    stats["lns_cut_by_clock"] = cut or bool(clock.out())
    return best


def _solve(
    dec: Decoder,
    sol: Solution,
    ks: list[int],
    dtime: float,
    wall: float,
    seed: int,
    weight_only: bool = False,
    force: int | None = None,
) -> tuple[dict[int, tuple[int, int]] | None, float, bool]:
    """({load key: (dock key, start)} for the placed loads of the neighbourhood, or None when
    CP-SAT found no plan; the deterministic time it used; whether a limit (not a proof) ended
    it)."""
    inst = dec.inst
    loads = inst.loads
    m = cp_model.CpModel()
    spans: dict[int, list] = {}  # dock -> span intervals [s, s + p + d)
    zone_ops: dict[int, list] = {}  # zone -> operations [s, s + p)
    hub_ops: dict[int, list] = {}
    terms: list = []
    out_terms: list = []  # S1 (and S4 of a load left out)
    present_of: dict[int, Any] = {}
    zone_lit: dict[tuple[int, int], Any] = {}
    dock_lit: dict[tuple[int, int], Any] = {}
    start: dict[int, Any] = {}
    hints: list[tuple[Any, int]] = []
    grid = _grids(dec, sol, ks) if GRID else {}
    for k in ks:
        ld = loads[k]
        now = sol.cand[k]
        s_now = sol.start[k] if now is not None else ld.release
        options = [(c, feasible_starts(inst, ld, c)) for c in ld.cands]
        options = [(c, p) for c, p in options if p]
        pieces = [piece for _, ps in options for piece in ps] + [(s_now, s_now)]
        s = m.new_int_var_from_domain(
            cp_model.Domain.from_intervals([list(x) for x in pieces]), f"s{k}"
        )
        start[k] = s
        hints.append((s, s_now))
        present = []
        for c, ps in options:
            lit = m.new_bool_var(f"z{k}_{c.zone}")
            zone_lit[(k, c.zone)] = lit
            g = c.slot
            idx = None
            if any(grid.get(dk, 1) > 1 for dk in c.docks):
                # The start as g times a slot index: this zone's docks count in whole slots.
                idx = m.new_int_var_from_domain(
                    cp_model.Domain.from_intervals([[a // g, b // g] for a, b in ps]), ""
                )
                m.add(s == g * idx).only_enforce_if(lit)
                here = now is not None and now.zone == c.zone
                hints.append((idx, s_now // g if here else ps[0][0] // g))
            else:
                values = [v for a, b in ps for v in range(a, b + 1, g)]
                m.add_linear_expression_in_domain(
                    s, cp_model.Domain.from_values(values)
                ).only_enforce_if(lit)
            hints.append((lit, int(now is not None and now.zone == c.zone)))
            d_lits = []
            for dk in c.docks:  # H3 per dock: a zone's cumulative admits starts no docks take
                d_lit = m.new_bool_var(f"d{k}_{dk}")
                dock_lit[(k, dk)] = d_lit
                d_lits.append(d_lit)
                hints.append((d_lit, int(now is not None and sol.dock[k] == dk)))
                span = ld.p + c.disinfection
                spans.setdefault(dk, []).append(
                    m.new_optional_fixed_size_interval_var(idx, -(-span // g), d_lit, "")
                    if idx is not None and grid.get(dk, 1) > 1
                    else m.new_optional_fixed_size_interval_var(s, span, d_lit, "")
                )
            m.add(sum(d_lits) == lit)
            op = m.new_optional_fixed_size_interval_var(s, ld.p, lit, "")
            zone_ops.setdefault(c.zone, []).append(op)
            hub_ops.setdefault(c.hub, []).append(op)
            if c.travel_cost:
                terms.append(round(SCALE * c.travel_cost) * lit)
            present.append(lit)
        pres = m.new_bool_var(f"p{k}")
        present_of[k] = pres
        m.add(sum(present) == pres)
        if k == force:
            m.add(pres == 1)
        hints.append((pres, int(now is not None)))
        out_terms.append(round(SCALE * dec.unplaced_cost(ld)) * (1 - pres))
        due = math.ceil(ld.due - 1e-9)
        tardy = m.new_int_var(0, max(0, inst.horizon + ld.p - due), f"t{k}")
        m.add(tardy >= s + ld.p - due).only_enforce_if(pres)
        hints.append((tardy, max(0, s_now + ld.p - due) if now is not None else 0))
        terms.append(round(SCALE * ld.w) * tardy)
        if ld.wait_coef:
            rel = math.floor(dec.release_f[k])
            wait = m.new_int_var(0, inst.horizon, f"w{k}")
            m.add(wait >= s - rel).only_enforce_if(pres)
            hints.append((wait, max(0, s_now - rel) if now is not None else 0))
            terms.append(round(SCALE * ld.wait_coef) * wait)
        if ld.load.previous is not None:
            terms.append(round(SCALE * inst.beta) * pres)
            _stay(m, dec, sol, k, s, dock_lit, terms, hints)
    _fixed_resources(m, dec, sol, set(ks), spans, zone_ops, hub_ops, grid)
    _relays(m, dec, sol, ks, present_of, zone_lit, start)
    m.minimize(sum(out_terms) if weight_only else sum(terms) + sum(out_terms))
    for var, value in hints:
        m.add_hint(var, value)
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.num_workers = 1
    prm.random_seed = seed % (2**31)
    prm.max_deterministic_time = dtime
    prm.max_time_in_seconds = max(0.01, wall)
    # CP-SAT's own neighbourhoods from the hint, interleaved on one thread (deterministic): on the
    # county day's cold zones (52 loads) 0.5 deterministic s found what the default search did not
    # find in 20; presolve's probing took most of a second there and is off.
    prm.interleave_search = LNS_ONLY and force is None
    prm.use_lns_only = LNS_ONLY and force is None
    prm.repair_hint = force is not None
    prm.cp_model_probing_level = 0
    prm.symmetry_level = 0
    status = solver.solve(m)
    spent = solver.response_proto.deterministic_time
    at_limit = status in (cp_model.FEASIBLE, cp_model.UNKNOWN)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, spent, at_limit
    chosen = {
        k: (dk, solver.value(start[k]))
        for (k, dk), lit in dock_lit.items()
        if solver.boolean_value(lit)
    }
    return chosen, spent, at_limit


def _grids(dec: Decoder, sol: Solution, ks: list[int]) -> dict[int, int]:
    """{dock: the slot every start on it keeps to} for the neighbourhood's docks whose spans can
    be counted in whole slots exactly: every candidate there has that slot, and every fixed span
    (a load outside, a block) starts on the grid. A span [s, s + L) with s on the grid ends by
    a start on the grid exactly when [s, s + ceil(L / g) g) does, so the same plans are allowed
    on a much smaller domain. Other docks count minutes."""
    inst = dec.inst
    slot: dict[int, set[int]] = {}
    for k in ks:
        for c in inst.loads[k].cands:
            for dk in c.docks:
                slot.setdefault(dk, set()).add(c.slot)
    inside = set(ks)
    off_grid = {
        sol.dock[k]
        for k, c in enumerate(sol.cand)
        if c is not None and k not in inside and sol.dock[k] in slot and sol.start[k] % c.slot
    }
    out = {}
    for dk, gs in slot.items():
        g = next(iter(gs))
        if len(gs) != 1 or g <= 1 or dk in off_grid:
            continue
        if any(a % g for a, b in inst.docks[dk].blocked if b > a):
            continue
        out[dk] = g
    return out


def _stay(m, dec: Decoder, sol: Solution, k: int, s, dock_lit, terms: list, hints: list) -> None:
    """S4 a load with a previous position saves beta when it stays on that dock at that start."""
    inst = dec.inst
    prev = inst.loads[k].previous
    if prev is None or prev.start != int(prev.start):
        return
    dk = inst.dock_index.get((prev.hub, prev.dock_id))
    lit = None if dk is None else dock_lit.get((k, dk))
    if lit is None:
        return
    stay = m.new_bool_var(f"stay{k}")
    m.add_implication(stay, lit)
    m.add(s == int(prev.start)).only_enforce_if(stay)
    terms.append(-round(SCALE * inst.beta) * stay)
    kept = sol.cand[k] is not None and sol.dock[k] == dk and sol.start[k] == prev.start
    hints.append((stay, int(kept)))


def _relays(m, dec: Decoder, sol: Solution, ks: list[int], present_of, zone_lit, start) -> None:
    """H7 an outbound only with its inbound, in its zone, at least the relay offset after it; a
    partner outside the neighbourhood stays where it is (left out: its outbound stays out too)."""
    loads = dec.inst.loads

    def offset(i: int, zone: int, gap: int) -> int | None:
        c = next((x for x in loads[i].cands if x.zone == zone), None)
        return None if c is None else relay_offset(loads[i].p, c.disinfection, gap)

    for k in ks:
        ld = loads[k]
        for i, gap in ld.inbounds:
            fixed = i not in present_of
            if fixed and sol.cand[i] is None:
                m.add(present_of[k] == 0)
                continue
            if not fixed:
                m.add_implication(present_of[k], present_of[i])
            for c in ld.cands:
                lit = zone_lit.get((k, c.zone))
                if lit is None:
                    continue
                off = offset(i, c.zone, gap)
                if fixed:
                    ci = sol.cand[i]
                    if off is None or ci is None or ci.zone != c.zone:
                        m.add(lit == 0)
                    else:
                        m.add(start[k] >= sol.start[i] + off).only_enforce_if(lit)
                    continue
                in_lit = zone_lit.get((i, c.zone))
                if off is None or in_lit is None:
                    m.add(lit == 0)
                    continue
                m.add_implication(lit, in_lit)
                m.add(start[k] >= start[i] + off).only_enforce_if(lit)
        for o, gap in ld.outbounds:
            co = None if o < 0 or o in present_of else sol.cand[o]
            if co is None:
                continue  # inside (constrained above), or left out: nothing to keep
            lit = zone_lit.get((k, co.zone))
            off = offset(k, co.zone, gap)
            if lit is None or off is None:
                m.add(present_of[k] == 0)
                m.add(present_of[k] == 1)  # the placed outbound needs it: no plan (kept as is)
                continue
            m.add(lit == 1)
            m.add(start[k] + off <= sol.start[o])


def _fixed_resources(
    m, dec: Decoder, sol: Solution, inside: set[int], spans, zone_ops, hub_ops, grid=None
):
    """H3 H6 H8 with the loads outside the neighbourhood (and dock blocks) as fixed intervals (a
    dock of `grid` in whole slots: starts on the grid, ends rounded up as the next start is)."""
    inst = dec.inst
    loads = inst.loads
    grid = grid or {}
    for k, c in enumerate(sol.cand):
        if c is None or k in inside:
            continue
        dk, s, p = sol.dock[k], sol.start[k], loads[k].p
        if dk in spans:
            g = grid.get(dk, 1)
            end = -(-(s + p + c.disinfection) // g)
            spans[dk].append(m.new_fixed_size_interval_var(s // g, end - s // g, ""))
        if c.zone in zone_ops:
            zone_ops[c.zone].append(m.new_fixed_size_interval_var(s, p, ""))
        if c.hub in hub_ops:
            hub_ops[c.hub].append(m.new_fixed_size_interval_var(s, p, ""))
    for dk, ivs in spans.items():
        g = grid.get(dk, 1)
        for a, b in inst.docks[dk].blocked:
            if b > a:
                ivs.append(m.new_fixed_size_interval_var(a // g, -(-b // g) - a // g, ""))
        m.add_no_overlap(ivs)
    for z, ops in zone_ops.items():
        zone = inst.zones[z]
        if zone.crews is not None and zone.crews < len(zone.docks):
            m.add_cumulative(ops, [1] * len(ops), zone.crews)
    for h, ops in hub_ops.items():
        hub = inst.hubs[h]
        docks = sum(len(inst.zones[z].docks) for z in hub.zones)
        if hub.site_cap is not None and hub.site_cap < docks:
            m.add_cumulative(ops, [1] * len(ops), hub.site_cap)


def _rebuild(
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
