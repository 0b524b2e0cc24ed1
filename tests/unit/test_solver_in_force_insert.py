"""New loads go into the plan in force by small repairs (`in_force.insert_into_plan_in_force`):
the cheapest repair under the real objective wins, so the one that moves fewest published trucks;
a load whose previous slot is gone (`can_keep`) is placed like a new one; and the plan that comes
out verifies."""

from __future__ import annotations

from builders import make_hub, make_load, make_scenario, make_zone, position

from hub_scheduler.domain import HubStatus, PlanStatus
from hub_scheduler.solver.construct import priority_orders
from hub_scheduler.solver.decode import Decoder, Solution
from hub_scheduler.solver.in_force import (
    can_keep,
    in_force_order,
    in_force_start,
    insert_into_plan_in_force,
)
from hub_scheduler.solver.planner import Clock, _prepare
from hub_scheduler.solver.result import to_schedule
from hub_scheduler.verify import verify


def _day(**new):
    """One hub, two docks (15 minutes' disinfection): A and C published on D1 at 0 and 60, B and
    D on D2 at 0 and 60 (B cannot start later: deadline 45), and a new urgent load N that must
    start at 0 too (deadline 45): there is no gap for it."""
    hub = make_hub(zones=[make_zone(docks=("D1", "D2"))], disinfection_minutes=15)
    loads = [
        make_load("A", due=600, previous=position("H1", "D1", 0)),
        make_load("B", due=600, deadline=45, previous=position("H1", "D2", 0)),
        make_load("C", due=600, previous=position("H1", "D1", 60)),
        make_load("D", due=600, previous=position("H1", "D2", 60)),
        make_load("N", due=45, deadline=45, priority_weight=5, **new),
    ]
    return make_scenario(hubs=[hub], loads=loads)


def _at(dec: Decoder, sol: Solution) -> dict[str, tuple[str, int] | None]:
    return {
        ld.load.id: None
        if sol.cand[ld.key] is None
        else (dec.inst.docks[sol.dock[ld.key]].id, sol.start[ld.key])
        for ld in dec.inst.loads
    }


def _verified(scenario, dec: Decoder, sol: Solution) -> None:
    schedule = to_schedule(dec, sol, status=PlanStatus.FEASIBLE, bound=None, seconds=0.0)
    report = verify(scenario, schedule)
    assert report.ok, sorted(report.rules_broken())
    assert report.objective == sol.objective


def test_the_new_load_takes_the_slot_of_the_one_truck_that_can_move_elsewhere():
    scenario = _day()
    dec = _prepare(scenario)
    plain = dec.decode(in_force_order(dec, next(priority_orders(dec))) or [])
    before = _at(dec, plain)
    assert before["N"] is None  # the plan in force has no gap for it
    objective = plain.objective
    stats: dict = {}
    sol = insert_into_plan_in_force(dec, plain, clock=Clock(10), budget=None, stats=stats)
    at = _at(dec, sol)
    assert at["N"] is not None and at["N"][1] == 0
    # B cannot leave 0 (its deadline), so A gives up its slot and only A moves: it goes after
    # what follows on a dock (not to 45, where C at 60 would be in the way).
    assert {name for name in "ABCD" if at[name] != before[name]} == {"A"}
    assert at["N"] == ("D1", 0) and at["A"] is not None and at["A"][1] >= 90
    assert stats["in_force_inserted"] == 1
    assert sol.objective < objective
    _verified(scenario, dec, sol)


def test_a_load_with_no_room_even_after_a_repair_stays_out_and_nothing_moves():
    # A cannot leave 0 either now, and both are heavier than N: leaving one out for N costs more.
    scenario = _day()
    heavy = {"A": {"deadline": _day().loads[1].deadline}, "B": {}}
    loads = [
        ld.model_copy(update={"priority_weight": 10, **heavy[ld.id]}) if ld.id in heavy else ld
        for ld in scenario.loads
    ]
    scenario = scenario.model_copy(update={"loads": loads})
    dec = _prepare(scenario)
    plain = dec.decode(in_force_order(dec, next(priority_orders(dec))) or [])
    before = _at(dec, plain)
    assert before["N"] is None and all(before[name] is not None for name in "ABCD")
    stats: dict = {}
    sol = insert_into_plan_in_force(dec, plain, clock=Clock(10), budget=None, stats=stats)
    assert _at(dec, sol) == before
    assert stats["in_force_inserted"] == 0
    _verified(scenario, dec, sol)


def test_a_load_whose_hub_is_suspended_is_placed_like_a_new_load():
    # A second hub H2 is suspended: E had its slot there, so it cannot keep it and must not take
    # the published trucks' slots at H1 first (it comes after them in the in-force order).
    scenario = _day()
    h2 = make_hub("H2", zones=[make_zone(docks=("D1",))], status=HubStatus.SUSPENDED)
    e = make_load("E", due=600, previous=position("H2", "D1", 0))
    scenario = scenario.model_copy(
        update={"hubs": [*scenario.hubs, h2], "loads": [*scenario.loads, e]}
    )
    dec = _prepare(scenario)
    keys = {ld.load.id: ld.key for ld in dec.inst.loads}
    assert can_keep(dec, keys["A"]) and not can_keep(dec, keys["E"])
    assert not can_keep(dec, keys["N"])
    order = in_force_order(dec, next(priority_orders(dec)))
    assert order is not None
    names = [dec.inst.loads[k].load.id for k in order]
    assert set(names[:4]) == set("ABCD")
    start = in_force_start(dec, clock=Clock(10), budget=None, stats={})
    assert start is not None
    at = _at(dec, start)
    assert at["E"] is not None and at["N"] == ("D1", 0)
    assert at["B"] == ("D2", 0) and at["C"] == ("D1", 60) and at["D"] == ("D2", 60)
    _verified(scenario, dec, start)
