"""Loads as spreadsheets: the format registry, the good and broken samples, sheets round-trip, the
gate timetable. Every other bad cell: test_sheet_cells.py."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone

import openpyxl
import pytest
from builders import make_hub, make_load, make_zone
from hypothesis import given, settings
from hypothesis import strategies as st
from sheet_samples import (
    CST,
    FIXTURES,
    GOOD_ROW,
    HEADER,
    XUNWU_ENTERPRISES,
    csv_bytes,
    errors_of,
    messages_of,
    read_fixture,
    timetable_plan,
)

from hub_scheduler import sheets
from hub_scheduler.domain import CargoCategory, HealthCode, Load, Location, Screening, Temperature
from hub_scheduler.domain import TestResult as Outcome
from hub_scheduler.domain import TestType as Kind
from hub_scheduler.errors import ValidationFailed
from hub_scheduler.limits import ID_RE
from hub_scheduler.scenario_file import read_scenario
from hub_scheduler.sheets.load_rows import COLUMNS

# --- the registry ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("loads.csv", "csv"),
        ("LOADS.CSV", "csv"),
        ("a/b/loads.xlsx", "xlsx"),
        ("loads.json", "json"),
    ],
)
def test_the_format_is_chosen_by_file_extension(name, expected):
    assert sheets.for_filename(name).name == expected


@pytest.mark.parametrize(
    ("media_type", "expected"),
    [
        ("text/csv", "csv"),
        ("text/csv; charset=utf-8", "csv"),
        ("application/json", "json"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ],
)
def test_the_format_is_chosen_by_media_type(media_type, expected):
    assert sheets.for_media_type(media_type).name == expected


def test_an_unsupported_file_says_which_formats_are_accepted():
    with pytest.raises(ValidationFailed) as caught:
        sheets.for_filename("loads.pdf")
    assert caught.value.errors[0].message == (
        'cannot read "loads.pdf"; upload one of .csv, .xlsx, .xls, .ods, .json'
    )
    with pytest.raises(ValidationFailed):
        sheets.for_media_type("application/pdf")


def test_read_loads_accepts_a_media_type_instead_of_a_name():
    loads = sheets.read_loads(csv_bytes(HEADER, GOOD_ROW), media_type="text/csv")
    assert [ld.id for ld in loads] == ["L1"]


# --- the good samples -----------------------------------------------------------------------------


def test_the_sample_csv_parses_with_every_enterprise_known():
    loads = read_fixture("loads_sample.csv", enterprise_ids=XUNWU_ENTERPRISES)
    assert [ld.id for ld in loads] == [f"S{i:03d}" for i in range(1, 21)]
    assert all(ld.screening or ld.has_pass for ld in loads)


def test_times_without_an_offset_are_read_in_the_sheet_time_zone():
    (first, *_) = read_fixture("loads_sample.csv")
    assert first.release == datetime(2026, 11, 28, 10, 30, tzinfo=CST)
    assert first.release.utcoffset() == timedelta(hours=8)


def test_the_caller_may_read_naive_times_in_another_zone():
    (load,) = sheets.read_loads(csv_bytes(HEADER, GOOD_ROW), "x.csv", timezone="UTC")
    assert load.release == datetime(2026, 11, 28, 8, 0, tzinfo=UTC)


def test_times_with_an_offset_are_kept_as_written():
    row = "L1,E1,energy,ambient,30,2026-11-28T08:00:00+00:00,2026-11-28T10:00+00:00"
    (load,) = sheets.read_loads(csv_bytes(HEADER, row), "x.csv")
    assert load.release == datetime(2026, 11, 28, 16, 0, tzinfo=CST)


def test_the_sample_xlsx_holds_the_same_loads_as_the_sample_csv():
    from_xlsx = read_fixture("loads_sample.xlsx", enterprise_ids=XUNWU_ENTERPRISES)
    assert from_xlsx == read_fixture("loads_sample.csv")


# --- the broken samples: exactly the expected errors and nothing else -----------------------------


def test_a_missing_column_is_reported_once_by_name():
    assert errors_of((FIXTURES / "broken/missing_column.csv").read_bytes()) == [(1, "temperature")]


def test_bad_dates_are_reported_by_row_and_column():
    assert errors_of((FIXTURES / "broken/bad_date.csv").read_bytes()) == [
        (3, "release"),
        (5, "due"),
        (7, "test_time"),
    ]


def test_bad_dates_in_a_workbook_are_reported_by_row_and_column():
    data = (FIXTURES / "broken/bad_date.xlsx").read_bytes()
    assert errors_of(data, "bad_date.xlsx") == [(2, "release"), (4, "deadline")]


def test_an_unknown_enterprise_is_reported_when_the_known_ones_are_given():
    data = (FIXTURES / "broken/unknown_enterprise.csv").read_bytes()
    assert errors_of(data, enterprise_ids=XUNWU_ENTERPRISES) == [(4, "enterprise_id")]
    assert messages_of(data, enterprise_ids=XUNWU_ENTERPRISES) == [
        'row 4, column enterprise_id (B4): unknown enterprise "E99"'
    ]
    assert len(sheets.read_loads(data, "x.csv")) == 8  # without a list, any enterprise id is taken


def test_ragged_rows_are_reported_by_row():
    data = (FIXTURES / "broken/ragged_row.csv").read_bytes()
    assert messages_of(data) == [
        "row 3: the row has 21 cells but the header has 20 columns",
        "row 6: the row has 19 cells but the header has 20 columns",
    ]


# --- round trip: write_loads then read_loads gives the same loads ---------------------------------


# XLSX stores numbers with 16 significant digits (openpyxl's "%.16g"), enough for any real
# coordinate or temperature: the round trip is promised for values with up to 6 decimals.
def decimals(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high).map(lambda x: round(x, 6))


ids = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabc0123456789-_.寻乌赣", min_size=1, max_size=8)
ids = ids.filter(
    lambda s: ID_RE.match(s) is not None  # the id character set (hub_scheduler/limits.py)
)
moments = st.builds(
    lambda minutes, micro, tz: (
        datetime(2026, 11, 28, tzinfo=CST) + timedelta(minutes=minutes, microseconds=micro)
    ),
    st.integers(-2880, 2880),
    st.integers(0, 999_999) | st.just(0),
    st.sampled_from([CST, UTC, timezone(timedelta(hours=-3, minutes=-30))]),
)
screenings = st.none() | st.builds(
    Screening,
    test_type=st.none() | st.sampled_from(list(Kind)),
    test_result=st.none() | st.sampled_from(list(Outcome)),
    test_time=st.none() | moments,
    health_code=st.sampled_from(list(HealthCode)),  # at least one field, so it survives the sheet
    body_temperature_c=st.none() | decimals(30, 45),
    pass_valid_until=st.none() | moments,
)


@st.composite
def load_lists(draw) -> list[Load]:
    load_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    loads = []
    for load_id in load_ids:
        release = draw(moments)
        has_origin = draw(st.booleans())
        loads.append(
            Load(
                id=load_id,
                enterprise_id=draw(ids),
                category=draw(st.sampled_from(list(CargoCategory))),
                temperature=draw(st.sampled_from(list(Temperature))),
                handling_minutes=draw(st.integers(1, 10_000)),
                release=release,
                due=release + timedelta(minutes=draw(st.integers(0, 1000))),
                deadline=draw(st.none() | st.just(release + timedelta(hours=3))),
                priority_weight=draw(st.none() | st.integers(1, 1000)),
                allowed_hubs=draw(st.none() | st.lists(ids, min_size=1, max_size=3)),
                vehicle_plate=draw(
                    st.none()
                    | ids
                    | st.sampled_from(["=1+1", "+86", "-2", "@x", "'a", "'=b", "''"])
                ),
                driver_phone=draw(
                    st.none()
                    | st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
                    | st.from_regex(r"0797-[2-9][0-9]{6}", fullmatch=True)
                ),
                has_pass=draw(st.booleans()),
                screening=draw(screenings),
                origin=Location(lat=draw(decimals(-90, 90)), lon=draw(decimals(-180, 180)))
                if has_origin
                else None,
                disinfection_minutes=draw(st.none() | st.integers(0, 120)),
            )
        )
    return loads


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@settings(max_examples=40, deadline=None)
@given(loads=load_lists())
def test_loads_written_then_read_are_the_same_loads(fmt, loads):
    assert sheets.read_loads(sheets.write_loads(loads, fmt), f"loads.{fmt}") == loads


def test_a_written_sheet_has_the_documented_columns_in_order():
    data = sheets.write_loads([make_load()], "csv").decode("utf-8-sig")
    assert data.splitlines()[0] == ",".join(COLUMNS)


def test_text_that_excel_would_run_as_a_formula_is_written_behind_a_quote():
    # ids cannot start with "=" (hub_scheduler/limits.py); free text such as the plate can
    loads = [
        make_load(id="L1", vehicle_plate="=HYPERLINK(1)"),
        make_load(id="L2", vehicle_plate="+86"),
    ]
    text = sheets.write_loads(loads, "csv")
    rows = text.decode("utf-8-sig").splitlines()[1:]
    assert ",'=HYPERLINK(1)," in rows[0] and ",'+86," in rows[1]
    back = sheets.read_loads(text, "x.csv")
    assert [ld.vehicle_plate for ld in back] == ["=HYPERLINK(1)", "+86"]


def test_the_xunwu_loads_round_trip_through_every_format():
    loads = read_scenario(FIXTURES / "xunwu.json").loads
    for fmt in ("csv", "xlsx", "json"):
        assert sheets.read_loads(sheets.write_loads(loads, fmt), f"x.{fmt}") == loads


# --- the gate timetable ---------------------------------------------------------------------------


def two_hub_plan():
    hubs = [
        make_hub("H1", zones=[make_zone("Z1", docks=["D1", "D2", "D10"])], name="Park"),
        make_hub("H2", zones=[make_zone("Z2", docks=["D3"])]),
    ]
    loads = [
        make_load("L1", vehicle_plate="赣B·00001"),
        make_load("L2"),
        make_load("L3"),
        make_load("L4"),
    ]
    return timetable_plan(hubs, loads)


def test_the_csv_timetable_lists_each_hub_by_dock_then_start():
    scenario, schedule = two_hub_plan()
    text = sheets.write_timetable(schedule, scenario, "csv").decode("utf-8-sig")
    rows = [line.split(",") for line in text.splitlines()]
    header, body = rows[0], rows[1:]
    assert header[:5] == ["hub_id", "hub_name", "zone_id", "temperature", "dock_id"]
    column = header.index
    assert [(r[0], r[column("dock_id")], r[column("load_id")]) for r in body] == [
        ("H1", "D1", "L1"),
        ("H1", "D1", "L2"),
        ("H1", "D10", "L3"),
        ("H2", "D3", "L4"),
    ]
    first = body[0]
    assert first[column("start")] == "2026-11-27T00:00:00+08:00"
    assert first[column("vehicle_plate")] == "赣B·00001"
    assert first[column("relay")] == "inbound for L2"
    assert body[1][column("relay")] == "outbound after L1"


def test_the_xlsx_timetable_has_one_sheet_per_hub():
    scenario, schedule = two_hub_plan()
    book = openpyxl.load_workbook(io.BytesIO(sheets.write_timetable(schedule, scenario, "xlsx")))
    assert book.sheetnames == ["H1", "H2"]
    h1 = [row for row in book["H1"].iter_rows(values_only=True)]
    assert len(h1) == 4 and h1[0][0] == "hub_id"
    assert [r[8] for r in h1[1:]] == ["L1", "L2", "L3"]


def test_an_empty_plan_still_gives_a_timetable_with_a_header():
    scenario, schedule = two_hub_plan()
    empty = schedule.model_copy(update={"assignments": []})
    text = sheets.write_timetable(empty, scenario, "csv").decode("utf-8-sig")
    assert text.splitlines() == [text.splitlines()[0]]
