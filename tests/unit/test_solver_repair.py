"""The repair of one load (hub_scheduler/solver/repair.py): whatever the load and however late,
a gap it finds starts at or after the earliest allowed minute, on the grid, moves no one else,
and the whole plan verifies with no violation it did not have before (hypothesis); with no gap
by the due, an insertion pushes the fewest later loads that may move, and on small random days
(hypothesis) the result always verifies and moves no one when a gap by the due exists."""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache
from pathlib import Path

from hypothesis import event, given, settings
from hypothesis import strategies as st

from hub_scheduler.domain import PlanStatus, Schedule
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.solver import fcfs
from hub_scheduler.solver.repair import earliest_slot, repair
from hub_scheduler.verify import verify
from tests.unit.builders import assign, at, make_hub, make_load, make_scenario, make_zone

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "xunwu.json"


@cache
def _day():
    scenario = parse_scenario(json.loads(FIXTURE.read_text(encoding="utf-8")))
    return scenario, fcfs(scenario).assignments


def _violations(scenario, assignments) -> set[str]:
    schedule = Schedule(scenario=scenario.name, status=PlanStatus.FEASIBLE, assignments=assignments)
    return {v.text for v in verify(scenario, schedule).violations}


@settings(max_examples=12, deadline=None)
@given(
    pick=st.integers(min_value=0, max_value=10_000), late=st.integers(min_value=1, max_value=300)
)
def test_a_repaired_slot_is_late_enough_moves_no_one_and_breaks_no_rule(pick, late):
    scenario, plan = _day()
    slot = plan[pick % len(plan)]
    others = [a for a in plan if a.load_id != slot.load_id]
    load = next(ld for ld in scenario.loads if ld.id == slot.load_id).model_copy(
        update={"pinned": None}
    )
    day = scenario.model_copy(
        update={"loads": [load if ld.id == load.id else ld for ld in scenario.loads]}
    )
    earliest = slot.start + timedelta(minutes=late)

    repair = earliest_slot(day, load, others, earliest)

    if repair.assignment is None:
        return
    new = repair.assignment
    assert new.load_id == load.id and new.start >= earliest
    assert (new.start - day.horizon.start).total_seconds() % (15 * 60) == 0
    assert not (_violations(day, [*others, new]) - _violations(day, others))


def test_no_slot_is_claimed_after_the_horizon():
    scenario, plan = _day()
    slot = plan[0]
    others = plan[1:]
    load = next(ld for ld in scenario.loads if ld.id == slot.load_id)
    repair = earliest_slot(
        scenario, load.model_copy(update={"pinned": None}), others, scenario.horizon.end
    )
    assert repair.assignment is None and repair.tried == 0


# --- moving as few loads as possible (repair: the gap, else an insertion that pushes) ------------


def _one_dock_day(dues=(60, 240, 300), docks=("D1",)):
    """L1 08:00-09:00, L2 09:00-10:00, L3 10:00-11:00 on D1 (no disinfection), L1 due at
    08:00 + dues[0] minutes, L2 and L3 later; L1 is the load to repair (taken out of the plan)."""
    hub = make_hub(zones=[make_zone(docks=docks)], disinfection_minutes=0)
    loads = [
        make_load("L1", release=480, due=480 + dues[0], handling=60),
        make_load("L2", release=540, due=480 + dues[1], handling=60),
        make_load("L3", release=600, due=480 + dues[2], handling=60),
    ]
    scenario = make_scenario(hubs=[hub], loads=loads)
    others = [assign(scenario, "L2", 540), assign(scenario, "L3", 600)]
    return scenario, loads[0], others


def test_with_no_gap_by_the_due_the_later_loads_of_the_dock_are_pushed_as_little_as_needed():
    scenario, load, others = _one_dock_day()

    fixed = repair(scenario, load, others, at(500), movable={"L2", "L3"})

    assert fixed.assignment.start == at(510)  # the first grid minute from the arrival
    assert {a.load_id: a.start for a in fixed.moved} == {"L2": at(570), "L3": at(630)}
    assert fixed.shift_minutes({a.load_id: a for a in others}) == 60
    new = {a.load_id: a for a in fixed.moved}
    after = [new.get(a.load_id, a) for a in others]
    assert not (_violations(scenario, [*after, fixed.assignment]) - _violations(scenario, others))


def test_loads_that_may_not_move_are_never_pushed_and_the_late_gap_is_taken():
    scenario, load, others = _one_dock_day()

    fixed = repair(scenario, load, others, at(500), movable=())

    assert fixed.moved == ()
    assert fixed.assignment.start == at(660)  # after L3: late, but nothing else moves


def test_a_push_never_makes_an_on_time_load_late():
    scenario, load, others = _one_dock_day(dues=(60, 120, 300))  # L2 due 10:00, on time now

    fixed = repair(scenario, load, others, at(500), movable={"L2", "L3"})

    # Not at 08:30 (L2 would end late): after L2, pushing L3 (due 13:00) by an hour.
    assert fixed.assignment.start == at(600)
    assert [(a.load_id, a.start) for a in fixed.moved] == [("L3", at(660))]


def test_a_gap_by_the_due_moves_no_one():
    scenario, load, others = _one_dock_day(dues=(240, 240, 300))  # L1 may end by 12:00

    fixed = repair(scenario, load, others, at(500), movable={"L2", "L3"})

    assert fixed.moved == () and fixed.assignment.start == at(660)


def test_the_dock_whose_insertion_moves_fewest_loads_wins():
    scenario, load, others = _one_dock_day(docks=("D1", "D2"))
    l4 = make_load("L4", release=480, due=900, handling=60)
    scenario = scenario.model_copy(update={"loads": [*scenario.loads, l4]})
    # D2: L4 09:00-10:00 only, so an insertion at 08:30 pushes one load there, two on D1.
    others = [*others, assign(scenario, "L4", 540, dock_id="D2")]

    fixed = repair(scenario, load, others, at(500), movable={"L2", "L3", "L4"})

    assert fixed.assignment.dock_id == "D2" and fixed.assignment.start == at(510)
    assert [(a.load_id, a.start) for a in fixed.moved] == [("L4", at(570))]


def test_a_repair_kept_to_one_dock_waits_there_and_pushes_no_one():
    """A truck on site keeps its dock (H10): with `docks`, the gap on that dock, never a push,
    never another dock, even when another dock is free at once."""
    scenario, load, others = _one_dock_day(docks=("D1", "D2"))

    fixed = repair(scenario, load, others, at(500), movable={"L2", "L3"}, docks={("H1", "D1")})

    assert (fixed.assignment.dock_id, fixed.assignment.start) == ("D1", at(660))
    assert fixed.moved == ()
    free = repair(scenario, load, others, at(500), movable={"L2", "L3"})
    assert free.assignment.dock_id == "D2"  # without `docks`: the free dock at once


# Small random days: one or two hubs, one to three docks, crews, disinfection, opening hours, a
# relay; a first-come-first-served plan; one load taken out and repaired from later than its slot.


@st.composite
def _small_days(draw):
    n_docks = draw(st.integers(1, 3))
    hubs = [
        make_hub(
            "H1",
            zones=[make_zone(docks=[f"D{i}" for i in range(1, n_docks + 1)])],
            disinfection_minutes=draw(st.sampled_from([0, 10, 20])),
            opening_hours=draw(st.sampled_from([None, [("06:00", "22:00")]])),
        )
    ]
    if draw(st.booleans()):
        hubs.append(make_hub("H2", zones=[make_zone("Z1", docks=["D1"], crews=1)]))
    loads = []
    for i in range(draw(st.integers(2, 9))):
        release = draw(st.integers(6 * 4, 18 * 4)) * 15
        handling = draw(st.sampled_from([30, 45, 60, 90]))
        slack = draw(st.integers(0, 240))
        deadline = draw(st.sampled_from([None, release + handling + 300]))
        loads.append(
            make_load(
                f"L{i + 1}",
                release=release,
                due=release + handling + slack,
                handling=handling,
                deadline=deadline,
            )
        )
    transfers = [("L1", "L2", 15)] if draw(st.booleans()) and len(loads) > 2 else []
    scenario = make_scenario(hubs=hubs, loads=loads, transfers=transfers)
    return scenario, draw(st.integers(0, 100)), draw(st.integers(1, 240)), draw(st.randoms())


@settings(max_examples=40, deadline=None)
@given(day=_small_days())
def test_a_repair_on_a_small_day_always_verifies_and_moves_no_one_when_a_gap_will_do(day):
    scenario, pick, late, rng = day
    plan = fcfs(scenario).assignments
    if not plan:
        return
    slot = plan[pick % len(plan)]
    others = [a for a in plan if a.load_id != slot.load_id]
    load = next(ld for ld in scenario.loads if ld.id == slot.load_id)
    earliest = slot.start + timedelta(minutes=late)
    movable = {a.load_id for a in others if rng.random() < 0.7}

    fixed = repair(scenario, load, others, earliest, movable)
    gap = earliest_slot(scenario, load, others, earliest).assignment
    event(f"moved {len(fixed.moved)}, gap {'yes' if gap else 'no'}")

    new = {a.load_id: a for a in fixed.moved}
    after = [new.get(a.load_id, a) for a in others]
    placed = [*after, fixed.assignment] if fixed.assignment else after
    assert not (_violations(scenario, placed) - _violations(scenario, others))
    old = {a.load_id: a for a in others}
    for a in fixed.moved:  # only loads allowed to move, later on their own dock
        assert a.load_id in movable
        assert (a.hub_id, a.dock_id) == (old[a.load_id].hub_id, old[a.load_id].dock_id)
        assert a.start > old[a.load_id].start
    if fixed.assignment is not None:
        assert fixed.assignment.start >= earliest
    if gap is not None:
        assert fixed.assignment is not None and fixed.assignment.start <= gap.start
        if gap.end <= load.due:
            assert fixed.moved == () and fixed.assignment == gap
        if fixed.moved:
            assert fixed.assignment.start < gap.start  # moving others only ever buys time
    else:
        assert fixed.assignment is None or fixed.moved  # no gap: only an insertion can place it
