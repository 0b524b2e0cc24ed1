"""The CP-SAT neighbourhood search's session 9 (`zone_lns.PACK_FIRST`, `zone_model._at_most`): the
crews and site capacity as the fixed operations' excess profile allow exactly the plans one
cumulative over every operation allows, and on the county day the packing round (placed weight
alone) admits the tight cold zone's heavy left-out load where the full objective, with the same
deterministic time from the same plan, does not."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_solver_dock_search import multi_dock_days
from test_solver_zone_lns import Forever, checked, start_plan

from hub_scheduler.solver import zone_lns, zone_model
from hub_scheduler.solver.zone_lns import neighbourhoods, rebuild
from hub_scheduler.solver.zone_model import solve_neighbourhood


@contextmanager
def model(profile: bool):
    """The full CP-SAT search (it proves optimality on a few loads), the profile on or off."""
    before = zone_model.PROFILE, zone_model.LNS_ONLY
    zone_model.PROFILE, zone_model.LNS_ONLY = profile, False
    try:
        yield
    finally:
        zone_model.PROFILE, zone_model.LNS_ONLY = before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multi_dock_days(), st.integers(0, 4))
def test_the_excess_profile_proves_the_same_optimum_as_one_cumulative(scenario, order_index):
    # Crews and site capacity below the dock count, opening hours, blocks, pins, relays.
    dec, sol = start_plan(scenario, order_index=order_index)
    for ks in neighbourhoods(dec, sol):
        best = {}
        for profile in (False, True):
            with model(profile):
                chosen, _, at_limit = solve_neighbourhood(dec, sol, ks, 30.0, 120.0, 1)
            assume(not at_limit)
            assert chosen is not None  # the current plan is always one
            plan = rebuild(dec, sol, ks, chosen)
            assert plan is not None  # the model's plan fits the rules' timeline
            checked(scenario, dec, plan)
            best[profile] = plan.objective
        assert best[True] == best[False]


class _Before(Exception):
    """Carries the plan `improve` hands to the neighbourhood search."""


@pytest.mark.slow
def test_on_the_county_day_the_packing_round_admits_the_heavy_left_out_cold_load(monkeypatch):
    from bench.bench_basins import TEN_SECONDS_OF_WORK
    from bench.reference import build
    from hub_scheduler.solver import solve

    def stop(dec, sol, **_):
        raise _Before(dec, sol)

    monkeypatch.setattr(zone_lns, "zone_lns", stop)
    _, scenario = build("county", 1)
    # Seed 5's 10 s search (work-bounded) before its neighbourhood search: the cold zones H04-C
    # and H01-C packed to the minute, L00082 (weight 5, 108,000 left out) among those left out.
    with pytest.raises(_Before) as caught:
        solve(scenario, time_limit_s=300, workers=1, seed=5, work_budget=TEN_SECONDS_OF_WORK)
    monkeypatch.undo()
    dec, start = caught.value.args
    ids = {ld.load.id: k for k, ld in enumerate(dec.inst.loads)}
    assert ids["L00082"] in start.left_out
    cold = neighbourhoods(dec, start)[0]
    assert ids["L00082"] in cold

    def search(pack: bool):
        monkeypatch.setattr(zone_lns, "PACK_FIRST", pack)
        dec.placements = 0
        return zone_lns.zone_lns(
            dec, start, dtime=0.27, clock=Forever(), seed=5, report=lambda *_: None, stats={}
        )

    # 0.27 deterministic seconds: what a 10 s plan's share buys the packing round.
    full, packed = search(False), search(True)
    light = {ids["L00273"], ids["L00285"]}  # weights 1 and 2
    # The full objective places L00082 but leaves a third cold load out; the packing leaves out
    # only the two lightest.
    assert len([k for k in cold if k in full.left_out]) == 3
    assert {k for k in cold if k in packed.left_out} == light
    assert packed.objective < full.objective - 60_000
    checked(scenario, dec, packed)
    checked(scenario, dec, full)
