"""The Xunwu demo day: deterministic for a seed, committed as fixtures/xunwu.json, as asked."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import create_model

from hub_scheduler.demo_data import build_scenario, main, stable_json
from hub_scheduler.domain import CargoCategory, HubStatus, Temperature
from hub_scheduler.scenario_file import dump, parse_scenario, read_scenario
from hub_scheduler.screening import failed_checks

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "xunwu.json"


@pytest.fixture(scope="module")
def demo():
    return build_scenario()


def test_the_same_seed_gives_the_same_day():
    assert dump(build_scenario(7)) == dump(build_scenario(7))


def test_another_seed_gives_another_day():
    assert dump(build_scenario(8))["loads"] != dump(build_scenario(7))["loads"]


def test_the_committed_fixture_is_the_generator_output(demo):
    committed = json.loads(FIXTURE.read_text(encoding="utf-8"))
    regenerate = "regenerate: python -m hub_scheduler.demo_data --out fixtures/xunwu.json"
    assert committed == stable_json(demo), regenerate
    assert parse_scenario(committed) == demo


def test_a_new_defaulted_field_leaves_the_fixture_as_it_was(demo):
    # Fields equal to their defaults are left out, so growing a model does not churn the fixture.
    load = demo.loads[0]
    grown = create_model("GrownLoad", __base__=type(load), driver_phone=(str | None, None))
    assert stable_json(grown(**load.model_dump())) == stable_json(load)
    assert stable_json(demo)["format"] == "hub-scheduler/scenario@1"


def test_the_fixture_passes_validation(demo):
    assert read_scenario(FIXTURE) == parse_scenario(dump(demo))


def test_the_command_writes_a_readable_scenario(tmp_path, capsys):
    main(["--out", str(tmp_path / "x.json")])
    assert read_scenario(tmp_path / "x.json") == build_scenario()
    assert "200 loads" in capsys.readouterr().out


def test_there_are_two_active_hubs_and_two_standby_service_areas(demo):
    statuses = {h.id: (h.kind.value, h.status) for h in demo.hubs}
    assert statuses == {
        "XW-LP": ("logistics_park", HubStatus.ACTIVE),
        "XW-SA-N": ("service_area", HubStatus.STANDBY),
        "XW-SA-S": ("service_area", HubStatus.STANDBY),
        "XW-TS": ("logistics_park", HubStatus.ACTIVE),
    }


def test_exactly_one_hub_has_no_cold_zone(demo):
    without_cold = [
        h.id for h in demo.hubs if all(z.temperature is not Temperature.COLD for z in h.zones)
    ]
    assert without_cold == ["XW-SA-S"]
    assert all(any(z.temperature is Temperature.AMBIENT for z in h.zones) for h in demo.hubs)


def test_hubs_have_docks_crews_hours_disinfection_capacity_and_a_blocked_window(demo):
    assert all(z.docks and z.crews for h in demo.hubs for z in h.zones)
    hours = {h.id: h.opening_hours for h in demo.hubs}
    assert hours["XW-LP"] is None  # around the clock
    assert any(p.end <= p.start for p in hours["XW-TS"])  # a night period crossing midnight
    assert all(15 <= h.disinfection_minutes <= 30 for h in demo.hubs)
    assert any(h.max_trucks_on_site for h in demo.hubs)
    assert any(h.blocked for h in demo.hubs)


def test_the_horizon_is_one_day_in_shanghai(demo):
    assert demo.timezone == "Asia/Shanghai"
    assert demo.horizon.start.isoformat() == "2026-11-28T00:00:00+08:00"
    assert demo.horizon.minutes == 1440
    assert (demo.settings.slot_minutes, demo.settings.time_limit_s, demo.settings.seed) == (
        15,
        10,
        7,
    )
    assert demo.settings.screening.required


def test_about_fifteen_enterprises_with_one_off_the_list_and_one_expired(demo):
    day = demo.horizon.start.date()
    assert len(demo.enterprises) == 15
    assert [e.id for e in demo.enterprises if not e.whitelisted] == ["E14"]
    assert [e.id for e in demo.enterprises if e.whitelisted and not e.whitelisted_on(day)] == [
        "E15"
    ]


def test_two_hundred_loads_cover_every_category_and_both_temperatures(demo):
    assert len(demo.loads) == 200
    assert {ld.category for ld in demo.loads} == set(CargoCategory)
    temperatures = Counter(ld.temperature for ld in demo.loads)
    assert 25 <= temperatures[Temperature.COLD] <= 60
    assert all(ld.vehicle_plate and ld.origin for ld in demo.loads)
    assert len({ld.vehicle_plate for ld in demo.loads}) == 200


def test_arrivals_peak_in_the_morning_and_the_afternoon(demo):
    by_hour = Counter(ld.release.hour for ld in demo.loads)
    morning, midday, afternoon = (
        sum(by_hour[h] for h in hours) for hours in ((7, 8, 9), (11, 12, 13), (14, 15, 16))
    )
    assert morning > 2 * midday and afternoon > 2 * midday


def test_relay_pairs_share_a_temperature_and_the_outbound_comes_later(demo):
    loads = {ld.id: ld for ld in demo.loads}
    assert len(demo.transfers) >= 5
    for t in demo.transfers:
        inbound, outbound = loads[t.inbound], loads[t.outbound]
        assert inbound.temperature is outbound.temperature
        assert outbound.release >= inbound.release + timedelta(minutes=inbound.handling_minutes)


def test_some_loads_have_deadlines_allowed_hubs_passes_and_weights(demo):
    assert sum(ld.deadline is not None for ld in demo.loads) >= 10
    assert sum(ld.allowed_hubs is not None for ld in demo.loads) >= 5
    assert sum(ld.has_pass for ld in demo.loads) >= 3
    assert sum(ld.priority_weight is not None for ld in demo.loads) >= 1


def test_most_drivers_pass_screening_and_a_few_fail_for_named_reasons(demo):
    policy = demo.settings.screening
    failures = {ld.id: [f.code for f in failed_checks(ld, policy, ld.release)] for ld in demo.loads}
    failing = Counter(code for codes in failures.values() for code in codes)
    assert sum(1 for codes in failures.values() if codes) <= 6
    assert {"TEST_TOO_OLD", "HEALTH_CODE", "FEVER"} <= set(failing)


def test_every_hub_and_enterprise_name_is_chinese_only(demo):
    """No English gloss: every page, export and XLSX sheet name shows these names."""
    for named in [*demo.hubs, *demo.enterprises]:
        assert named.name and not re.search(r"[A-Za-z()]", named.name), named.name
