"""The repair of one load (hub_scheduler/solver/repair.py): whatever the load and however late,
a slot it finds starts at or after the earliest allowed minute, on the grid, moves no one else,
and the whole plan verifies with no violation it did not have before (hypothesis)."""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from hub_scheduler.domain import PlanStatus, Schedule
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.solver import fcfs
from hub_scheduler.solver.repair import earliest_slot
from hub_scheduler.verify import verify

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "xunwu.json"


@cache
def _day():
    scenario = parse_scenario(json.loads(FIXTURE.read_text(encoding="utf-8")))
    return scenario, fcfs(scenario).assignments


def _violations(scenario, assignments) -> set[str]:
    schedule = Schedule(scenario=scenario.name, status=PlanStatus.FEASIBLE, assignments=assignments)
    return {v.message for v in verify(scenario, schedule).violations}


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
