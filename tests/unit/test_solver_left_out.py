"""The left-out sweep (`local_search.left_out_sweep`): a long load that blocks two short heavier
ones comes out and both go in (the trade one random ejection of one blocker never pays for), and
a plan with nothing to gain is left as it was."""

from __future__ import annotations

import pytest
from builders import job_loads, make_hub, make_scenario, make_zone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_solver_dock_search import multi_dock_days

from hub_scheduler.domain import PlanStatus
from hub_scheduler.solver.construct import priority_orders
from hub_scheduler.solver.decode import Decoder
from hub_scheduler.solver.eligibility import filter_candidates
from hub_scheduler.solver.instance import compile_instance
from hub_scheduler.solver.local_search import left_out_sweep
from hub_scheduler.solver.result import to_schedule
from hub_scheduler.verify import verify


class NoClock:
    def out(self) -> bool:
        return False


def one_dock_day(jobs):
    """One dock, a two-hour day, 5-minute disinfection: (release, handling, due, weight) jobs."""
    hub = make_hub(zones=[make_zone(docks=("D1",))], disinfection_minutes=5)
    return make_scenario(hubs=[hub], loads=job_loads(jobs), horizon_minutes=120, slot_minutes=5)


def swept(scenario, order: list[int] | None = None, order_index: int = 0):
    """(objective before, left-out keys before, the plan after the sweep, its stats) of the plan
    `order` decodes (or the `order_index`-th priority order); the plan after passes the
    verifier."""
    inst = compile_instance(scenario)
    dec = Decoder(inst, filter_candidates(inst))
    if order is None:
        orders = list(priority_orders(dec))
        order = orders[order_index % len(orders)]
    sol = dec.decode(order)
    before, left_before = sol.objective, sorted(sol.left_out)
    # Pinned loads as the decode left them (a pin that cannot be kept is left out there).
    pins = {k: (sol.cand[k], sol.dock[k], sol.start[k]) for k in dec.pinned}
    stats: dict = {}
    sol = left_out_sweep(dec, sol, clock=NoClock(), budget=None, stats=stats)
    schedule = to_schedule(dec, sol, status=PlanStatus.FEASIBLE, bound=None, seconds=0.0)
    report = verify(scenario, schedule)
    assert report.violations == []
    assert sol.objective == pytest.approx(report.objective)
    assert {k: (sol.cand[k], sol.dock[k], sol.start[k]) for k in dec.pinned} == pins
    return before, left_before, sol, stats


def test_two_short_left_out_loads_take_the_place_of_one_long_lighter_load():
    # L0 (90 min, weight 5) first fills the day; L1 and L2 (40 min, weight 4 each) are left out.
    # Either short one alone for L0 loses (4 < 5); both together win (8 > 5).
    scenario = one_dock_day([(0, 90, 200, 5), (0, 40, 200, 4), (0, 40, 200, 4)])
    before, left_before, sol, stats = swept(scenario, [0, 1, 2])
    assert left_before == [1, 2]
    assert sorted(sol.left_out) == [0]
    assert sol.objective < before
    assert stats["left_out_moves_kept"] == 1


def test_a_plan_with_nothing_to_gain_is_unchanged():
    # The heavier long load is worth more than both short ones: nothing to trade.
    scenario = one_dock_day([(0, 90, 200, 9), (0, 40, 200, 4), (0, 40, 200, 4)])
    before, left_before, sol, stats = swept(scenario, [0, 1, 2])
    assert sorted(sol.left_out) == left_before == [1, 2]
    assert sol.objective == before
    assert stats["left_out_moves_kept"] == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multi_dock_days(), st.integers(0, 4))
def test_the_sweep_never_worsens_a_plan_keeps_pins_and_every_plan_verifies(scenario, order_index):
    # Crews, site capacity, opening hours, blocked windows, pins, previous positions, a relay.
    before, _, sol, _ = swept(scenario, order_index=order_index)
    assert sol.objective <= before + 1e-6
