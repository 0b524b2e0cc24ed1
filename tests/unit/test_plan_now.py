"""Planning knows now (issue 9): nothing unpinned starts before it, the freeze window pins what the
plan in force starts soon, and the verifier checks both."""

from __future__ import annotations

from builders import assign, at, make_load, make_scenario, make_schedule, position
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_solver_properties import small_days

from hub_scheduler.domain import LoadStatus
from hub_scheduler.services.job_run import with_now
from hub_scheduler.solver import solve
from hub_scheduler.verify import verify


def _rules(scenario, schedule) -> set[str]:
    return {v.rule for v in verify(scenario, schedule).violations if v.rule != "OBJECTIVE"}


def test_a_load_placed_at_now_or_later_passes():
    scenario = make_scenario(loads=[make_load("L1", release=0, due=600)], now=at(120))
    assert "H4" not in _rules(scenario, make_schedule(scenario, [assign(scenario, "L1", 120)]))


def test_a_load_placed_before_now_breaks_h4():
    scenario = make_scenario(loads=[make_load("L1", release=0, due=600)], now=at(120))
    report = verify(scenario, make_schedule(scenario, [assign(scenario, "L1", 60)]))
    assert any(v.rule == "H4" and "before now" in v.text for v in report.violations)


def test_a_truck_on_site_keeps_its_past_slot_and_passes():
    load = make_load(
        "L1", release=0, due=600, previous=position("H1", "D1", 60), status=LoadStatus.CHECKED_IN
    )
    scenario = make_scenario(loads=[load], now=at(120))
    schedule = solve(scenario, time_limit_s=0.3, workers=1, seed=0)
    assert [(a.dock_id, a.start) for a in schedule.assignments] == [("D1", at(60))]
    assert verify(scenario, schedule).violations == []


def test_the_freeze_window_pins_what_starts_soon_and_frees_what_starts_later():
    soon = make_load("L1", release=0, due=600, previous=position("H1", "D1", 150))
    later = make_load("L2", release=0, due=600, previous=position("H1", "D1", 400))
    urgent = make_load("L3", release=0, due=135, priority_weight=5)
    scenario = make_scenario(loads=[soon, later, urgent], now=at(120), freeze_minutes=60)
    schedule = solve(scenario, time_limit_s=0.5, workers=1, seed=0)
    starts = {a.load_id: a.start for a in schedule.assignments}
    assert starts["L1"] == at(150)  # inside now + 60: frozen
    assert starts["L3"] >= at(120)
    assert verify(scenario, schedule).violations == []
    moved = schedule.model_copy(
        update={
            "assignments": [
                a.model_copy(update={"start": at(165), "end": at(195), "disinfected_at": at(195)})
                if a.load_id == "L1"
                else a
                for a in schedule.assignments
            ]
        }
    )
    assert "H10" in _rules(scenario, moved)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_days(), st.integers(0, 1800), st.sampled_from([0, 30, 120]))
def test_a_random_small_day_planned_from_any_now_passes_the_verifier(scenario, minute, freeze):
    scenario = with_now(scenario, at(minute))
    scenario = scenario.model_copy(
        update={"settings": scenario.settings.model_copy(update={"freeze_minutes": freeze})}
    )
    schedule = solve(scenario, time_limit_s=0.3, workers=1, seed=0)
    assert verify(scenario, schedule).violations == []
