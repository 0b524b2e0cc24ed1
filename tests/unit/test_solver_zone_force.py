"""The forced placement (`zone_force.py`, issue 15): a heavy load a zone leaves out is put where it
displaces the least weight, and CP-SAT re-packs the neighbourhood with that load's presence a
constraint. It places the heavy load and leaves a lighter set out; when a heavy load is still out
after that solve, a second one with every heavy load placed (the fallback) leaves out light loads
only. It never makes a plan costlier, keeps pins, and the same plan, seed and work give the same
plan; off, it changes nothing."""

from __future__ import annotations

import pytest
from builders import job_loads, make_hub, make_scenario, make_zone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_solver_dock_search import multi_dock_days
from test_solver_zone_lns import Forever, checked, start_plan
from test_solver_zone_tail import left_out_weight, tight_days, tight_zone

from hub_scheduler.solver import zone_force
from hub_scheduler.solver.timeline import Timeline
from hub_scheduler.solver.zone_force import force_heavy, forced_hint, heavy_left_out
from hub_scheduler.solver.zone_lns import neighbourhoods
from hub_scheduler.solver.zone_model import solve_neighbourhood


def forced(monkeypatch, dec, sol, seed: int = 1, dtime: float = 0.05, on: bool = True):
    monkeypatch.setattr(zone_force, "FORCE", on)
    stats: dict = {}
    out, used = force_heavy(
        dec, sol, dtime=dtime, clock=Forever(), seed=seed, report=lambda *_: None, stats=stats
    )
    return out, used, stats


@pytest.mark.parametrize(("scope", "constraint"), [("tail", False), ("pair", True)])
def test_the_heaviest_left_out_load_is_forced_in_and_a_lighter_set_stays_out(
    monkeypatch, scope, constraint
):
    # The tight two-dock zone's fifth dispatch order leaves out two weight-4 loads (keys 12, 15)
    # among five; no weight-4 load is left out once key 12 is forced in (the others re-packed):
    # as the planner does it (the tail, the load in the hint only) and with the whole zone and
    # the load's presence a constraint.
    monkeypatch.setattr(zone_force, "FORCE_SCOPE", scope)
    monkeypatch.setattr(zone_force, "FORCE_CONSTRAINT", constraint)
    scenario = tight_zone()
    dec, start = start_plan(scenario, order_index=4)
    loads = dec.inst.loads
    assert heavy_left_out(dec, start, neighbourhoods(dec, start)[0]) == [12, 15]
    after, used, stats = forced(monkeypatch, dec, start)
    assert stats == {"lns_force_solves": 1, "lns_force_gains": 1}
    assert 0 < used <= 0.05 * 1.05  # CP-SAT stops just past its deterministic limit
    assert after.cand[12] is not None
    assert max(loads[k].w for k in after.left_out) < 4
    assert left_out_weight(dec, after) < left_out_weight(dec, start)
    assert after.objective < start.objective - 50_000
    checked(scenario, dec, after)
    # Off: the plan is returned as it is, no solve, no time.
    off, used, stats = forced(monkeypatch, dec, start, on=False)
    assert off is start and used == 0.0
    assert stats == {"lns_force_solves": 0, "lns_force_gains": 0}


def test_the_hint_places_the_load_and_leaves_out_only_what_it_displaces():
    scenario = tight_zone()
    dec, sol = start_plan(scenario, order_index=4)
    loads = dec.inst.loads
    ks = neighbourhoods(dec, sol)[0]
    hint, hit = forced_hint(dec, sol, 12, ks)
    assert hint.cand[12] is not None
    assert hit and all(sol.cand[j] is not None and hint.cand[j] is None for j in hit)
    assert sum(loads[j].w for j in hit) < loads[12].w
    moved = [
        k for k in range(len(loads)) if (hint.cand[k], hint.start[k]) != (sol.cand[k], sol.start[k])
    ]
    assert sorted(moved) == sorted([12, *hit])
    # Every placed load of the hint fits its dock beside the others (H3, the grid).
    tl = Timeline(dec.inst)
    for k in sorted(range(len(loads)), key=lambda j: hint.start[j]):
        c = hint.cand[k]
        if c is None:
            continue
        ld = loads[k]
        assert tl.fits_at(
            hint.dock[k], ld.p, c.disinfection, hint.start[k], ld.latest_end, ld.release
        )
        tl.place(hint.dock[k], hint.start[k], ld.p, c.disinfection)


def test_light_loads_are_not_forced(monkeypatch):
    scenario = tight_zone()
    dec, start = start_plan(scenario, order_index=4)
    monkeypatch.setattr(zone_force, "FORCE_MIN_WEIGHT", 6)
    assert heavy_left_out(dec, start, neighbourhoods(dec, start)[0]) == []
    after, used, stats = forced(monkeypatch, dec, start)
    assert after is start and used == 0.0 and stats["lns_force_solves"] == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multi_dock_days(), st.integers(0, 4), st.integers(1, 3))
def test_forcing_never_costlier_pins_kept_verified_and_the_same_seed_gives_the_same_plan(
    scenario, order_index, seed
):
    dec, sol = start_plan(scenario, order_index=order_index)
    pins = {k: (sol.cand[k], sol.dock[k], sol.start[k]) for k in dec.pinned}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(zone_force, "FORCE_MIN_WEIGHT", 1)
        # 0.1 deterministic s: the first solve's half and, when a load is still out, the fallback.
        after, _, _ = forced(mp, dec, sol, seed=seed, dtime=0.1)
        again, _, _ = forced(mp, dec, sol, seed=seed, dtime=0.1)
    assert after.objective <= sol.objective + 1e-6
    assert {k: (after.cand[k], after.dock[k], after.start[k]) for k in dec.pinned} == pins
    checked(scenario, dec, after)
    assert (again.cand, again.dock, again.start) == (after.cand, after.dock, after.start)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tight_days(), st.integers(0, 4), st.integers(1, 3))
def test_on_over_full_zones_the_fallback_never_makes_the_plan_costlier(scenario, order_index, seed):
    # Over-full zones (crews, a blocked window, a pin sometimes) with every load forcible: the
    # fallback's constraints can make CP-SAT's answer infeasible or costlier, and only the
    # rebuild and the strictly-cheaper check keep the plan. Measured on 12 random examples: 9
    # run both solves (the others leave nothing out).
    dec, sol = start_plan(scenario, order_index=order_index)
    pins = {k: (sol.cand[k], sol.dock[k], sol.start[k]) for k in dec.pinned}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(zone_force, "FORCE_MIN_WEIGHT", 1)
        after, _, _ = forced(mp, dec, sol, seed=seed, dtime=0.1)
        again, _, _ = forced(mp, dec, sol, seed=seed, dtime=0.1)
    assert after.objective <= sol.objective + 1e-6
    assert {k: (after.cand[k], after.dock[k], after.start[k]) for k in dec.pinned} == pins
    checked(scenario, dec, after)
    assert (again.cand, again.dock, again.start) == (after.cand, after.dock, after.start)


@pytest.mark.parametrize("lns", [True, False])
def test_the_forced_load_is_placed_where_placed_weight_alone_would_leave_it_out(lns):
    # One dock, 300 minutes, 30-minute disinfection: either the weight-4 load (200 minutes) or
    # both weight-3 loads (90 each) fit. On placed weight alone the two win; forced, the heavy
    # one is placed (from a hint that places it and leaves the two out).
    jobs = [(0, 200, 200, 4), (0, 90, 90, 3), (0, 90, 180, 3)]
    hub = make_hub(zones=[make_zone(docks=("D0",))], disinfection_minutes=30)
    scenario = make_scenario(hubs=[hub], loads=job_loads(jobs), horizon_minutes=300)
    dec, sol = start_plan(scenario, order=[1, 2, 0])
    assert sorted(sol.left_out) == [0]
    ks = neighbourhoods(dec, sol)[0]
    hint, hit = forced_hint(dec, sol, 0, ks)
    assert hint.cand[0] is not None and hit == [1, 2]
    free, _, _ = solve_neighbourhood(dec, hint, ks, 1.0, 60, 1, weight_only=True, lns=lns)
    assert free is not None and sorted(free) == [1, 2]
    chosen, _, _ = solve_neighbourhood(
        dec, hint, ks, 1.0, 60, 1, weight_only=True, force=0, lns=lns
    )
    assert chosen is not None and 0 in chosen


def swap_day():
    """One dock, a 270-minute day, 30-minute disinfection, nothing due before the day's end: two
    light loads (30 minutes, weight 1) and two heavy ones (60 minutes, weight 4), the second heavy
    one released at 100. Dispatched in key order the lights take [0, 120), the first heavy one
    [120, 210), and the second is left out: every place it can take (released at 100, ending by
    270) overlaps the first heavy one, so its forced hint swaps one heavy load for the other. Both
    heavy ones fit with one light load out ([0, 90), [100, 190), [195, 255))."""
    jobs = [(0, 30, 270, 1), (0, 30, 270, 1), (0, 60, 270, 4), (100, 60, 270, 4)]
    hub = make_hub(zones=[make_zone(docks=("D0",))], disinfection_minutes=30)
    return make_scenario(hubs=[hub], loads=job_loads(jobs), horizon_minutes=270)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_heavy_load_still_left_out_after_the_first_solve_is_placed_by_the_fallback(
    monkeypatch, seed
):
    scenario = swap_day()
    dec, start = start_plan(scenario, order=[0, 1, 2, 3])
    loads = dec.inst.loads
    ks = neighbourhoods(dec, start)[0]
    assert heavy_left_out(dec, start, ks) == [3]
    hint, hit = forced_hint(dec, start, 3, ks)
    assert hit == [2]  # the hint swaps one heavy load for the other: no lighter set
    # The first solve gets next to no time (as on the county day's bad seeds, where 0.045
    # deterministic s returns the swap): it cannot leave out a lighter set.
    monkeypatch.setattr(zone_force, "FIRST_SHARE", 1e-6)
    monkeypatch.setattr(zone_force, "FALLBACK", False)
    alone, _, stats = forced(monkeypatch, dec, start, seed=seed, dtime=0.2)
    assert stats["lns_force_solves"] == 1
    assert max(loads[k].w for k in alone.left_out) == 4
    monkeypatch.setattr(zone_force, "FALLBACK", True)
    after, used, stats = forced(monkeypatch, dec, start, seed=seed, dtime=0.2)
    assert stats == {"lns_force_solves": 2, "lns_force_gains": 1}
    assert 0 < used <= 0.2 * 1.05
    # Both heavy loads placed, one light load out: weight 1 out instead of 4.
    assert after.cand[2] is not None and after.cand[3] is not None
    assert left_out_weight(dec, after) == 1
    assert after.objective < alone.objective
    checked(scenario, dec, after)


@pytest.mark.parametrize("lns", [True, False])
def test_a_forced_set_of_loads_is_placed(lns):
    # The one-dock day of the test above it: placed weight alone prefers the two weight-3 loads;
    # the set {0} forces the heavy one in, the set {1, 2} keeps the light ones.
    jobs = [(0, 200, 200, 4), (0, 90, 90, 3), (0, 90, 180, 3)]
    hub = make_hub(zones=[make_zone(docks=("D0",))], disinfection_minutes=30)
    scenario = make_scenario(hubs=[hub], loads=job_loads(jobs), horizon_minutes=300)
    dec, sol = start_plan(scenario, order=[1, 2, 0])
    ks = neighbourhoods(dec, sol)[0]
    hint, _ = forced_hint(dec, sol, 0, ks)
    heavy, _, _ = solve_neighbourhood(
        dec, hint, ks, 1.0, 60, 1, weight_only=True, force=frozenset({0}), lns=lns
    )
    assert heavy is not None and sorted(heavy) == [0]
    light, _, _ = solve_neighbourhood(
        dec, sol, ks, 1.0, 60, 1, weight_only=True, force=frozenset({1, 2}), lns=lns
    )
    assert light is not None and sorted(light) == [1, 2]
