"""The CP-SAT model of the rules, used for the lower bound (a relaxation, so its bound is valid).

One function per rule, named after it, docstring opening with its id. The model keeps one start
variable per load and one optional interval per candidate (hub, zone), never per dock: a zone's
docks
are a cumulative resource whose capacity is the number of docks, and dock-only blocked windows take
one unit of it. Where the model is weaker than the rules (dock identity, S4 only at the same zone
and
start), it only relaxes them, so every plan's true cost is at least the model's cost for it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from hub_scheduler.facts import relay_offset
from hub_scheduler.solver.decode import Decoder
from hub_scheduler.solver.instance import Candidate, Instance, LoadData


@dataclass
class Model:
    dec: Decoder
    scale: int
    cp: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    start: dict[int, cp_model.IntVar] = field(default_factory=dict)
    present: dict[int, cp_model.IntVar] = field(default_factory=dict)  # placed at all
    use: dict[tuple[int, int], cp_model.IntVar] = field(
        default_factory=dict
    )  # (load, zone) -> literal
    dock_intervals: dict[int, list[tuple[cp_model.IntervalVar, int]]] = field(default_factory=dict)
    crew_intervals: dict[int, list[cp_model.IntervalVar]] = field(default_factory=dict)
    site_intervals: dict[int, list[cp_model.IntervalVar]] = field(default_factory=dict)
    tardy: dict[int, cp_model.IntVar] = field(default_factory=dict)
    wait: dict[int, cp_model.IntVar] = field(default_factory=dict)
    # load key -> (stays literal, zone key, previous start in minutes)
    stay: dict[int, tuple[cp_model.IntVar, int, int]] = field(default_factory=dict)
    terms: list = field(default_factory=list)  # objective terms (scaled integers)
    constant: float = 0.0  # the cost of loads that can never be placed (unscaled)


def feasible_starts(inst: Instance, ld: LoadData, c: Candidate) -> list[tuple[int, int]]:
    """H4 H5 H9 start intervals on an empty zone: window, one opening occurrence, zone/hub
    blocks (both ends on the grid; also the time-indexed bound's start values)."""
    span = ld.p + c.disinfection
    hub, zone = inst.hubs[c.hub], inst.zones[c.zone]
    periods = hub.openings if hub.openings is not None else [(0, inst.horizon)]
    top = min(ld.latest_end - ld.p, inst.horizon - span)
    pieces = []
    for a, b in periods:
        lo, hi = max(a, ld.release), min(b - span, top)
        if hi >= lo:
            pieces.append((lo, hi))
    for ba, be in zone.blocked:
        cut = (ba - span + 1, be - 1)  # starts whose span meets [ba, be)
        nxt = []
        for lo, hi in pieces:
            if hi < cut[0] or lo > cut[1]:
                nxt.append((lo, hi))
                continue
            if lo < cut[0]:
                nxt.append((lo, cut[0] - 1))
            if hi > cut[1]:
                nxt.append((cut[1] + 1, hi))
        pieces = nxt
    g = c.slot
    out = []
    for lo, hi in pieces:
        lo = -(-lo // g) * g
        hi = (hi // g) * g
        if hi >= lo:
            out.append((lo, hi))
    return out


def _domain(pieces: list[tuple[int, int]], slot: int) -> cp_model.Domain:
    if slot == 1:
        return cp_model.Domain.from_intervals([[a, b] for a, b in pieces])
    return cp_model.Domain.from_values([v for a, b in pieces for v in range(a, b + 1, slot)])


def cold_loads_only_in_cold_zones(m: Model) -> None:
    """H1 a load's candidate zones all have its temperature (eligibility built them so; checked
    here)."""
    inst = m.dec.inst
    for ld in inst.loads:
        for c in ld.cands:
            if inst.zones[c.zone].temperature != ld.load.temperature.value:
                raise ValueError(f"H1 load {ld.id} has a candidate zone of another temperature")


def loads_only_at_active_hubs(m: Model) -> None:
    """H2 (and H11) each load chooses at most one of its candidate zones, all at active hubs."""
    dec = m.dec
    for ld in dec.inst.loads:
        k = ld.key
        if k in dec.reasons or not ld.cands:
            m.constant += dec.unplaced_cost(ld)
            continue
        pieces_all = []
        lits = []
        for c in ld.cands:
            pieces = feasible_starts(dec.inst, ld, c)
            if k in dec.pinned:
                pc, pdk, ps = dec.pinned[k]
                pieces = [(ps, ps)] if pc.zone == c.zone else []
            if not pieces:
                continue
            lit = m.cp.new_bool_var(f"use_{ld.id}_{c.zone}")
            m.use[(k, c.zone)] = lit
            pieces_all.extend(pieces)
            lits.append((lit, c, pieces))
        # The start's domain includes the release so that an absent load costs nothing but S1.
        pieces_all.append((ld.release, ld.release))
        s = m.cp.new_int_var_from_domain(_domain(_union(pieces_all), 1), f"s_{ld.id}")
        m.start[k] = s
        pres = m.cp.new_bool_var(f"placed_{ld.id}")
        m.present[k] = pres
        m.cp.add(sum(lit for lit, _, _ in lits) == pres)
        for lit, c, pieces in lits:
            m.cp.add_linear_expression_in_domain(s, _domain(pieces, c.slot)).only_enforce_if(lit)
        if k in dec.pinned and not ld.inbounds:
            m.cp.add(pres == 1)


def _union(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(pieces):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def one_truck_per_dock_with_disinfection(m: Model) -> None:
    """H3 a zone's spans [start, end + d) never need more docks at once than it has (dock blocks
    take one)."""
    inst = m.dec.inst
    by_zone: dict[int, list[tuple[cp_model.IntervalVar, int]]] = {}
    for (k, z), lit in m.use.items():
        ld = inst.loads[k]
        c = next(c for c in ld.cands if c.zone == z)
        iv = m.cp.new_optional_fixed_size_interval_var(
            m.start[k], ld.p + c.disinfection, lit, f"span_{ld.id}_{z}"
        )
        by_zone.setdefault(z, []).append((iv, 1))
    for z, ivs in by_zone.items():
        zone = inst.zones[z]
        zone_blocked = set(zone.blocked)
        for dk in zone.docks:
            for a, b in inst.docks[dk].blocked:
                if (a, b) not in zone_blocked and b > a:
                    ivs.append((m.cp.new_fixed_size_interval_var(a, b - a, f"block_{dk}_{a}"), 1))
        if len(zone.docks) == 1:
            m.cp.add_no_overlap([iv for iv, _ in ivs])
        else:
            m.cp.add_cumulative([iv for iv, _ in ivs], [d for _, d in ivs], len(zone.docks))
    m.dock_intervals = by_zone


def loads_inside_their_time_windows(m: Model) -> None:
    """H4 release, deadline and horizon: built into each candidate's start domain."""


def spans_inside_opening_hours_and_clear_of_blocks(m: Model) -> None:
    """H5 opening occurrences and zone/hub blocked windows: in the start domains; dock blocks in
    H3."""


def crews_never_overbooked(m: Model) -> None:
    """H6 at most `crews` operations [start, end) at once in a zone."""
    inst = m.dec.inst
    for z in m.dock_intervals:
        zone = inst.zones[z]
        if zone.crews is None or zone.crews >= len(zone.docks):
            continue
        ops = []
        for (k, zz), lit in m.use.items():
            if zz == z:
                ld = inst.loads[k]
                ops.append(
                    m.cp.new_optional_fixed_size_interval_var(
                        m.start[k], ld.p, lit, f"op_{ld.id}_{z}"
                    )
                )
        m.cp.add_cumulative(ops, [1] * len(ops), zone.crews)


def relays_follow_their_inbound(m: Model) -> None:
    """H7 an outbound is placed only with its inbound, in the same zone, after its span and the
    gap."""
    inst = m.dec.inst
    for ld in inst.loads:
        o = ld.key
        if o not in m.present:
            continue
        for i, gap in ld.inbounds:
            if i < 0 or i not in m.present:
                m.cp.add(m.present[o] == 0)
                continue
            m.cp.add_implication(m.present[o], m.present[i])
            for c in ld.cands:
                lit = m.use.get((o, c.zone))
                if lit is None:
                    continue
                in_lit = m.use.get((i, c.zone))
                if in_lit is None:
                    m.cp.add(lit == 0)
                    continue
                m.cp.add_implication(lit, in_lit)
                ci = next(x for x in inst.loads[i].cands if x.zone == c.zone)
                offset = relay_offset(inst.loads[i].p, ci.disinfection, gap)
                m.cp.add(m.start[o] >= m.start[i] + offset).only_enforce_if(lit)


def site_capacity_never_exceeded(m: Model) -> None:
    """H8 at most `max_trucks_on_site` operations [start, end) at once at a hub."""
    inst = m.dec.inst
    for hub in inst.hubs:
        if hub.site_cap is None or hub.site_cap >= sum(len(inst.zones[z].docks) for z in hub.zones):
            continue
        ops = []
        for (k, z), lit in m.use.items():
            if inst.zones[z].hub == hub.key:
                ld = inst.loads[k]
                ops.append(
                    m.cp.new_optional_fixed_size_interval_var(
                        m.start[k], ld.p, lit, f"site_{ld.id}_{z}"
                    )
                )
        if ops:
            m.cp.add_cumulative(ops, [1] * len(ops), hub.site_cap)


def starts_on_the_slot_grid(m: Model) -> None:
    """H9 starts on the hub's grid: built into each candidate's start domain."""


def pinned_loads_stay_put(m: Model) -> None:
    """H10 a pinned load's start and zone are fixed (its domain is the one pinned start)."""


def only_eligible_loads_planned(m: Model) -> None:
    """H11 ineligible loads have no candidate and count as unscheduled (a constant)."""


def _coef(m: Model, value: float) -> int:
    # Rounded down, so the scaled model never charges more than the rules do.
    return math.floor(value * m.scale + 1e-9)


def unscheduled_loads_penalised(m: Model) -> None:
    """S1 U * w for each load left out."""
    inst = m.dec.inst
    for k, pres in m.present.items():
        m.terms.append(_coef(m, inst.U * inst.loads[k].w) * (1 - pres))


def weighted_tardiness(m: Model) -> None:
    """S2 w * max(0, end - due)."""
    inst = m.dec.inst
    for k, pres in m.present.items():
        ld = inst.loads[k]
        due = math.ceil(ld.due - 1e-9)
        t = m.cp.new_int_var(0, max(0, inst.horizon + ld.p - due), f"tardy_{ld.id}")
        m.cp.add(t >= m.start[k] + ld.p - due).only_enforce_if(pres)
        m.tardy[k] = t
        m.terms.append(_coef(m, ld.w) * t)


def waiting_time(m: Model) -> None:
    """S3 alpha * w * (start - release)."""
    inst = m.dec.inst
    if not inst.alpha:
        return
    for k, pres in m.present.items():
        ld = inst.loads[k]
        wait = m.cp.new_int_var(0, inst.horizon, f"wait_{ld.id}")
        m.cp.add(wait >= m.start[k] - ld.arrival).only_enforce_if(pres)
        m.wait[k] = wait
        m.terms.append(_coef(m, ld.wait_coef) * wait)


def stability(m: Model) -> None:
    """S4 beta for each load with a previous position unless it stays in that zone at that start."""
    inst = m.dec.inst
    if not inst.beta:
        return
    for ld in inst.loads:
        if ld.load.previous is None or ld.key not in m.present:
            continue
        prev = ld.previous
        stay_zone = None
        if prev is not None and prev.start == int(prev.start):
            dk = inst.dock_index.get((prev.hub, prev.dock_id))
            if dk is not None:
                stay_zone = m.use.get((ld.key, inst.docks[dk].zone))
        if stay_zone is None:
            m.terms.append(_coef(m, inst.beta))
            continue
        assert prev is not None and dk is not None  # stay_zone is only set when both are
        stay = m.cp.new_bool_var(f"stays_{ld.id}")
        m.cp.add_implication(stay, stay_zone)
        m.cp.add(m.start[ld.key] == int(prev.start)).only_enforce_if(stay)
        m.stay[ld.key] = (stay, inst.docks[dk].zone, int(prev.start))
        m.terms.append(_coef(m, inst.beta) * (1 - stay))


def travel(m: Model) -> None:
    """S5 gamma * travel minutes to the chosen hub."""
    inst = m.dec.inst
    for (k, z), lit in m.use.items():
        c = next(c for c in inst.loads[k].cands if c.zone == z)
        if c.travel_cost:
            m.terms.append(_coef(m, c.travel_cost) * lit)


RULES: list[Callable[[Model], None]] = [
    cold_loads_only_in_cold_zones,
    loads_only_at_active_hubs,
    one_truck_per_dock_with_disinfection,
    loads_inside_their_time_windows,
    spans_inside_opening_hours_and_clear_of_blocks,
    crews_never_overbooked,
    relays_follow_their_inbound,
    site_capacity_never_exceeded,
    starts_on_the_slot_grid,
    pinned_loads_stay_put,
    only_eligible_loads_planned,
    unscheduled_loads_penalised,
    weighted_tardiness,
    waiting_time,
    stability,
    travel,
]


def objective_scale(dec: Decoder) -> int:
    """1 when every weight is whole, else 100 (coefficients are rounded down after scaling)."""
    inst = dec.inst
    values = [inst.U, inst.alpha, inst.beta, inst.gamma] + [
        c.travel_cost for ld in inst.loads for c in ld.cands
    ]
    return 1 if all(float(v).is_integer() for v in values) else 100


def build_model(dec: Decoder) -> Model:
    """Every rule of RULES applied to a fresh model, the objective set to the sum of the S terms."""
    m = Model(dec=dec, scale=objective_scale(dec))
    for rule in RULES:
        rule(m)
    m.cp.minimize(sum(m.terms))
    return m


def add_hint(m: Model, dec: Decoder, sol) -> None:
    """Start the search from a decoded plan (every variable hinted, so the hint is complete)."""
    inst = dec.inst
    for k, s in m.start.items():
        c = sol.cand[k]
        ld = inst.loads[k]
        start = sol.start[k] if c is not None else ld.release
        m.cp.add_hint(s, start)
        m.cp.add_hint(m.present[k], c is not None)
        if k in m.tardy:
            m.cp.add_hint(
                m.tardy[k], max(0, start + ld.p - math.ceil(ld.due - 1e-9)) if c is not None else 0
            )
        if k in m.wait:
            m.cp.add_hint(m.wait[k], start - ld.arrival if c is not None else 0)
        if k in m.stay:
            lit, zone, prev_start = m.stay[k]
            m.cp.add_hint(lit, c is not None and c.zone == zone and start == prev_start)
    for (k, z), lit in m.use.items():
        c = sol.cand[k]
        m.cp.add_hint(lit, c is not None and c.zone == z)
