"""The scenario@1 / schedule@1 files on disk: file errors, and write -> read -> equal (examples and
any valid scenario, hypothesis)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from builders import assign, make_hub, make_load, make_scenario, make_schedule
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_samples import valid

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
    parse_scenario,
    read_scenario,
    read_schedule,
    write_scenario,
    write_schedule,
)

# --- files ----------------------------------------------------------------------------------------


def test_a_missing_file_names_the_file(tmp_path):
    with pytest.raises(ValidationFailed, match=r"cannot read .*nope\.json\n.*No such file"):
        read_scenario(tmp_path / "nope.json")


def test_a_file_that_is_not_json_names_the_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n "format": ,\n}', encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"bad\.json is not JSON \(line 2, column 12\)"):
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
