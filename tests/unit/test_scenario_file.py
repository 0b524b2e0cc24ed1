"""The scenario@1 / schedule@1 files: every error path and message (fields, references). Files
and write -> read -> equal: test_scenario_file_round_trip.py."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from builders import position
from scenario_samples import OFFSET_MESSAGE, problems, valid

from hub_scheduler.errors import ValidationFailed
from hub_scheduler.scenario_file import dump, json_path, parse_scenario


def test_the_valid_base_scenario_parses():
    scenario = parse_scenario(valid())
    assert [ld.id for ld in scenario.loads] == ["L1", "L2"]


def test_json_path_joins_names_with_dots_and_indexes_with_brackets():
    assert json_path(("loads", 17, "temperature")) == "loads[17].temperature"
    assert json_path(("hubs", 0, "zones", 1, "docks", 2, "id")) == "hubs[0].zones[1].docks[2].id"
    assert json_path(()) == ""


# --- field errors (pydantic), one message per kind ------------------------------------------------


def test_a_missing_field_is_required():
    data = valid()
    del data["loads"][1]["handling_minutes"]
    assert problems(data) == [("loads[1].handling_minutes", "is required")]


# (the field, a bad value for it, the one message it gives)
ONE_BAD_FIELD = [
    # a bad enum lists the allowed values
    ("loads[0].temperature", "frozen", 'must be "cold" or "ambient"'),
    ("hubs[0].status", "open", 'must be "active", "standby" or "suspended"'),
    # a wrong format tag names the expected one
    ("format", "hub-scheduler/scenario@2", 'must be "hub-scheduler/scenario@1"'),
    # a time without offset asks for one; so does one that is not a time
    ("loads[0].release", "2026-11-27T08:00:00", OFFSET_MESSAGE),
    ("horizon.end", "tomorrow", OFFSET_MESSAGE),
    # a bad opening hour asks for HH:MM
    ("hubs[0].opening_hours[0].end", "25:00", 'must be a time of day "HH:MM"'),
    # a number out of range says the limit
    ("loads[0].handling_minutes", 0, "input should be greater than 0"),
]


@pytest.mark.parametrize(("field", "value", "message"), ONE_BAD_FIELD)
def test_one_bad_field_gives_its_one_message(field, value, message):
    data = valid()
    # "hubs[0].opening_hours[0].end" -> hubs, 0, opening_hours, 0, end
    *parents, name = [int(s) if s.isdigit() else s for s in re.findall(r"[^.\[\]]+", field)]
    inside = data
    for step in parents:
        inside = inside[step]
    inside[name] = value
    assert problems(data) == [(field, message)]


def test_a_body_that_is_not_an_object_is_reported_at_the_body():
    with pytest.raises(ValidationFailed) as caught:
        parse_scenario([1, 2])
    assert [e.field for e in caught.value.errors] == ["(body)"]
    assert caught.value.detail == "scenario is not valid"


def test_field_errors_are_all_reported_at_once():
    data = valid()
    data["loads"][0]["temperature"] = "frozen"
    data["loads"][1]["category"] = "toys"
    del data["hubs"][0]["zones"][0]["id"]
    data["horizon"]["start"] = "2026-11-27"
    fields = {field for field, _ in problems(data)}
    assert fields == {
        "loads[0].temperature",
        "loads[1].category",
        "hubs[0].zones[0].id",
        "horizon.start",
    }


# --- reference and consistency errors -------------------------------------------------------------


def test_an_unknown_time_zone_is_named():
    data = valid()
    data["timezone"] = "Mars/Olympus"
    assert problems(data) == [("timezone", 'unknown time zone "Mars/Olympus"')]


@pytest.mark.parametrize("name", ["America", "", "/etc/localtime", "Asia/"])
def test_a_time_zone_that_is_a_folder_or_a_path_is_unknown_not_a_crash(name):
    data = valid()
    data["timezone"] = name
    assert problems(data) == [("timezone", f'unknown time zone "{name}"')]


def test_a_horizon_that_ends_before_it_starts_is_reported():
    data = valid()
    data["horizon"]["end"] = data["horizon"]["start"]
    assert ("horizon.end", "must be after horizon.start") in problems(data)


def test_duplicate_hub_zone_and_dock_ids_are_reported():
    data = valid()
    data["hubs"].append(json.loads(json.dumps(data["hubs"][0])))
    data["hubs"][1]["zones"][1]["id"] = "Z1"
    data["hubs"][1]["zones"][1]["docks"][0]["id"] = "D2"
    assert problems(data) == [
        ("hubs", 'duplicate hub id "H1"'),
        ("hubs[1].zones", 'duplicate zone id "Z1"'),
        ("hubs[1].zones[1].docks", 'duplicate dock id "D2"'),
    ]


@pytest.mark.parametrize(
    "periods",
    [
        [("06:00", "12:00"), ("11:00", "14:00")],
        [("22:00", "06:00"), ("05:00", "07:00")],  # crossing midnight
        [("00:00", "00:00"), ("08:00", "09:00")],  # a whole day
    ],
)
def test_overlapping_opening_periods_are_reported(periods):
    data = valid()
    data["hubs"][0]["opening_hours"] = [{"start": s, "end": e} for s, e in periods]
    assert problems(data) == [("hubs[0].opening_hours", "opening periods overlap")]


def test_periods_that_only_touch_do_not_overlap():
    data = valid()
    data["hubs"][0]["opening_hours"] = [
        {"start": "06:00", "end": "12:00"},
        {"start": "12:00", "end": "24:00"},
        {"start": "00:00", "end": "06:00"},
    ]
    parse_scenario(data)


def test_blocked_windows_are_checked_for_order_zone_and_dock():
    data = valid()
    window = data["hubs"][0]["blocked"][0]
    data["hubs"][0]["blocked"] = [
        {**window, "end": window["start"]},
        {**window, "zone_id": "NOPE", "dock_id": None},
        {**window, "zone_id": None, "dock_id": "NOPE"},
        {**window, "zone_id": "ZC", "dock_id": "D1"},
    ]
    assert problems(data) == [
        ("hubs[0].blocked[0].end", "must be after start"),
        ("hubs[0].blocked[1].zone_id", 'unknown zone "NOPE" at hub "H1"'),
        ("hubs[0].blocked[2].dock_id", 'unknown dock "NOPE" at hub "H1"'),
        ("hubs[0].blocked[3].dock_id", 'dock "D1" is not in zone "ZC"'),
    ]


def test_duplicate_enterprise_and_load_ids_are_reported():
    data = valid()
    data["enterprises"].append(dict(data["enterprises"][0]))
    data["loads"][1]["id"] = "L1"
    data["transfers"] = []
    assert problems(data) == [
        ("enterprises", 'duplicate enterprise id "E1"'),
        ("loads", 'duplicate load id "L1"'),
    ]


def test_a_load_of_an_unknown_enterprise_is_reported():
    data = valid()
    data["loads"][1]["enterprise_id"] = "E9"
    assert problems(data) == [("loads[1].enterprise_id", 'unknown enterprise "E9"')]


def test_due_and_deadline_before_release_are_reported():
    data = valid()
    release = datetime.fromisoformat(data["loads"][0]["release"])
    data["loads"][0]["due"] = (release - timedelta(minutes=1)).isoformat()
    data["loads"][0]["deadline"] = (release - timedelta(minutes=1)).isoformat()
    assert problems(data) == [
        ("loads[0].due", "must not be before release"),
        ("loads[0].deadline", "must not be before release"),
    ]


def test_a_due_equal_to_release_is_allowed():
    data = valid()
    data["loads"][0]["due"] = data["loads"][0]["release"]
    parse_scenario(data)


def test_allowed_hubs_must_exist():
    data = valid()
    data["loads"][0]["allowed_hubs"] = ["H1", "H9"]
    assert problems(data) == [("loads[0].allowed_hubs", 'unknown hub "H9"')]


@pytest.mark.parametrize("key", ["pinned", "previous"])
def test_pinned_and_previous_positions_must_name_a_known_hub_and_dock(key):
    data = valid()
    data["loads"][0][key] = dump(position("H9", "D1", 0))
    data["loads"][1][key] = dump(position("H1", "D9", 60))
    assert problems(data) == [
        (f"loads[0].{key}.hub_id", 'unknown hub "H9"'),
        (f"loads[1].{key}.dock_id", 'unknown dock "D9" at hub "H1"'),
    ]


def test_transfers_must_name_known_distinct_loads_and_each_outbound_once():
    data = valid()
    data["transfers"] = [
        {"inbound": "L9", "outbound": "L8", "min_gap_minutes": 0},
        {"inbound": "L1", "outbound": "L1", "min_gap_minutes": 0},
        {"inbound": "L1", "outbound": "L2", "min_gap_minutes": 0},
        {"inbound": "L1", "outbound": "L2", "min_gap_minutes": 15},
    ]
    assert problems(data) == [
        ("transfers[0].inbound", 'unknown load "L9"'),
        ("transfers[0].outbound", 'unknown load "L8"'),
        ("transfers[1].outbound", "must differ from inbound"),
        ("transfers", 'load "L2" is the outbound of more than one transfer'),
    ]


def test_reference_errors_are_all_reported_at_once():
    data = valid()
    data["timezone"] = "Nowhere"
    data["loads"][0]["enterprise_id"] = "E9"
    data["loads"][1]["allowed_hubs"] = ["H9"]
    data["transfers"][0]["inbound"] = "L7"
    with pytest.raises(ValidationFailed) as caught:
        parse_scenario(data)
    assert caught.value.detail == "scenario is not consistent"
    assert [e.field for e in caught.value.errors] == [
        "timezone",
        "loads[0].enterprise_id",
        "loads[1].allowed_hubs",
        "transfers[0].inbound",
    ]
    assert 'loads[0].enterprise_id: unknown enterprise "E9"' in str(caught.value)


def test_the_error_is_a_value_error_with_status_422():
    data = valid()
    data["loads"][0]["temperature"] = "frozen"
    with pytest.raises(ValueError) as caught:
        parse_scenario(data)
    assert caught.value.status == 422
