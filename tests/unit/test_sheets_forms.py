"""Sheets as enterprises send them: Chinese headers and values, every date form, .xls and .ods."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest
import xlwt
from hypothesis import given, settings
from hypothesis import strategies as st

from hub_scheduler import sheets
from hub_scheduler.domain import CargoCategory, HealthCode, Temperature
from hub_scheduler.errors import ValidationFailed
from hub_scheduler.sheets.load_rows import parse_rows
from hub_scheduler.sheets.moments import EXCEL_EPOCH, read_moment
from hub_scheduler.sheets.problems import CellError, column_letter
from hub_scheduler.sheets.vocabulary import CHOICES, HEADERS, column_named, markdown_tables
from hub_scheduler.values import phone_number

CASES = Path(__file__).resolve().parents[1] / "cases"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "sheets.md"
SHANGHAI = ZoneInfo("Asia/Shanghai")
CST = timezone(timedelta(hours=8))

ZH_HEADER = ["车次编号", "企业编号", "货物类别", "温层", "装卸时长（分钟）", "预计到达", "期望完成"]
ZH_ROW = ["Z1", "E01", "医疗物资", "冷链", "30", "2026/11/28 7:50", "2026年11月28日 10:00"]


def csv_of(*rows: list) -> bytes:
    return "\n".join(",".join(map(str, r)) for r in rows).encode("utf-8") + b"\n"


# --- the failing sheet of 2026-11-30 --------------------------------------------------------------


def test_the_sample_sheet_as_chinese_excel_saves_it_back_imports():
    data = (CASES / "sheet-excel-resaved-dates-gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # it really is GBK
    loads = sheets.read_loads(data, "sheet-excel-resaved-dates-gbk.csv")
    assert len(loads) == 5
    assert loads[1].release == datetime(2026, 11, 28, 7, 50, tzinfo=CST)
    assert loads[0].screening.test_time == datetime(2026, 11, 27, 2, 0, tzinfo=CST)
    assert loads[0].vehicle_plate == "赣B·T52D8" and loads[2].has_pass


# --- headers and values ---------------------------------------------------------------------------


def test_chinese_headers_and_values_read_as_the_english_ones():
    (load,) = sheets.read_loads(csv_of(ZH_HEADER, ZH_ROW), "x.csv")
    assert (load.id, load.enterprise_id) == ("Z1", "E01")
    assert (load.category, load.temperature) == (CargoCategory.MEDICAL_SUPPLIES, Temperature.COLD)
    assert load.due == datetime(2026, 11, 28, 10, 0, tzinfo=CST)


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("企业ID", "enterprise_id"),
        ("货类", "category"),
        ("温度类型", "temperature"),
        ("装卸时长(分钟)", "handling_minutes"),
        ("装卸时长（分钟）", "handling_minutes"),
        ("最晚完成", "deadline"),
        ("车牌号", "vehicle_plate"),
        ("Enterprise ID", "enterprise_id"),
        ("企业编号*", "enterprise_id"),
        ("HANDLING_MINUTES", "handling_minutes"),
    ],
)
def test_usual_header_variants_name_their_column(header, column):
    assert column_named(header) == column


def test_every_accepted_header_names_exactly_one_column():
    for column, names in HEADERS.items():
        assert all(column_named(n) == column for n in names), column


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (("生活必需品", "常温"), (CargoCategory.DAILY_NECESSITIES, Temperature.AMBIENT)),
        (("政府储备物资", "冷藏"), (CargoCategory.GOVERNMENT_RESERVE, Temperature.COLD)),
        (("邮政快递", "冷冻"), (CargoCategory.POSTAL_EXPRESS, Temperature.COLD)),
        (("农产品", "普通"), (CargoCategory.AGRICULTURAL, Temperature.AMBIENT)),
        (("能源", "ambient"), (CargoCategory.ENERGY, Temperature.AMBIENT)),
        (("原材料", "COLD"), (CargoCategory.RAW_MATERIALS, Temperature.COLD)),
        (("其他", "常温"), (CargoCategory.OTHER, Temperature.AMBIENT)),
    ],
)
def test_chinese_choices_read_as_their_value(cells, expected):
    row = ["Z1", "E01", *cells, "30", "2026/11/28 7:50", "2026/11/28 9:50"]
    (load,) = sheets.read_loads(csv_of(ZH_HEADER, row), "x.csv")
    assert (load.category, load.temperature) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("是", True), ("否", False), ("TRUE", True), ("FALSE", False), ("Y", True), ("n", False)]
    + [("1", True), ("0", False)],
)
def test_yes_and_no_in_every_usual_spelling(word, expected):
    (load,) = sheets.read_loads(csv_of(ZH_HEADER + ["通行证"], ZH_ROW + [word]), "x.csv")
    assert load.has_pass is expected


def test_health_code_colours_in_chinese():
    header, row = ZH_HEADER + ["健康码"], ZH_ROW + ["黄码"]
    (load,) = sheets.read_loads(csv_of(header, row), "x.csv")
    assert load.screening.health_code == HealthCode.YELLOW


def test_the_docs_show_the_vocabulary_tables_as_the_code_has_them():
    assert markdown_tables() in DOCS.read_text(encoding="utf-8")


def test_every_choice_of_the_domain_has_a_chinese_word():
    for kind, words in CHOICES.items():
        assert set(words) == set(kind), kind


# --- dates and times: one reader, every form ------------------------------------------------------

FORMS = {
    "iso_offset": lambda m: m.isoformat(),
    "iso_naive": lambda m: m.replace(tzinfo=None).isoformat(),
    "excel_slash": lambda m: f"{m.year}/{m.month}/{m.day} {m.hour}:{m.minute:02d}",
    "dash_seconds": lambda m: m.strftime("%Y-%m-%d %H:%M:%S"),
    "chinese": lambda m: f"{m.year}年{m.month}月{m.day}日 {m.hour}:{m.minute:02d}",
    "chinese_clock": lambda m: f"{m.year}年{m.month}月{m.day}日 {m.hour}时{m.minute}分",
    "full_width": lambda m: _full_width(f"{m.year}/{m.month}/{m.day} {m.hour}:{m.minute:02d}"),
    "excel_cell": lambda m: m.replace(tzinfo=None),
    "excel_serial": lambda m: (m.replace(tzinfo=None) - EXCEL_EPOCH) / timedelta(days=1),
}


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31)).map(
    lambda m: m.replace(second=0, microsecond=0, tzinfo=SHANGHAI)
)


@settings(max_examples=300, deadline=None)
@given(moment=moments, form=st.sampled_from(sorted(FORMS)))
def test_a_moment_written_in_any_form_reads_back_equal(moment, form):
    assert read_moment(FORMS[form](moment), SHANGHAI) == moment


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026/11/28", datetime(2026, 11, 28, tzinfo=CST)),
        (date(2026, 11, 28), datetime(2026, 11, 28, tzinfo=CST)),
        ("2026-11-28T07:50:00+00:00", datetime(2026, 11, 28, 15, 50, tzinfo=CST)),
        ("２０２６年１１月２８日　７：５０", datetime(2026, 11, 28, 7, 50, tzinfo=CST)),
        (46354.3263888889, datetime(2026, 11, 28, 7, 50, tzinfo=CST)),
    ],
)
def test_dates_as_spreadsheets_write_them(cell, expected):
    assert read_moment(cell, SHANGHAI) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("46354.3263888889", datetime(2026, 11, 28, 7, 50, tzinfo=CST)),
        ("46357", datetime(2026, 12, 1, tzinfo=CST)),
        (" 46357.5 ", datetime(2026, 12, 1, 12, tzinfo=CST)),
    ],
)
def test_a_serial_number_a_csv_holds_as_text_is_read_as_the_cell_would_be(cell, expected):
    """Excel writes a date cell formatted as a number into a CSV as its serial: text here.
    (Before: refused, code moment, though the serial of an .xlsx number cell was read.)"""
    assert read_moment(cell, SHANGHAI) == expected


@pytest.mark.parametrize("cell", ["2026", "1234.5", "46354,5", "1234567"])
def test_a_number_that_is_no_plausible_serial_stays_refused(cell):
    with pytest.raises(CellError) as caught:
        read_moment(cell, SHANGHAI)
    assert caught.value.code == "moment"


@pytest.mark.parametrize("cell", ["11/12/2026", "28/11/2026 7:50", "11-12-26"])
def test_a_day_or_month_first_date_is_refused_with_the_form_to_use(cell):
    with pytest.raises(CellError) as caught:
        read_moment(cell, SHANGHAI)
    assert caught.value.code == "moment_ambiguous"
    assert "2026/11/28 7:50" in str(caught.value)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("tomorrow", "moment"),
        ("2026/13/01", "moment"),
        (time(7, 50), "moment_time_only"),
        (-3, "moment_serial"),
        (True, "moment"),
    ],
)
def test_what_is_not_a_moment_says_so(cell, code):
    with pytest.raises(CellError) as caught:
        read_moment(cell, SHANGHAI)
    assert caught.value.code == code


def test_the_sites_zone_reads_naive_times():
    utc = read_moment("2026/11/28 7:50", ZoneInfo("UTC"))
    assert utc == datetime(2026, 11, 28, 15, 50, tzinfo=CST)


# --- cells, titles and repeated headers -----------------------------------------------------------


def test_errors_name_the_cell_as_a_spreadsheet_does():
    bad = ["Z1", "E01", "医疗物资", "冰", "30", "11/12/2026", "2026/11/28 9:50"]
    with pytest.raises(ValidationFailed) as caught:
        sheets.read_loads(csv_of(ZH_HEADER, ZH_ROW, bad), "x.csv")
    got = [(e.cell, e.row, e.column, e.code) for e in caught.value.errors]
    assert got == [
        ("D3", 3, "temperature", "choice"),
        ("F3", 3, "release", "moment_ambiguous"),
    ]
    assert caught.value.errors[0].params["value"] == "冰"


def test_column_letters_go_past_z():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702, 16383)] == [
        "A", "Z", "AA", "ZZ", "AAA", "XFD"
    ]  # fmt: skip


def test_a_title_row_above_the_header_and_a_repeated_header_are_recognised():
    rows = [["寻乌县保供车辆申报表"], ZH_HEADER, ZH_ROW, ZH_HEADER, ["Z2", *ZH_ROW[1:]]]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.active.merge_cells("A1:G1")
    out = io.BytesIO()
    book.save(out)
    parsed = sheets.read_sheet(out.getvalue(), "x.xlsx")
    assert parsed.header.row == 2 and not parsed.errors
    assert [(r.number, r.data["id"]) for r in parsed.rows] == [(3, "Z1"), (5, "Z2")]


def test_rows_without_an_id_are_kept_for_the_service_to_name():
    parsed = sheets.read_sheet(csv_of(ZH_HEADER[1:], ZH_ROW[1:], ZH_ROW[1:]), "x.csv")
    assert not parsed.errors and [r.data.get("id") for r in parsed.rows] == [None, None]


def test_more_than_200_problems_are_capped_with_the_total():
    bad = ["E01", "toys", "冷链", "30", "2026/11/28 7:50", "2026/11/28 9:50"]
    data = csv_of(ZH_HEADER, *[[f"Z{i}", *bad] for i in range(300)])
    with pytest.raises(ValidationFailed) as caught:
        sheets.read_loads(data, "x.csv")
    assert len(caught.value.errors) == 200 and caught.value.total == 300
    assert "300 problems (the first 200 are listed)" in caught.value.detail


# --- .xls and .ods --------------------------------------------------------------------------------


def xls_of(*rows: list) -> bytes:
    """A real Excel 97-2003 file, written by xlwt, with date cells as Excel keeps them."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("装车")
    dated = xlwt.easyxf(num_format_str="yyyy/m/d h:mm")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value, dated) if isinstance(value, datetime) else sheet.write(
                r, c, value
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_of(*rows: list) -> bytes:
    out = io.BytesIO()
    pd.DataFrame([list(r) for r in rows], dtype=object).to_excel(
        out, engine="odf", index=False, header=False
    )
    return out.getvalue()


@pytest.mark.parametrize(("writer", "name"), [(xls_of, "x.xls"), (ods_of, "x.ods")])
def test_xls_and_ods_sheets_with_date_cells_are_read(writer, name):
    row = ["Z1", "E01", "能源", "常温", 45, datetime(2026, 11, 28, 7, 50), "2026/11/28 9:50"]
    (load,) = sheets.read_loads(writer(ZH_HEADER, row), name)
    assert (load.id, load.handling_minutes, load.category) == ("Z1", 45, CargoCategory.ENERGY)
    assert load.release == datetime(2026, 11, 28, 7, 50, tzinfo=CST)


@pytest.mark.parametrize("name", ["x.xls", "x.ods", "x.xlsx"])
def test_a_file_that_is_not_that_workbook_is_named_as_such(name):
    with pytest.raises(ValidationFailed) as caught:
        sheets.read_loads(b"id,enterprise_id\nnot a workbook\n", name)
    assert caught.value.errors[0].code == "file_unreadable"


# --- fuzz: the parser answers with problems or rows, never with an exception of its own ---------

any_cell = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.sampled_from(["冷链", "能源", "2026/11/28 7:50", "11/12/2026", "是", "E01", "#ERROR!"]),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.dates(),
    st.times(),
)
any_header = st.one_of(
    st.sampled_from(sorted({n for ns in HEADERS.values() for n in ns})), any_cell
)


@settings(max_examples=300, deadline=None)
@given(
    header=st.lists(any_header, max_size=10),
    rows=st.lists(st.lists(any_cell, max_size=11), max_size=6),
)
def test_any_cells_give_rows_or_problems_never_an_exception(header, rows):
    try:
        parsed = parse_rows(header, rows)
    except ValidationFailed as exc:
        assert exc.errors and exc.status in (413, 422)
        return
    for row in parsed.rows:
        assert {"enterprise_id", "category", "release", "due"} <= set(row.data)
    for error in parsed.errors:
        assert error.code and error.message


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300), name=st.sampled_from(["x.csv", "x.xlsx", "x.xls", "x.ods"]))
def test_any_bytes_are_read_or_refused_as_a_validation_problem(data, name):
    try:
        sheets.read_sheet(data, name)
    except ValidationFailed as exc:
        assert exc.errors and exc.status in (413, 422)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("13800138000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("0797-2881234", "0797-2881234"),
        ("(0797) 288 1234", "0797-2881234"),
        ("010 62345678", "010-62345678"),
    ],
)
def test_a_phone_written_any_usual_way_is_stored_in_one_form(written, stored):
    assert phone_number(written) == stored


@pytest.mark.parametrize(
    "written", ["2881234", "12345", "12800138000", "138001380001", "0797-1881234", "phone", ""]
)
def test_what_is_no_chinese_phone_number_is_refused(written):
    with pytest.raises(ValueError, match="11-digit mobile"):
        phone_number(written)
