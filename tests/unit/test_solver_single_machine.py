"""The single-machine fast path asks the timeline whether a dock is plain (no calendar, no capacity
but itself) instead of listing rules: every capacity or calendar turns it off, nothing else does."""

from __future__ import annotations

import pytest
from builders import make_hub, make_load, make_scenario, make_zone

from bench.orlib import Instance, to_scenario
from hub_scheduler.solver.planner import _prepare
from hub_scheduler.solver.single_machine import as_single_machine

TINY = Instance(
    name="tiny-1", processing=(3, 5, 2, 4), weights=(2, 1, 4, 3), due=(4, 6, 3, 9), best=0
)


def one_dock_day(**hub_fields):
    zone = make_zone(crews=hub_fields.pop("crews", None))
    hub = make_hub(zones=[zone], slot_minutes=1, **hub_fields)
    loads = [make_load(f"L{i}", release=0, due=30 * i, handling=20) for i in range(1, 5)]
    return make_scenario(hubs=[hub], loads=loads, horizon_minutes=1440)


def test_an_or_library_instance_takes_the_fast_path():
    machine = as_single_machine(_prepare(to_scenario(TINY)))
    assert machine is not None and sorted(machine.p) == [2, 3, 4, 5]


def test_a_plain_one_dock_day_takes_the_fast_path():
    assert as_single_machine(_prepare(one_dock_day())) is not None


@pytest.mark.parametrize(
    "fields",
    [
        {"crews": 1},  # H6
        {"max_trucks_on_site": 1},  # H8
        {"opening_hours": [("00:00", "23:00")]},  # H5 calendar
        {"blocked": [{"start": 600, "end": 700}]},  # H5 blocked window
    ],
)
def test_any_capacity_or_calendar_turns_the_fast_path_off(fields):
    assert as_single_machine(_prepare(one_dock_day(**fields))) is None
