"""A re-plan starts from the plan in force (`hub_scheduler/solver/in_force.py`): the order that
decodes to it, the re-costing of a plan under other weights, and the switch benchmarks use."""

from __future__ import annotations

from dataclasses import replace

import pytest
from builders import make_hub, make_load, make_scenario, make_zone, position

from hub_scheduler.solver.construct import priority_orders
from hub_scheduler.solver.decode import Decoder
from hub_scheduler.solver.in_force import (
    STICKY_FACTOR,
    in_force_order,
    keeps_plan_in_force,
    recost,
    without_in_force_start,
)
from hub_scheduler.solver.planner import _prepare


def _day(new_due: float = 60):
    """One hub, two docks, four published trucks back to back on D1 and one on D2, plus one new
    urgent load N (no previous position)."""
    hub = make_hub(zones=[make_zone(docks=("D1", "D2"))])
    loads = [
        make_load("A", due=600, previous=position("H1", "D1", 90)),
        make_load("B", due=600, previous=position("H1", "D1", 0)),
        make_load("C", due=600, previous=position("H1", "D2", 0)),
        make_load("D", due=600, previous=position("H1", "D1", 45)),
        make_load("N", due=new_due, priority_weight=5),
    ]
    return make_scenario(hubs=[hub], loads=loads)


def _key(dec: Decoder, load_id: str) -> int:
    return next(ld.key for ld in dec.inst.loads if ld.load.id == load_id)


def test_the_in_force_order_is_the_published_trucks_by_start_then_the_new_loads():
    dec = _prepare(_day())
    rest = next(priority_orders(dec))
    order = in_force_order(dec, rest)
    assert order is not None
    names = [dec.inst.loads[k].load.id for k in order]
    # B and C both start at 0: by key (scenario order), then D at 45, A at 90; N last.
    assert names == ["B", "C", "D", "A", "N"]
    kept = dec.decode(order)
    for name, (dock, start) in {"B": ("D1", 0), "D": ("D1", 45), "A": ("D1", 90)}.items():
        k = _key(dec, name)
        assert (dec.inst.docks[kept.dock[k]].id, kept.start[k]) == (dock, start)
    assert kept.placed(_key(dec, "N"))


def test_a_first_plan_has_no_in_force_order_and_no_sticky_search():
    scenario = _day()
    first = scenario.model_copy(
        update={"loads": [ld.model_copy(update={"previous": None}) for ld in scenario.loads]}
    )
    dec = _prepare(first)
    assert in_force_order(dec, next(priority_orders(dec))) is None
    assert not keeps_plan_in_force(dec)
    assert keeps_plan_in_force(_prepare(_day()))


def test_without_the_stability_term_or_inside_the_switch_nothing_is_kept():
    scenario = _day()
    scenario.settings.objective.stability = 0
    assert not keeps_plan_in_force(_prepare(scenario))
    dec = _prepare(_day())
    with without_in_force_start():
        assert in_force_order(dec, next(priority_orders(dec))) is None
        assert not keeps_plan_in_force(dec)
    assert keeps_plan_in_force(dec)


def test_recosting_a_plan_keeps_its_places_and_charges_the_other_weight():
    dec = _prepare(_day())
    plan = dec.decode(next(priority_orders(dec)))  # the min-slack order: N first, on D1 at 0
    same = recost(dec, plan)
    assert same.objective == pytest.approx(plan.objective)
    assert same.cost == pytest.approx(plan.cost)
    heavy = Decoder(replace(dec.inst, beta=dec.inst.beta * STICKY_FACTOR), dec.reasons)
    moved = recost(heavy, plan)
    assert (moved.dock, moved.start, moved.order) == (plan.dock, plan.start, plan.order)
    moves = sum(
        1
        for ld in dec.inst.loads
        if ld.previous is not None
        and (plan.dock[ld.key], plan.start[ld.key])
        != (dec.inst.dock_index[(ld.previous.hub, ld.previous.dock_id)], ld.previous.start)
    )
    assert moves > 0  # the priority order did push published trucks
    extra = (STICKY_FACTOR - 1) * dec.inst.beta * moves
    assert moved.objective == pytest.approx(plan.objective + extra)
