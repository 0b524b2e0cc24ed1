"""Loads as spreadsheets: every bad cell, row and file named by row and column; odd but good files
(encodings, line endings, Excel cells) read."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import datetime

import openpyxl
import pytest
from builders import make_load
from sheet_samples import CST, GOOD_ROW, HEADER, csv_bytes, errors_of, messages_of

from hub_scheduler import sheets
from hub_scheduler.domain import CargoCategory, HealthCode, Location, Screening, Temperature
from hub_scheduler.domain import TestResult as Outcome
from hub_scheduler.domain import TestType as Kind
from hub_scheduler.errors import ValidationFailed
from hub_scheduler.sheets.load_rows import REQUIRED

# --- every other bad cell -------------------------------------------------------------------------


def test_every_missing_required_column_is_named():
    assert errors_of(csv_bytes("id,category", "L1,energy")) == [
        (1, c) for c in REQUIRED if c not in ("id", "category")
    ]


def test_blank_and_repeated_header_cells_are_reported_and_unknown_ones_only_listed():
    data = csv_bytes(HEADER + ",colour,,due", GOOD_ROW + ",red,,2026-11-28 10:00")
    assert errors_of(data) == [(1, "#9"), (1, "due")]
    parsed = sheets.read_sheet(csv_bytes(HEADER + ",colour", GOOD_ROW + ",red"), "x.csv")
    assert [(w.column, w.cell, w.code) for w in parsed.header.warnings] == [
        ("colour", "H1", "column_unknown")
    ]
    assert not parsed.errors and len(parsed.rows) == 1


def test_an_unknown_category_or_temperature_lists_the_choices():
    row = "L1,E1,toys,frozen,30,2026-11-28 08:00,2026-11-28 10:00"
    assert messages_of(csv_bytes(HEADER, row)) == [
        'row 2, column category (C2): "toys" is not one of medical_supplies, '
        "daily_necessities, government_reserve, postal_express, agricultural, energy, "
        "raw_materials, other",
        'row 2, column temperature (D2): "frozen" is not one of cold, ambient',
    ]
    # The Chinese words (what a Chinese sheet is filled with) travel with the codes.
    with pytest.raises(ValidationFailed) as caught:
        sheets.read_loads(csv_bytes(HEADER, row), "loads.csv")
    errors = caught.value.errors
    assert errors[0].params["names"] == (
        "医疗物资、生活必需品、政府储备物资、邮政快递、农产品、能源、原材料、其他"
    )
    assert errors[1].params == {
        "value": "frozen",
        "choices": "cold, ambient",
        "names": "冷链、常温",
    }


def test_enum_cells_ignore_case_and_surrounding_spaces():
    row = "L1,E1, Medical_Supplies ,COLD,30,2026-11-28 08:00,2026-11-28 10:00"
    (load,) = sheets.read_loads(csv_bytes(HEADER, row), "x.csv")
    assert (load.category, load.temperature) == (CargoCategory.MEDICAL_SUPPLIES, Temperature.COLD)


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        ("half an hour", '"half an hour" is not a number'),
        ("30.5", "30.5 is not a whole number"),
        ("0", "must be at least 1"),
        ("inf", "must be a finite number"),
    ],
)
def test_handling_minutes_must_be_a_positive_whole_number(minutes, message):
    row = f"L1,E1,energy,ambient,{minutes},2026-11-28 08:00,2026-11-28 10:00"
    assert messages_of(csv_bytes(HEADER, row)) == [
        f"row 2, column handling_minutes (E2): {message}"
    ]


def test_a_required_cell_left_empty_is_reported():
    row = "L1,,energy,ambient,30,,2026-11-28 10:00"
    assert errors_of(csv_bytes(HEADER, row)) == [(2, "enterprise_id"), (2, "release")]


def test_due_and_deadline_before_release_are_reported():
    data = csv_bytes(HEADER + ",deadline", GOOD_ROW.replace("10:00", "07:00") + ",2026-11-28 07:59")
    assert errors_of(data) == [(2, "due"), (2, "deadline")]


def test_duplicate_load_ids_name_the_first_row():
    data = csv_bytes(HEADER, GOOD_ROW, GOOD_ROW.replace("L1", "L2"), GOOD_ROW)
    assert messages_of(data) == ['row 4, column id (A4): duplicate load id "L1" (first on row 2)']


def test_an_empty_file_is_reported():
    assert errors_of(b"") == [(1, None)]
    assert errors_of(b"\n\n,,,\n") == [(1, None)]
    assert errors_of(b"", "loads.json") == [(1, None)]


def test_a_header_without_loads_is_reported():
    assert errors_of(csv_bytes(HEADER)) == [(2, None)]


def test_blank_rows_at_the_end_are_ignored_but_a_blank_row_in_the_middle_is_not():
    assert len(sheets.read_loads(csv_bytes(HEADER, GOOD_ROW, ",,,,,,", "", ""), "x.csv")) == 1
    data = csv_bytes(HEADER, GOOD_ROW, ",,,,,,", GOOD_ROW.replace("L1", "L2"))
    assert messages_of(data) == ["row 3: blank row; delete it or fill it in"]


def test_trailing_empty_cells_beyond_the_header_are_harmless():
    (load,) = sheets.read_loads(csv_bytes(HEADER, GOOD_ROW + ",,"), "x.csv")
    assert load.id == "L1"


def test_empty_columns_to_the_right_of_the_header_are_not_columns():
    (load,) = sheets.read_loads(csv_bytes(HEADER + ",,", GOOD_ROW + ",,"), "x.csv")
    assert load.id == "L1"
    assert errors_of(csv_bytes(HEADER + ",,", GOOD_ROW + ",,oops")) == [(2, None)]


def test_a_workbook_with_formatted_empty_columns_is_read():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(GOOD_ROW.split(","))
    sheet["K1"].font = openpyxl.styles.Font(bold=True)  # styled, empty: Excel keeps the cell
    out = io.BytesIO()
    book.save(out)
    assert [ld.id for ld in sheets.read_loads(out.getvalue(), "x.xlsx")] == ["L1"]


def test_optional_cells_are_read_into_the_load():
    header = HEADER + (
        ",deadline,priority_weight,allowed_hubs,vehicle_plate,has_pass,test_type,"
        "test_result,test_time,health_code,body_temperature_c,origin_lat,origin_lon,"
        "disinfection_minutes"
    )
    row = GOOD_ROW + (
        ",2026-11-28 12:00,20,XW-LP; XW-TS,赣B·12345,是,PCR,negative,"
        "2026-11-27 09:00,green,36.4,24.95,115.64,40"
    )
    (load,) = sheets.read_loads(csv_bytes(header, row), "x.csv")
    assert load.deadline == datetime(2026, 11, 28, 12, 0, tzinfo=CST)
    assert (load.priority_weight, load.allowed_hubs, load.vehicle_plate, load.has_pass) == (
        20,
        ["XW-LP", "XW-TS"],
        "赣B·12345",
        True,
    )
    assert load.screening == Screening(
        test_type=Kind.PCR,
        test_result=Outcome.NEGATIVE,
        test_time=datetime(2026, 11, 27, 9, 0, tzinfo=CST),
        health_code=HealthCode.GREEN,
        body_temperature_c=36.4,
    )
    assert load.origin == Location(lat=24.95, lon=115.64)
    assert load.disinfection_minutes == 40


def test_bad_optional_cells_are_each_reported():
    header = HEADER + ",has_pass,allowed_hubs,origin_lat,body_temperature_c,health_code"
    row = GOOD_ROW + ",maybe,XW-LP;;XW-TS,24.9,52,blue"
    assert errors_of(csv_bytes(header, row)) == [
        (2, "has_pass"),
        (2, "allowed_hubs"),
        (2, "health_code"),
        (2, "origin_lon"),
        (2, "body_temperature_c"),
    ]


def test_errors_from_many_rows_are_reported_together():
    data = csv_bytes(
        HEADER,
        GOOD_ROW,
        "L2,E1,toys,cold,30,2026-11-28 08:00,2026-11-28 10:00",
        "L3,E1,energy,cold,x,2026-11-28 08:00,2026-11-28 10:00",
        "L4,E1,energy,cold,30,2026-11-28 08:00",
        "L5,E1,energy,cold,30,28/11,2026-11-28 10:00",
    )
    assert errors_of(data) == [(3, "category"), (4, "handling_minutes"), (5, None), (6, "release")]


def test_a_gb18030_csv_from_chinese_excel_is_read():
    row = "L1,E1,energy,ambient,30,2026-11-28 08:00,2026-11-28 10:00"
    data = (HEADER + ",vehicle_plate\n" + row + ",赣B·12345\n").encode("gb18030")
    (load,) = sheets.read_loads(data, "x.csv")
    assert load.vehicle_plate == "赣B·12345"


def test_the_driver_phone_column_is_read_in_chinese_and_stored_in_one_form():
    head = HEADER + ",车牌号,司机电话"
    rows = [
        GOOD_ROW + ",赣B·12345,+86 138-0013-8000",
        GOOD_ROW.replace("L1", "L2") + ",赣b12345,１３８００１３８０００",
        GOOD_ROW.replace("L1", "L3") + ",赣B12345,(0797) 288 1234",
        GOOD_ROW.replace("L1", "L4") + ",赣B12345,",
    ]
    loads = sheets.read_loads(csv_bytes(head, *rows), "x.csv")
    assert [ld.driver_phone for ld in loads] == ["13800138000"] * 2 + ["0797-2881234", None]
    # written back and read again: the same loads, phone in its column
    for fmt in ("csv", "xlsx"):
        assert sheets.read_loads(sheets.write_loads(loads, fmt), f"x.{fmt}") == loads


def test_a_bad_driver_phone_is_a_cell_error_naming_both_forms():
    head = HEADER + ",司机电话"
    data = csv_bytes(head, GOOD_ROW + ",2881234", GOOD_ROW.replace("L1", "L2") + ",12345678901")
    with pytest.raises(ValidationFailed) as caught:
        sheets.read_loads(data, "x.csv")
    found = [(e.row, e.column, e.code, e.cell) for e in caught.value.errors]
    assert found == [(2, "driver_phone", "phone", "H2"), (3, "driver_phone", "phone", "H3")]
    assert "0797-2881234" in caught.value.errors[0].message


def test_a_csv_with_a_byte_order_mark_is_read():
    (load,) = sheets.read_loads(b"\xef\xbb\xbf" + csv_bytes(HEADER, GOOD_ROW), "x.csv")
    assert load.id == "L1"


def test_a_row_with_broken_quotes_is_reported_by_row_not_dropped():
    stray = GOOD_ROW.replace("L1", "L2").replace(",cold,", ',"cold"x,')
    assert messages_of(csv_bytes(HEADER, GOOD_ROW, stray, GOOD_ROW.replace("L1", "L3"))) == [
        "row 3: the row cannot be read (',' expected after '\"'); check its quotes"
    ]
    unclosed = GOOD_ROW.replace("L1", '"L2')
    assert errors_of(csv_bytes(HEADER, GOOD_ROW, unclosed, GOOD_ROW.replace("L1", "L3"))) == [
        (3, None)
    ]


def test_a_cell_spanning_lines_counts_as_one_row():
    data = csv_bytes(HEADER + ",vehicle_plate", GOOD_ROW + ',"A\nB"', GOOD_ROW + ",x,oops")
    assert errors_of(data) == [(3, None)]


def test_a_blank_first_line_is_skipped_and_rows_keep_their_sheet_numbers():
    parsed = sheets.read_sheet(b"\n" + csv_bytes(HEADER, GOOD_ROW), "x.csv")
    assert (parsed.header.row, [r.number for r in parsed.rows]) == (2, [3])
    assert errors_of(b"\n" + csv_bytes(HEADER, GOOD_ROW.replace("cold", "x"))) == [
        (3, "temperature")
    ]


def test_a_csv_with_old_mac_line_endings_is_read():
    (load,) = sheets.read_loads(csv_bytes(HEADER, GOOD_ROW).replace(b"\n", b"\r"), "x.csv")
    assert load.id == "L1"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_text_that_pandas_would_call_missing_is_kept_as_text(fmt):
    loads = [make_load(id="NA", vehicle_plate="null"), make_load(id="NULL", vehicle_plate="N/A")]
    back = sheets.read_loads(sheets.write_loads(loads, fmt), f"x.{fmt}")
    assert [(ld.id, ld.vehicle_plate) for ld in back] == [("NA", "null"), ("NULL", "N/A")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_text_with_commas_quotes_and_line_breaks_round_trips(fmt):
    loads = [make_load(id="L1", vehicle_plate='a, "b"\nc'), make_load(id="L2")]
    assert sheets.read_loads(sheets.write_loads(loads, fmt), f"x.{fmt}") == loads


def test_a_file_that_is_not_a_workbook_is_reported():
    with pytest.raises(ValidationFailed, match="not an XLSX workbook"):
        sheets.read_loads(b"id,enterprise_id\n", "loads.xlsx")


def test_a_workbook_with_excel_cells_is_read():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(
        [1001, "E1", "energy", "ambient", 30.0, datetime(2026, 11, 28, 8), "2026-11-28 10:00"]
    )
    sheet.append([None] * 7)
    out = io.BytesIO()
    book.save(out)
    (load,) = sheets.read_loads(out.getvalue(), "x.xlsx")
    assert (load.id, load.handling_minutes) == ("1001", 30)
    assert load.release == datetime(2026, 11, 28, 8, tzinfo=CST)


def workbook(*rows: list) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_blank_row_in_the_middle_of_a_workbook_keeps_the_row_numbers():
    bad = GOOD_ROW.replace("L1", "L2").replace("cold", "frozen").split(",")
    data = workbook(HEADER.split(","), GOOD_ROW.split(","), [None] * 7, bad)
    assert errors_of(data, "x.xlsx") == [(3, None), (4, "temperature")]


def test_an_excel_error_cell_is_reported_not_read_as_blank():
    data = workbook((HEADER + ",body_temperature_c").split(","), GOOD_ROW.split(",") + ["=1/0"])
    book = openpyxl.load_workbook(io.BytesIO(data))
    book.active["H2"].value, book.active["H2"].data_type = "#DIV/0!", "e"  # as Excel saves it
    out = io.BytesIO()
    book.save(out)
    assert messages_of(out.getvalue(), "x.xlsx") == [
        'row 2, column body_temperature_c (H2): "#ERROR!" is not a number'
    ]


def test_importing_the_sheets_loads_neither_pandas_nor_openpyxl():
    code = (
        "import sys, hub_scheduler.sheets; "
        "print(sorted(m for m in ('pandas', 'openpyxl') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_json_records_are_read_and_an_extra_key_is_an_unknown_column_listed():
    record = dict(zip(HEADER.split(","), GOOD_ROW.split(","), strict=True))
    loads = sheets.read_loads(json.dumps({"loads": [record]}).encode(), "x.json")
    assert loads[0].id == "L1"
    listed = json.dumps([{**record, "allowed_hubs": ["XW-LP", "XW-TS"], "has_pass": True}])
    (load,) = sheets.read_loads(listed.encode(), "x.json")
    assert (load.allowed_hubs, load.has_pass) == (["XW-LP", "XW-TS"], True)
    data = json.dumps([record, {**record, "id": "L2", "colour": "red"}]).encode()
    assert [w.column for w in sheets.read_sheet(data, "x.json").header.warnings] == ["colour"]
    with pytest.raises(ValidationFailed, match="not a list of loads"):
        sheets.read_loads(b'{"id": 1}', "x.json")


def test_a_ten_thousand_row_csv_parses():
    lines = [HEADER] + [
        f"L{i},E{i % 15},agricultural,ambient,{20 + i % 40},2026-11-28 {i % 24:02d}:00,"
        f"2026-11-28 {i % 24:02d}:59"
        for i in range(10_000)
    ]
    loads = sheets.read_loads(csv_bytes(*lines), "big.csv")
    assert len(loads) == 10_000
    assert loads[-1].id == "L9999"
