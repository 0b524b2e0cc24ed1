"""The CP-SAT model of one neighbourhood of the zone search (`zone_lns.py`), solved once.

Every load outside the neighbourhood keeps its place; the loads inside it (free, not part of a
relay) are placed again: per dock the spans [start, end + d) never overlap (H3; the fixed loads'
spans and the dock's blocked windows are fixed intervals there), crews and site capacity count
the fixed loads too (H6, H8), starts keep to the window, opening hours, zone blocks and grid (H4,
H5, H9); the objective is each load's S1-S5 cost, stability (S4: its previous dock and start)
included. Where a dock's grid allows it exactly (`grids`) its spans count whole slots, not
minutes: on the county day's cold zones (10- and 15-minute grids; a span of p + 30 minutes holds
its dock until the next slot) the minute model found no room for one more load in 2
deterministic seconds from seed 1's plan (CP-SAT seeds 1-3, on placed weight alone), the slot
model did for seeds 2 and 3; the 10 s county plans moved from +2.14% of the reference at the
median to +0.24% (-0.04% with `improve.LNS_SHARE` 0.55; `docs/solver.md`, session 8).
"""

from __future__ import annotations

import math
from typing import Any

from ortools.sat.python import cp_model

from hub_scheduler.facts import relay_offset
from hub_scheduler.solver.cpsat_model import feasible_starts
from hub_scheduler.solver.decode import Decoder, Solution

# Objective coefficients are scaled by this and rounded (the plan's true cost decides).
SCALE = 100
LNS_ONLY = True
# Count a dock in whole slots when its grid allows it exactly (`grids`); off, minutes everywhere.
GRID = True
# Crews and site capacity as the fixed operations' excess profile (`_at_most`); off, one
# cumulative over every operation (the same plans; kept for the tests that compare the two).
PROFILE = True


def solve_neighbourhood(
    dec: Decoder,
    sol: Solution,
    ks: list[int],
    dtime: float,
    wall: float,
    seed: int,
    weight_only: bool = False,
    force: int | frozenset[int] | None = None,
    lns: bool = True,
) -> tuple[dict[int, tuple[int, int]] | None, float, bool]:
    """({load key: (dock key, start)} for the placed loads of the neighbourhood, or None when
    CP-SAT found no plan; the deterministic time it used; whether a limit (not a proof) ended
    it). `lns` False: CP-SAT's full search from the hint (`zone_tail.py`), not its
    neighbourhoods alone. `force`: that load (or each of that set) must be placed
    (`zone_force.py`)."""
    inst = dec.inst
    loads = inst.loads
    forced = force if isinstance(force, frozenset) else frozenset(() if force is None else [force])
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
    grid = grids(dec, sol, ks) if GRID else {}
    for k in ks:
        ld = loads[k]
        now = sol.cand[k]
        mark = len(hints)
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
        if k in forced:
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
        if k in forced and now is None:
            # A forced load the hint leaves out gets no hint at all, rather than one its own
            # constraint forbids (present = 0): the search completes the rest of the hint.
            del hints[mark:]
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
    prm.interleave_search = LNS_ONLY and lns
    prm.use_lns_only = LNS_ONLY and lns
    # Never `repair_hint`: with it CP-SAT 9.15 aborts the whole process now and then ("Check
    # failed: heuristics.fixed_search != nullptr", google/or-tools#5025, fixed after 9.15); it
    # killed a CI worker in stop 30 and 3 of 36 loaded 2 s county solves here, none of 105
    # without it. The partial hint above plans the county day as well (seeds 1-30: 24 within 1%).
    prm.repair_hint = False
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


def grids(dec: Decoder, sol: Solution, ks: list[int]) -> dict[int, int]:
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
    dock of `grid` in whole slots: starts on the grid, ends rounded up as the next start is).
    Crews and site capacity count the fixed operations as a profile (`_at_most`)."""
    inst = dec.inst
    loads = inst.loads
    grid = grid or {}
    fixed_zone: dict[int, list[tuple[int, int]]] = {}
    fixed_hub: dict[int, list[tuple[int, int]]] = {}
    for k, c in enumerate(sol.cand):
        if c is None or k in inside:
            continue
        dk, s, p = sol.dock[k], sol.start[k], loads[k].p
        if dk in spans:
            g = grid.get(dk, 1)
            end = -(-(s + p + c.disinfection) // g)
            spans[dk].append(m.new_fixed_size_interval_var(s // g, end - s // g, ""))
        if c.zone in zone_ops:
            fixed_zone.setdefault(c.zone, []).append((s, s + p))
        if c.hub in hub_ops:
            fixed_hub.setdefault(c.hub, []).append((s, s + p))
    for dk, ivs in spans.items():
        g = grid.get(dk, 1)
        for a, b in inst.docks[dk].blocked:
            if b > a:
                ivs.append(m.new_fixed_size_interval_var(a // g, -(-b // g) - a // g, ""))
        m.add_no_overlap(ivs)
    for z, ops in zone_ops.items():
        zone = inst.zones[z]
        if zone.crews is not None and zone.crews < len(zone.docks):
            mine = sum(dk in spans for dk in zone.docks)
            _at_most(m, ops, fixed_zone.get(z, []), zone.crews, mine)
    for h, ops in hub_ops.items():
        hub = inst.hubs[h]
        docks = [dk for z in hub.zones for dk in inst.zones[z].docks]
        if hub.site_cap is not None and hub.site_cap < len(docks):
            _at_most(m, ops, fixed_hub.get(h, []), hub.site_cap, sum(dk in spans for dk in docks))


def _at_most(m, ops: list, fixed: list[tuple[int, int]], cap: int, mine: int) -> None:
    """At most `cap` operations at once: the neighbourhood's `ops` (optional intervals, on `mine`
    docks) and the `fixed` ones [a, b). The neighbourhood runs at most one operation a dock at
    a time (its spans never overlap), so while the fixed operations leave `mine` of `cap` free
    nothing binds: only the stretches where they take more count, each as one fixed interval of
    its excess, against a capacity of `mine` (none: no constraint). The same plans as one
    cumulative of `cap` over every operation, with far fewer intervals (county day, H04: 55
    fixed operations become 5 stretches of excess 1)."""
    room = cap - mine
    if room < 0 or not PROFILE:
        m.add_cumulative(
            ops + [m.new_fixed_size_interval_var(a, b - a, "") for a, b in fixed],
            [1] * (len(ops) + len(fixed)),
            cap,
        )
        return
    delta: dict[int, int] = {}
    for a, b in fixed:
        delta[a] = delta.get(a, 0) + 1
        delta[b] = delta.get(b, 0) - 1
    level = 0
    excess: list[tuple[int, int, int]] = []  # (from, to, excess)
    times = sorted(delta)
    for t, nxt in zip(times, times[1:], strict=False):
        level += delta[t]
        e = level - room
        if e <= 0:
            continue
        if excess and excess[-1][1] == t and excess[-1][2] == e:
            excess[-1] = (excess[-1][0], nxt, e)
        else:
            excess.append((t, nxt, e))
    if not excess:
        return
    ivs = [m.new_fixed_size_interval_var(a, b - a, "") for a, b, _ in excess]
    m.add_cumulative(ops + ivs, [1] * len(ops) + [e for _, _, e in excess], mine)
