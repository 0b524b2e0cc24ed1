"""The planner's objective: equal to brute force on days small enough to enumerate, equal to the
verifier's, at the OR-Library optimum on a sample, bounded below by a valid bound, deterministic."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from builders import job_loads, make_hub, make_load, make_scenario, make_zone, one_machine_optimum

from hub_scheduler.domain import PlanStatus
from hub_scheduler.solver import fcfs, solve
from hub_scheduler.verify import verify

# Work, not wall time, bounds the search in these tests (the clock is a generous safety net), so
# they give the same answer on a loaded machine as on an idle one.
WORK = 20_000

CASES = [
    # (release, handling, due, weight) per load
    [(0, 30, 40, 3), (0, 20, 25, 1), (10, 45, 60, 2), (20, 15, 30, 5), (0, 60, 200, 1)],
    [
        (0, 50, 50, 1),
        (0, 10, 15, 4),
        (5, 25, 40, 2),
        (60, 30, 90, 3),
        (0, 40, 70, 2),
        (30, 20, 60, 6),
    ],
    [(100, 30, 120, 2), (0, 90, 100, 1), (0, 15, 20, 3), (40, 45, 100, 4)],
]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("slot,disinfection", [(1, 0), (5, 10)])
def test_objective_equals_brute_force_on_one_dock(case, slot, disinfection):
    loads = job_loads(case)
    hub = make_hub(disinfection_minutes=disinfection, slot_minutes=slot)
    scenario = make_scenario(hubs=[hub], loads=loads, slot_minutes=slot)
    best = one_machine_optimum(case, slot, disinfection)
    schedule = solve(scenario, time_limit_s=30, workers=1, seed=0, work_budget=WORK)
    assert verify(scenario, schedule).violations == []
    assert schedule.objective == pytest.approx(best)


def test_objective_equals_brute_force_on_two_docks_with_crews():
    hub = make_hub(zones=[make_zone(docks=("D1", "D2"), crews=1)], slot_minutes=5)
    case = [(0, 30, 30, 2), (0, 20, 20, 3), (0, 25, 60, 1), (10, 15, 40, 4), (0, 35, 90, 2)]
    loads = job_loads(case)
    scenario = make_scenario(hubs=[hub], loads=loads, slot_minutes=5)
    # One crew: the zone works one truck at a time, so it is one machine (docks never bind).
    best = one_machine_optimum(case, 5, 0)
    schedule = solve(scenario, time_limit_s=30, workers=1, seed=0, work_budget=WORK)
    assert verify(scenario, schedule).violations == []
    assert schedule.objective == pytest.approx(best)


def test_reported_objective_equals_the_verifiers_and_the_bound_is_below_it():
    from bench.generate import generate

    scenario = generate("county", seed=3)
    schedule = solve(scenario, time_limit_s=2, workers=2, seed=1)
    report = verify(scenario, schedule)
    assert report.violations == []
    assert schedule.objective == pytest.approx(report.objective)
    assert schedule.bound is not None and schedule.bound <= schedule.objective
    assert schedule.gap == pytest.approx((schedule.objective - schedule.bound) / schedule.objective)
    assert schedule.status in (PlanStatus.FEASIBLE, PlanStatus.OPTIMAL)


def test_a_county_day_beats_first_come_first_served():
    from bench.generate import generate

    scenario = generate("county", seed=2)
    baseline = fcfs(scenario)
    schedule = solve(scenario, time_limit_s=2, workers=1, seed=0)
    assert verify(scenario, baseline).violations == []
    assert schedule.objective < baseline.objective


def test_plan_comes_back_within_the_time_limit():
    from bench.generate import generate

    scenario = generate("county", seed=4)
    t0 = time.monotonic()
    schedule = solve(scenario, time_limit_s=1.5, workers=2, seed=0)
    assert time.monotonic() - t0 < 1.5 + 0.5
    assert schedule.solve_seconds <= 1.5


def _busy_day():
    hub = make_hub(
        zones=[make_zone(docks=("D1", "D2"), crews=2), make_zone("ZC", "cold", docks=("C1",))],
        disinfection_minutes=10,
    )
    loads = [
        make_load(
            f"L{i}",
            release=(i * 37) % 240,
            due=(i * 37) % 240 + 40 + (i * 13) % 60,
            handling=20 + (i * 7) % 40,
            priority_weight=1 + i % 5,
            temperature="cold" if i % 4 == 0 else "ambient",
        )
        for i in range(30)
    ]
    return make_scenario(hubs=[hub], loads=loads, transfers=[("L1", "L2", 15)])


def test_same_seed_and_work_budget_give_the_same_plan_while_the_cpus_are_busy():
    import subprocess
    import sys

    scenario = _busy_day()
    # The clock is only a safety net (60 s): the budget of moves ends the search.
    idle = solve(scenario, time_limit_s=60, workers=1, seed=7, work_budget=8000)
    burn = [sys.executable, "-c", "while True: pass"]
    hogs = [subprocess.Popen(burn) for _ in range(os.cpu_count() or 2)]
    try:
        loaded = solve(scenario, time_limit_s=60, workers=1, seed=7, work_budget=8000)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    assert idle.kpis["search_cut_by_clock"] is False
    assert loaded.kpis["search_cut_by_clock"] is False
    assert [x.model_dump() for x in loaded.assignments] == [
        x.model_dump() for x in idle.assignments
    ]
    assert loaded.objective == idle.objective


def test_the_work_is_split_into_independent_runs_that_repeat_by_seed(monkeypatch):
    from hub_scheduler.solver import improve

    scenario = _busy_day()
    one = solve(scenario, time_limit_s=60, workers=1, seed=7, work_budget=9000)
    assert one.kpis["restarts"] == 1  # under MIN_RUN_S of work: one run
    # 1,200 queries a run; the runs share what the neighbourhood search (LNS_SHARE) leaves: 4,050
    monkeypatch.setattr(improve, "MIN_RUN_S", 0.06)
    plans = [solve(scenario, time_limit_s=60, workers=1, seed=7, work_budget=9000) for _ in "ab"]
    assert [p.kpis["restarts"] for p in plans] == [improve.RESTARTS, improve.RESTARTS]
    assert plans[0].objective == plans[1].objective
    assert [x.model_dump() for x in plans[0].assignments] == [
        x.model_dump() for x in plans[1].assignments
    ]
    assert verify(scenario, plans[0]).violations == []


def test_the_output_says_when_the_clock_cut_the_search_short():
    scenario = _busy_day()
    schedule = solve(scenario, time_limit_s=0.3, workers=1, seed=7, work_budget=10**9)
    assert schedule.kpis["search_cut_by_clock"] is True
    assert verify(scenario, schedule).violations == []


def test_or_library_wt40_instance_1_reaches_its_optimum():
    from bench.orlib import read_set, to_scenario

    instance = read_set("wt40")[0]
    scenario = to_scenario(instance)
    schedule = solve(scenario, time_limit_s=60, workers=1, seed=0, work_budget=300_000)
    assert schedule.kpis["search_cut_by_clock"] is False
    assert verify(scenario, schedule).violations == []
    assert schedule.objective == instance.best == 913


def test_a_day_where_every_load_is_on_time_is_proven_optimal():
    loads = [make_load(f"L{i}", release=60 * i, due=60 * i + 120) for i in range(4)]
    schedule = solve(make_scenario(loads=loads), time_limit_s=2, workers=1, seed=0)
    assert schedule.status is PlanStatus.OPTIMAL
    assert schedule.objective == schedule.bound == 0.0 and schedule.gap == 0.0


def test_progress_reports_each_better_objective_with_phase_and_elapsed_time():
    from bench.generate import generate

    seen = []
    scenario = generate("county", seed=6)
    schedule = solve(scenario, time_limit_s=1, workers=1, seed=0, progress=seen.append)
    assert seen and seen[0]["phase"] == "construct"
    assert all(set(p) >= {"phase", "objective", "elapsed_s"} for p in seen)
    objectives = [p["objective"] for p in seen]
    assert objectives == sorted(objectives, reverse=True)
    assert objectives[-1] == pytest.approx(schedule.objective)


def test_a_failing_progress_callback_never_breaks_the_plan():
    def explode(_):
        raise RuntimeError("progress store down")

    schedule = solve(
        make_scenario(loads=[make_load("L1", due=0)]), time_limit_s=0.5, progress=explode
    )
    assert len(schedule.assignments) == 1


def test_unscheduled_penalty_makes_placing_a_load_beat_any_lateness():
    loads = [
        make_load("A", handling=600, due=0, priority_weight=1),
        make_load("B", handling=600, due=0, priority_weight=1),
    ]
    schedule = solve(make_scenario(loads=loads, horizon_minutes=1440), time_limit_s=1, workers=1)
    assert len(schedule.assignments) == 2
    assert schedule.objective == pytest.approx(600 + 1200)


def test_assignment_times_follow_handling_and_disinfection():
    hub = make_hub(disinfection_minutes=12)
    schedule = solve(
        make_scenario(hubs=[hub], loads=[make_load("L1", handling=33)]), time_limit_s=0.5
    )
    a = schedule.assignments[0]
    assert a.end - a.start == timedelta(minutes=33)
    assert a.disinfected_at - a.end == timedelta(minutes=12)


def test_a_plan_the_verifier_rejects_is_never_returned(monkeypatch):
    import hub_scheduler.solver.planner as solve_module

    def broken_improve(dec, best, **kwargs):
        for k in range(len(best.start)):
            best.start[k] = 0  # every load at minute 0 on its dock: H3 broken
        return best

    monkeypatch.setattr(solve_module, "improve", broken_improve)
    loads = [make_load(f"L{i}", due=0) for i in range(3)]
    scenario = make_scenario(loads=loads)
    schedule = solve(scenario, time_limit_s=1, workers=1, seed=0)
    assert verify(scenario, schedule).violations == []
    assert "fallback" in schedule.kpis and "H3" in schedule.kpis["fallback"]
