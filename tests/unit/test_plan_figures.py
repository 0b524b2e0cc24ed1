"""A plan's figures from its rows (`hub_scheduler/plan_figures.py`): the objective is the
verifier's, a row moved later shows in the late loads and the objective, a truck served since
still counts, and the basis a publish keeps reads back as it was written."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from hub_scheduler.domain import LoadStatus, Position
from hub_scheduler.plan_figures import FigureBasis, counted_loads, plan_objective, row_kpis
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.solver.planner import fcfs
from hub_scheduler.verify import verify

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "xunwu.json"


@pytest.fixture(scope="module")
def day():
    scenario = parse_scenario(json.loads(FIXTURE.read_text(encoding="utf-8")))
    return scenario, fcfs(scenario)


def _later(schedule, load_id: str, minutes: int):
    shift = timedelta(minutes=minutes)
    rows = [
        a.model_copy(
            update={
                "start": a.start + shift,
                "end": a.end + shift,
                "disinfected_at": a.disinfected_at + shift,
            }
        )
        if a.load_id == load_id
        else a
        for a in schedule.assignments
    ]
    return schedule.model_copy(update={"assignments": rows})


def test_the_objective_is_the_verifiers_and_the_kpis_are_the_solvers(day):
    scenario, schedule = day
    assert plan_objective(scenario, schedule) == pytest.approx(verify(scenario, schedule).objective)
    kpis = row_kpis(scenario, schedule)
    for key in ("placed", "unscheduled", "late_count", "late_loads", "max_wait_minutes"):
        assert kpis[key] == schedule.kpis[key], key


def test_a_row_moved_after_its_due_shows_in_the_late_loads_and_the_objective(day):
    scenario, schedule = day
    late = {x["load_id"] for x in schedule.kpis["late_loads"]}
    loads = {ld.id: ld for ld in scenario.loads}
    row = next(a for a in schedule.assignments if a.load_id not in late)
    minutes = int((loads[row.load_id].due - row.end).total_seconds() // 60) + 30
    moved = _later(schedule, row.load_id, minutes)

    kpis = row_kpis(scenario, moved)

    assert kpis["late_count"] == schedule.kpis["late_count"] + 1
    assert row.load_id in {x["load_id"] for x in kpis["late_loads"]}
    assert plan_objective(scenario, moved) > plan_objective(scenario, schedule)


def test_a_truck_completed_since_still_counts_in_the_plans_objective(day):
    scenario, schedule = day
    basis = FigureBasis.of(scenario)
    done = {a.load_id for a in schedule.assignments[:5]}
    served = [
        ld.model_copy(update={"status": LoadStatus.COMPLETED}) if ld.id in done else ld
        for ld in scenario.loads
    ]
    counted = scenario.model_copy(update={"loads": counted_loads(served, basis)})
    assert plan_objective(counted, schedule) == pytest.approx(plan_objective(scenario, schedule))


def test_a_basis_reads_back_as_it_was_written(day):
    scenario, schedule = day
    first = schedule.assignments[0]
    previous = {first.load_id: first}
    with_previous = scenario.model_copy(
        update={
            "loads": [
                ld.model_copy(
                    update={
                        "previous": Position(
                            hub_id=first.hub_id, dock_id=first.dock_id, start=first.start
                        )
                    }
                )
                if ld.id in previous
                else ld
                for ld in scenario.loads
            ]
        }
    )
    basis = FigureBasis.of(with_previous)
    assert FigureBasis.from_json(json.loads(json.dumps(basis.as_json()))) == basis
    assert set(basis.previous) == {first.load_id}
