"""H5 opening periods that touch are one continuous period (DESIGN.md H5, issue 9): the eligibility
pre-check, the solver and the verifier agree on it, on the testers' case and on random calendars."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import assign, make_hub, make_load, make_scenario, make_schedule
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub_scheduler.scenario_file import read_scenario
from hub_scheduler.solver import solve
from hub_scheduler.solver.eligibility import filter_candidates
from hub_scheduler.solver.instance import compile_instance
from hub_scheduler.verify import verify

CASES = Path(__file__).resolve().parent / "cases"
HORIZON = 2880  # two days from the builders' T0 (local midnight, Asia/Shanghai)
SLOT = 15


def test_a_hub_open_00_00_to_24_00_takes_a_truck_across_midnight():
    # Testers' case 2026-11-30: a truck at 23:30 for 60 min was refused as CLOSED.
    scenario = read_scenario(CASES / "hub-open-00-24-truck-across-midnight.json")
    schedule = solve(scenario, time_limit_s=1.0, workers=1, seed=1)
    assert schedule.unscheduled == []
    (a,) = schedule.assignments
    assert a.start == scenario.loads[0].release  # 23:30 to 00:30, then disinfection to 00:40
    assert verify(scenario, schedule).ok


@pytest.mark.parametrize(
    "opening_hours",
    [
        [("08:00", "12:00"), ("12:00", "18:00")],
        [("12:00", "18:00"), ("08:00", "12:00")],
        [("18:00", "00:00"), ("00:00", "06:00")],
        [("22:00", "06:00"), ("06:00", "22:00")],
    ],
)
def test_back_to_back_shifts_serve_a_truck_across_the_change(opening_hours):
    change = {"08:00": 720, "12:00": 720, "18:00": 1440, "22:00": 360}[opening_hours[0][0]]
    load = make_load("L1", release=change - 15, due=change + 60, handling=45)
    s = make_scenario(
        hubs=[make_hub(opening_hours=opening_hours)], loads=[load], horizon_minutes=HORIZON
    )
    schedule = solve(s, time_limit_s=1.0, workers=1, seed=0)
    assert [x.start for x in schedule.assignments] == [load.release]
    assert verify(s, schedule).ok


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def touching_calendars(draw):
    """Daily periods between quarter-hour boundaries, consecutive ones touching (some dropped to
    leave gaps), the last possibly wrapping over midnight to the first; and the open minutes of
    two days, marked one minute at a time from the rule text (no solver or verifier code)."""
    cuts = sorted(draw(st.sets(st.integers(0, 95), min_size=1, max_size=6)))
    bounds = [c * 15 for c in cuts]
    pairs = list(zip(bounds, bounds[1:], strict=False))
    pairs.append((bounds[-1], bounds[0]))  # wraps over midnight (a whole day when one bound)
    keep = [p for p in pairs if draw(st.booleans())] or pairs[-1:]
    periods = [(_hhmm(a), "24:00" if b == 0 and a > 0 else _hhmm(b)) for a, b in keep]
    open_minutes = set()
    for day in (-1, 0, 1, 2):
        for a, b in keep:
            end = b if b > a else b + 1440
            open_minutes.update(range(day * 1440 + a, day * 1440 + end))
    return periods, open_minutes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(touching_calendars(), st.data())
def test_a_span_inside_touching_periods_is_accepted_by_eligibility_solver_and_verifier(cal, data):
    periods, open_minutes = cal
    p = data.draw(st.integers(5, 600), label="handling")
    d = data.draw(st.sampled_from([0, 10, 45]), label="disinfection")
    fits = [
        s
        for s in range(0, HORIZON - p - d + 1, SLOT)
        if all(m in open_minutes for m in range(s, s + p + d))
    ]
    if not fits:
        return
    start = data.draw(st.sampled_from(fits), label="start")
    load = make_load("L1", release=start, due=start + p, handling=p, disinfection_minutes=d)
    s = make_scenario(hubs=[make_hub(opening_hours=periods)], loads=[load], horizon_minutes=HORIZON)
    assert filter_candidates(compile_instance(s)) == {}, "eligibility refused it"
    schedule = solve(s, time_limit_s=0.5, workers=1, seed=0)
    assert [a.start for a in schedule.assignments] == [load.release], "the solver moved it"
    assert verify(s, schedule).ok
    assert verify(s, make_schedule(s, [assign(s, "L1", start)])).ok
