"""The scenario@1 / schedule@1 files: every error path and message; write -> read -> equal."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from builders import assign, make_hub, make_load, make_scenario, make_schedule, make_zone, position
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub_scheduler.domain import (
    BlockedWindow,
    CargoCategory,
    Dock,
    Enterprise,
    Horizon,
    Hub,
    HubKind,
    HubStatus,
    Load,
    Location,
    ObjectiveWeights,
    OpeningPeriod,
    Scenario,
    Settings,
    Temperature,
    Transfer,
    Zone,
)
from hub_scheduler.errors import ValidationFailed
from hub_scheduler.scenario_file import (
    dump,
    json_path,
    parse_scenario,
    read_scenario,
    read_schedule,
    write_scenario,
    write_schedule,
)

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


def test_a_bad_enum_lists_the_allowed_values():
    data = valid()
    data["loads"][0]["temperature"] = "frozen"
    assert problems(data) == [("loads[0].temperature", 'must be "cold" or "ambient"')]


def test_a_bad_hub_status_lists_the_allowed_values():
    data = valid()
    data["hubs"][0]["status"] = "open"
    assert problems(data) == [("hubs[0].status", 'must be "active", "standby" or "suspended"')]


def test_a_wrong_format_tag_names_the_expected_one():
    data = valid()
    data["format"] = "hub-scheduler/scenario@2"
    assert problems(data) == [("format", 'must be "hub-scheduler/scenario@1"')]


def test_a_time_without_offset_asks_for_one():
    data = valid()
    data["loads"][0]["release"] = "2026-11-27T08:00:00"
    assert problems(data) == [("loads[0].release", OFFSET_MESSAGE)]


def test_a_time_that_is_not_a_time_asks_for_iso_8601():
    data = valid()
    data["horizon"]["end"] = "tomorrow"
    assert problems(data) == [("horizon.end", OFFSET_MESSAGE)]


def test_a_bad_opening_hour_asks_for_hh_mm():
    data = valid()
    data["hubs"][0]["opening_hours"][0]["end"] = "25:00"
    assert problems(data) == [("hubs[0].opening_hours[0].end", 'must be a time of day "HH:MM"')]


def test_a_number_out_of_range_says_the_limit():
    data = valid()
    data["loads"][0]["handling_minutes"] = 0
    assert problems(data) == [("loads[0].handling_minutes", "input should be greater than 0")]


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
        ("hubs[1].zones", 'duplicate dock id "D2"'),
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


# --- files ----------------------------------------------------------------------------------------


def test_a_missing_file_names_the_file(tmp_path):
    with pytest.raises(ValidationFailed, match=r"cannot read .*nope\.json: No such file"):
        read_scenario(tmp_path / "nope.json")


def test_a_file_that_is_not_json_names_the_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n "format": ,\n}', encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"bad\.json is not JSON: Expecting value at line 2"):
        read_scenario(path)


def test_a_file_that_is_not_utf8_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"name": "\xe9t\xe9"}')
    with pytest.raises(ValidationFailed, match="not UTF-8"):
        read_scenario(path)


def test_a_scenario_written_then_read_is_equal(tmp_path):
    scenario = parse_scenario(valid())
    write_scenario(scenario, tmp_path / "s.json")
    assert read_scenario(tmp_path / "s.json") == scenario


def test_the_file_keeps_chinese_text_readable_and_times_with_offsets(tmp_path):
    scenario = make_scenario(hubs=[make_hub(name="寻乌县物流园区")])
    write_scenario(scenario, tmp_path / "s.json")
    text = (tmp_path / "s.json").read_text(encoding="utf-8")
    assert "寻乌县物流园区" in text
    assert '"start": "2026-11-27T00:00:00+08:00"' in text


def test_unknown_fields_are_kept_through_a_round_trip(tmp_path):
    data = valid()
    data["loads"][0]["customs_ref"] = "XW-2026-001"
    write_scenario(parse_scenario(data), tmp_path / "s.json")
    again = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert again["loads"][0]["customs_ref"] == "XW-2026-001"


def test_a_schedule_written_then_read_is_equal(tmp_path):
    scenario = make_scenario(loads=[make_load("L1"), make_load("L2")])
    schedule = make_schedule(
        scenario, [assign(scenario, "L1", 0)], unscheduled=["L2"], objective=9.5
    )
    write_schedule(schedule, tmp_path / "p.json")
    assert read_schedule(tmp_path / "p.json") == schedule


def test_a_bad_schedule_names_every_bad_field(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps(
            {
                "format": "hub-scheduler/schedule@1",
                "scenario": "x",
                "status": "great",
                "assignments": [{"load_id": "L1"}],
                "unscheduled": [{"load_id": "L2", "reason_code": "BUSY", "reason": ""}],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as caught:
        read_schedule(path)
    fields = [e.field for e in caught.value.errors]
    assert "status" in fields
    assert "unscheduled[0].reason_code" in fields
    assert {
        f"assignments[0].{k}"
        for k in ("hub_id", "zone_id", "dock_id", "start", "end", "disinfected_at")
    } <= set(fields)
    assert caught.value.detail == "schedule is not valid"


# --- hypothesis: any valid scenario survives write -> read ----------------------------------------

# NUL and lone surrogates are refused in every text (hub_scheduler/limits.py)
no_nul = st.characters(exclude_characters="\x00", exclude_categories=["Cs"])
ids = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-_寻乌", min_size=1, max_size=6).filter(
    lambda s: s[0] not in "-_"  # an id starts with a letter, digit or ideograph (limits.py)
)
offsets = st.sampled_from(
    [timezone(timedelta(hours=8)), UTC, timezone(timedelta(hours=-5, minutes=-30))]
)
moments = st.builds(
    lambda minutes, tz: (
        datetime(2026, 11, 28, tzinfo=timezone(timedelta(hours=8))) + timedelta(minutes=minutes)
    ).astimezone(tz),
    st.integers(0, 1440),
    offsets,
)
hhmm = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 15, 30]))
locations = st.builds(
    Location, lat=st.floats(-90, 90, allow_nan=False), lon=st.floats(-180, 180, allow_nan=False)
)


@st.composite
def hubs(draw, hub_id: str) -> Hub:
    zone_count = draw(st.integers(1, 2))
    zones = [
        Zone(
            id=f"{hub_id}-Z{z}",
            temperature=draw(st.sampled_from(list(Temperature))),
            crews=draw(st.none() | st.integers(1, 5)),
            disinfection_minutes=draw(st.none() | st.integers(0, 60)),
            docks=[Dock(id=f"{hub_id}-Z{z}-D{d}") for d in range(draw(st.integers(0, 3)))],
        )
        for z in range(zone_count)
    ]
    start = draw(hhmm)
    opening = draw(st.sampled_from([None, [], "one"]))
    if opening == "one":
        opening = [OpeningPeriod(start=start, end=draw(hhmm))]
        if opening[0].end == opening[0].start:
            opening = None
    blocked_start = draw(moments)
    blocked = draw(st.booleans())
    return Hub(
        id=hub_id,
        name=draw(st.text(no_nul, max_size=10)),
        kind=draw(st.sampled_from(list(HubKind))),
        status=draw(st.sampled_from(list(HubStatus))),
        location=draw(st.none() | locations),
        opening_hours=opening,
        disinfection_minutes=draw(st.integers(0, 60)),
        max_trucks_on_site=draw(st.none() | st.integers(1, 20)),
        slot_minutes=draw(st.none() | st.sampled_from([5, 15, 30])),
        blocked=[
            BlockedWindow(
                start=blocked_start,
                end=blocked_start + timedelta(minutes=30),
                zone_id=zones[0].id,
                reason=draw(st.text(no_nul, max_size=8)),
            )
        ]
        if blocked
        else [],
        zones=zones,
    )


@st.composite
def scenarios(draw) -> Scenario:
    hub_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    enterprise_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    load_ids = draw(st.lists(ids, min_size=0, max_size=6, unique=True))
    loads = []
    for load_id in load_ids:
        release = draw(moments)
        loads.append(
            Load(
                id=load_id,
                enterprise_id=draw(st.sampled_from(enterprise_ids)),
                category=draw(st.sampled_from(list(CargoCategory))),
                temperature=draw(st.sampled_from(list(Temperature))),
                handling_minutes=draw(st.integers(1, 240)),
                release=release,
                due=release + timedelta(minutes=draw(st.integers(0, 600))),
                deadline=draw(st.none() | st.just(release + timedelta(hours=12))),
                priority_weight=draw(st.none() | st.integers(1, 100)),
                allowed_hubs=draw(st.none() | st.lists(st.sampled_from(hub_ids), max_size=2)),
                origin=draw(st.none() | locations),
                has_pass=draw(st.booleans()),
                disinfection_minutes=draw(st.none() | st.integers(0, 60)),
                vehicle_plate=draw(st.none() | st.just("赣B·12345")),
            )
        )
    transfers = []
    if len(loads) >= 2 and draw(st.booleans()):
        transfers.append(
            Transfer(
                inbound=loads[0].id, outbound=loads[1].id, min_gap_minutes=draw(st.integers(0, 30))
            )
        )
    start = draw(moments)
    return Scenario(
        name=draw(st.text(no_nul, min_size=1, max_size=12)),
        timezone=draw(st.sampled_from(["Asia/Shanghai", "UTC", "Europe/Berlin"])),
        horizon=Horizon(start=start, end=start + timedelta(days=1)),
        settings=Settings(
            slot_minutes=draw(st.sampled_from([5, 15, 30])),
            time_limit_s=draw(st.floats(0.5, 60)),
            seed=draw(st.integers(0, 2**31 - 1)),
            objective=ObjectiveWeights(
                unscheduled_penalty=draw(st.none() | st.floats(1, 1e7)),
                waiting=draw(st.floats(0, 10)),
                stability=draw(st.floats(0, 100)),
            ),
        ),
        hubs=[draw(hubs(h)) for h in hub_ids],
        enterprises=[
            Enterprise(
                id=e,
                name=draw(st.text(no_nul, max_size=10)),
                tier=draw(st.integers(1, 3)),
                whitelisted=draw(st.booleans()),
            )
            for e in enterprise_ids
        ],
        loads=loads,
        transfers=transfers,
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenario=scenarios())
def test_any_valid_scenario_survives_write_then_read(tmp_path, scenario):
    path = tmp_path / "s.json"
    write_scenario(scenario, path)
    assert read_scenario(path) == scenario
