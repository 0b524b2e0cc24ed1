"""The benchmark generator: the same seed gives the same day, and every day is a valid scenario."""

from __future__ import annotations

import pytest

from bench.day_shape import SIZES, Size
from bench.generate import generate
from hub_scheduler.domain import HubStatus, LoadStatus
from hub_scheduler.scenario_file import dump, parse_scenario


def test_the_same_seed_gives_the_same_day_and_another_seed_another():
    assert dump(generate("county", seed=3)) == dump(generate("county", seed=3))
    assert dump(generate("county", seed=3)) != dump(generate("county", seed=4))


@pytest.mark.parametrize("size", ["county", "city"])
def test_a_generated_day_survives_the_scenario_file_round_trip(size):
    scenario = generate(size, seed=1)
    assert dump(parse_scenario(dump(scenario))) == dump(scenario)


def test_a_county_day_has_every_feature_the_benchmark_needs():
    s = generate("county", seed=1)
    assert len(s.loads) == SIZES["county"].loads and len(s.hubs) == SIZES["county"].hubs
    assert {z.temperature.value for h in s.hubs for z in h.zones} == {"cold", "ambient"}
    assert any(z.crews for h in s.hubs for z in h.zones)
    assert any(h.max_trucks_on_site for h in s.hubs)
    assert any(h.blocked for h in s.hubs)
    assert any(h.status is HubStatus.STANDBY for h in s.hubs)
    assert s.transfers and any(ld.pinned for ld in s.loads)
    assert any(ld.deadline for ld in s.loads)
    nights = [p for h in s.hubs for p in h.opening_hours or [] if p.end <= p.start]
    assert nights, "some hub has a night period crossing midnight"


def test_most_loads_are_eligible_but_not_all():
    s = generate("city", seed=2)
    statuses = [ld.status for ld in s.loads]
    assert statuses.count(LoadStatus.CANCELLED) < 0.03 * len(s.loads)
    barred = {e.id for e in s.enterprises if not e.whitelisted or e.valid_until}
    share = sum(ld.enterprise_id in barred for ld in s.loads) / len(s.loads)
    assert 0 < share < 0.1


def test_a_one_hub_day_keeps_its_only_hub_active():
    s = generate(Size(loads=20, hubs=1, radius_km=10.0), seed=5)
    assert [h.status for h in s.hubs] == [HubStatus.ACTIVE]
    assert dump(parse_scenario(dump(s))) == dump(s)


def test_the_province_is_20_counties_whose_loads_and_relays_stay_inside_them():
    from bench.day_shape import county_of
    from hub_scheduler.solver.partition import independent_parts, split

    day = generate("province", seed=1)
    size = SIZES["province"]
    parts = independent_parts(day)
    assert len(parts) == 20 and all(len(p) == 3 for p in parts)
    for part in parts:
        assert len({county_of(size, h) for h in part}) == 1
    assert all(ld.allowed_hubs for ld in day.loads), "no load may go anywhere"
    assert all(len({county_of(size, h) for h in ld.allowed_hubs}) == 1 for ld in day.loads)
    assert all(len(piece.loads) > 100 for piece in split(day, parts))
    assert sum(len(piece.transfers) for piece in split(day, parts)) == len(day.transfers) > 0
