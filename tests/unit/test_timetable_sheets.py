"""The door sheets: one per dock and shift, each truck on one sheet, night shifts past midnight."""

from __future__ import annotations

from datetime import timedelta

from builders import (
    assign,
    make_enterprise,
    make_hub,
    make_load,
    make_scenario,
    make_schedule,
    make_zone,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from hub_scheduler.sheets.timetable import SHIFTS, Shift, dock_sheets

TWO_DOCKS = [make_hub(zones=[make_zone(docks=("D2", "D10"), temperature="cold")], name="冷链园区")]


def scenario_with(starts: dict[str, float], **kwargs):
    """Loads L<n> of 30 min, each at `starts[id]` minutes after local midnight on dock D2 or D10."""
    loads = [
        make_load(id, release=0, due=2880, temperature="cold", vehicle_plate=f"赣B{n:05d}")
        for n, id in enumerate(starts)
    ]
    return make_scenario(
        hubs=TWO_DOCKS,
        loads=loads,
        enterprises=[make_enterprise("E1", name="橙乡合作社")],
        horizon_minutes=2880,
        **kwargs,
    )


def test_a_sheet_per_dock_and_shift_docks_in_hub_order_rows_in_start_order():
    starts = {"A": 600, "B": 540, "C": 1260, "D": 300, "E": 700}
    scenario = scenario_with(starts)
    docks = {"A": "D10", "B": "D10", "C": "D10", "D": "D2", "E": "D2"}
    schedule = make_schedule(
        scenario, [assign(scenario, i, s, dock_id=docks[i]) for i, s in starts.items()]
    )
    sheets = dock_sheets(schedule, scenario, "H1")
    shape = [(s.dock_id, s.shift, [r.load_id for r in s.rows]) for s in sheets]
    # D2 before D10 (the hub's order, not text order); 05:00 is the night shift of the day before
    assert shape == [
        ("D2", "night", ["D"]),
        ("D2", "day", ["E"]),
        ("D10", "day", ["B", "A"]),
        ("D10", "night", ["C"]),
    ]
    first = sheets[0]
    assert first.shift_start.hour == 20 and first.shift_end.hour == 8
    assert first.shift_end - first.shift_start == timedelta(hours=12)
    assert first.hub_name == "冷链园区" and first.temperature == "cold"
    row = sheets[2].rows[0]
    assert (row.vehicle_plate, row.enterprise_name, row.category) == (
        "赣B00001",
        "橙乡合作社",
        "medical_supplies",
    )
    assert row.start.utcoffset() == timedelta(hours=8), "local time of the site"
    assert row.start.strftime("%H:%M") == "09:00"


def test_one_dock_only_and_an_unknown_hub_has_no_sheets():
    starts = {"A": 600, "B": 610}
    scenario = scenario_with(starts)
    schedule = make_schedule(
        scenario,
        [assign(scenario, "A", 600, dock_id="D2"), assign(scenario, "B", 610, dock_id="D10")],
    )
    assert [s.dock_id for s in dock_sheets(schedule, scenario, "H1", dock_id="D10")] == ["D10"]
    assert dock_sheets(schedule, scenario, "NOPE") == []


def test_a_relay_names_the_partner_and_its_plate_on_both_trucks():
    scenario = scenario_with({"IN": 480, "OUT": 600}, transfers=[("IN", "OUT", 15)])
    schedule = make_schedule(
        scenario,
        [assign(scenario, "IN", 480, dock_id="D2"), assign(scenario, "OUT", 600, dock_id="D2")],
    )
    rows = {r.load_id: r for s in dock_sheets(schedule, scenario, "H1") for r in s.rows}
    assert [(n.role, n.partner_id, n.partner_plate) for n in rows["IN"].relay] == [
        ("inbound_for", "OUT", "赣B00001")
    ]
    assert [(n.role, n.partner_id) for n in rows["OUT"].relay] == [("outbound_after", "IN")]


@settings(max_examples=60, deadline=None)
@given(
    starts=st.lists(st.integers(min_value=0, max_value=2800), min_size=1, max_size=12),
    shift_hour=st.integers(min_value=0, max_value=23),
)
def test_every_truck_is_on_exactly_one_sheet_inside_its_shift(starts, shift_hour):
    ids = {f"L{n}": float(s) for n, s in enumerate(starts)}
    scenario = scenario_with(ids)
    docks = ("D10", "D2")
    schedule = make_schedule(
        scenario,
        [assign(scenario, i, s, dock_id=docks[n % 2]) for n, (i, s) in enumerate(ids.items())],
    )
    # any two shifts that cover the day, split at an arbitrary hour
    other = (shift_hour + 12) % 24
    shifts = (Shift("day", shift_hour, other), Shift("night", other, shift_hour))
    sheets = dock_sheets(schedule, scenario, "H1", shifts=shifts)
    seen = [r.load_id for s in sheets for r in s.rows]
    assert sorted(seen) == sorted(ids)
    for sheet in sheets:
        assert sheet.shift_end - sheet.shift_start == timedelta(hours=12)
        for row in sheet.rows:
            assert sheet.shift_start <= row.start < sheet.shift_end
    keys = [(s.dock_id, s.shift_start) for s in sheets]
    assert len(keys) == len(set(keys)), "one sheet per dock and shift"


def test_the_default_shifts_cover_every_hour():
    covered = set()
    for shift in SHIFTS:
        hour = shift.start_hour
        while hour != shift.end_hour:
            covered.add(hour)
            hour = (hour + 1) % 24
    assert covered == set(range(24))
