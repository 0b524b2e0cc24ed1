"""The CP-SAT model of a zone neighbourhood (`zone_model.py`): counting a dock in whole slots
allows exactly the plans the minute model allows (the same proven optimum), and only where the
grid makes that exact (every fixed span on the dock starts on it)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from builders import job_loads, make_hub, make_scenario, make_zone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_solver_dock_search import multi_dock_days
from test_solver_zone_lns import checked, start_plan

from hub_scheduler.solver import zone_model
from hub_scheduler.solver.zone_lns import neighbourhoods, rebuild
from hub_scheduler.solver.zone_model import grids, solve_neighbourhood


@contextmanager
def model(grid: bool):
    """The full CP-SAT search (it proves optimality on a few loads), slots on or off."""
    before = zone_model.GRID, zone_model.LNS_ONLY
    zone_model.GRID, zone_model.LNS_ONLY = grid, False
    try:
        yield
    finally:
        zone_model.GRID, zone_model.LNS_ONLY = before


def packed_day(blocked_at: int | None = None):
    """Two docks on a 15-minute grid, 10-minute disinfection: spans of 30 + 10 minutes take three
    slots each; `blocked_at` blocks dock D1 from there for an hour."""
    blocked = [] if blocked_at is None else [{"start": blocked_at, "end": blocked_at + 60}]
    hub = make_hub(
        zones=[make_zone(docks=("D1", "D2"))],
        disinfection_minutes=10,
        blocked=[b | {"dock_id": "D1", "reason": "test"} for b in blocked],
    )
    jobs = [(0, 30, 60, 2)] * 6
    return make_scenario(hubs=[hub], loads=job_loads(jobs), slot_minutes=15)


def test_docks_count_whole_slots_only_where_every_fixed_span_starts_on_the_grid():
    dec, sol = start_plan(packed_day())
    ks = neighbourhoods(dec, sol)[0]
    assert grids(dec, sol, ks) == {0: 15, 1: 15}
    # A block that starts between two slots: that dock counts minutes, the other slots.
    dec, sol = start_plan(packed_day(blocked_at=100))
    assert grids(dec, sol, neighbourhoods(dec, sol)[0]) == {1: 15}
    # A load outside the neighbourhood fixed on dock 0 at a start off the grid.
    dec, sol = start_plan(packed_day())
    first = next(k for k in range(6) if sol.dock[k] == 0)
    sol.start[first] += 1
    assert grids(dec, sol, [k for k in range(6) if k != first]) == {1: 15}


# 40 exact solves: about 2 minutes alone, past the 300 s default on a machine busy with other jobs.
@pytest.mark.timeout(900)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multi_dock_days(), st.integers(0, 4))
def test_the_slot_model_proves_the_same_optimum_as_the_minute_model(scenario, order_index):
    # Crews, site capacity, opening hours, blocked windows on and off the grid, pins, relays.
    dec, sol = start_plan(scenario, order_index=order_index)
    for ks in neighbourhoods(dec, sol):
        best = {}
        for grid in (False, True):
            with model(grid):
                chosen, _, at_limit = solve_neighbourhood(dec, sol, ks, 30.0, 120.0, 1)
            assume(not at_limit)  # proved optimal (or no plan) within the limit
            assert chosen is not None  # the current plan is always one
            plan = rebuild(dec, sol, ks, chosen)
            assert plan is not None  # the model's plan fits the rules' timeline
            checked(scenario, dec, plan)
            best[grid] = plan.objective
        assert best[True] == best[False]


def test_a_block_ending_between_slots_keeps_its_whole_last_slot():
    # Dock D1 blocked [0, 50): on the 15-minute grid the load's first start is 60, not 45 (a
    # block's end rounded down would let it end at 75, on time).
    hub = make_hub(blocked=[{"start": 0, "end": 50, "reason": "test", "dock_id": "D1"}])
    scenario = make_scenario(hubs=[hub], loads=job_loads([(0, 30, 75, 1)]), slot_minutes=15)
    dec, sol = start_plan(scenario)
    assert grids(dec, sol, [0]) == {0: 15}
    with model(grid=True):
        chosen, _, at_limit = solve_neighbourhood(dec, sol, [0], 5.0, 60.0, 1)
    assert not at_limit
    assert chosen == {0: (0, 60)}
    plan = rebuild(dec, sol, [0], chosen)
    assert plan is not None
    checked(scenario, dec, plan)
