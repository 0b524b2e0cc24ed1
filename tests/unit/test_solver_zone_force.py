"""The forced placement (`zone_force.py`, issue 15): a heavy load a zone leaves out is put where it
displaces the least weight, and CP-SAT re-packs the neighbourhood with that load's presence a
constraint. It places the heavy load and leaves a lighter set out, never makes a plan costlier,
keeps pins, and the same plan, seed and work give the same plan; off, it changes nothing."""

from __future__ import annotations

import pytest
from builders import job_loads, make_hub, make_scenario, make_zone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_solver_dock_search import multi_dock_days
from test_solver_zone_lns import Forever, checked, start_plan
from test_solver_zone_tail import left_out_weight, tight_zone

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
        after, _, _ = forced(mp, dec, sol, seed=seed)
        again, _, _ = forced(mp, dec, sol, seed=seed)
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
