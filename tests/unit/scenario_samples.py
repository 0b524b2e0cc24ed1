"""What the scenario file tests share: a small valid scenario as parsed JSON and the problems
parse_scenario reports."""

from __future__ import annotations

import pytest
from builders import make_hub, make_load, make_scenario, make_zone

from hub_scheduler.errors import ValidationFailed
from hub_scheduler.scenario_file import dump, parse_scenario

OFFSET_MESSAGE = "must be an ISO-8601 time with an offset, like 2026-11-27T08:00:00+08:00"


def valid() -> dict:
    """A small consistent scenario as parsed JSON: one hub, a cold and an ambient zone, 2 loads."""
    hub = make_hub(
        zones=[make_zone("Z1", "ambient", ["D1", "D2"]), make_zone("ZC", "cold", ["C1"])],
        opening_hours=[("06:00", "12:00"), ("22:00", "02:00")],
        blocked=[{"start": 60, "end": 120, "zone_id": "Z1", "dock_id": "D1", "reason": "repair"}],
    )
    loads = [make_load("L1"), make_load("L2", release=60, due=200, temperature="cold")]
    return dump(make_scenario(hubs=[hub], loads=loads, transfers=[("L1", "L2", 0)]))


def problems(data: dict) -> list[tuple[str, str]]:
    """The (path, message) pairs parse_scenario reports, in order; fails if it accepts the data."""
    with pytest.raises(ValidationFailed) as caught:
        parse_scenario(data)
    return [(e.field, e.message) for e in caught.value.errors]
