"""The domain pieces the services enforce: hub status transitions and the declared
`screening_failures` output field of a load (scenario@1 files round-trip with and without it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hub_scheduler.domain import HubStatus, Load
from hub_scheduler.scenario_file import dump, parse_scenario
from hub_scheduler.transitions import HUB_TRANSITIONS, hub_may_become

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "xunwu.json"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (HubStatus.STANDBY, HubStatus.ACTIVE),
        (HubStatus.ACTIVE, HubStatus.SUSPENDED),
        (HubStatus.ACTIVE, HubStatus.STANDBY),
        (HubStatus.SUSPENDED, HubStatus.ACTIVE),
        (HubStatus.SUSPENDED, HubStatus.STANDBY),
    ],
)
def test_a_hub_may_make_the_moves_the_rules_name(before, after):
    assert hub_may_become(before, after)


@pytest.mark.parametrize("status", list(HubStatus))
def test_a_hub_never_switches_to_the_status_it_has(status):
    assert not hub_may_become(status, status)


def test_a_standby_hub_is_never_suspended():
    assert not hub_may_become(HubStatus.STANDBY, HubStatus.SUSPENDED)


def test_every_status_has_its_transitions():
    assert set(HUB_TRANSITIONS) == set(HubStatus)


def test_screening_failures_is_a_declared_field_not_an_extra():
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))["loads"][0]
    load = Load.model_validate({**data, "screening_failures": ["FEVER: 38.1 °C"]})
    assert "screening_failures" in Load.model_fields
    assert not (load.model_extra or {})
    assert [str(f) for f in load.screening_failures] == ["FEVER: 38.1 °C"]


def test_a_scenario_file_round_trips_with_and_without_screening_failures():
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert "screening_failures" not in data["loads"][0]
    assert dump(parse_scenario(data)) == dump(parse_scenario(dump(parse_scenario(data))))
    assert "screening_failures" not in dump(parse_scenario(data))["loads"][0]
    data["loads"][0]["screening_failures"] = ["TEST_POSITIVE: the test result is positive"]
    again = dump(parse_scenario(data))
    assert again["loads"][0]["screening_failures"] == data["loads"][0]["screening_failures"]
    assert dump(parse_scenario(again)) == again
