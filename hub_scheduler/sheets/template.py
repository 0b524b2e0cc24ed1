"""The import template (`GET /api/v1/loads/template.xlsx`): what a sender fills in, in Chinese.
The loads page's CSV template (`template_csv`) has the same header row and nothing else.

Headers are the Chinese names of `vocabulary.HEADERS` (required ones marked `*`), choice columns
carry drop-down lists (Excel data validation) of the Chinese words, one example row shows each
form, and the time columns are real date cells in `yyyy/m/d h:mm`. openpyxl writes it: pandas'
`to_excel` cannot add data validation.
"""

from __future__ import annotations

import io
from datetime import datetime

from hub_scheduler.domain import CargoCategory, HealthCode, Temperature, TestResult, TestType
from hub_scheduler.sheets.header import REQUIRED
from hub_scheduler.sheets.limits import MAX_ROWS
from hub_scheduler.sheets.load_rows import COLUMNS
from hub_scheduler.sheets.problems import column_letter
from hub_scheduler.sheets.vocabulary import CHOICES, HEADERS, NO, YES

TEMPLATE_NAME = "loads-template.xlsx"
TEMPLATE_CSV_NAME = "loads-template.csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy/m/d h:mm"
TIME_COLUMNS = ("release", "due", "deadline", "test_time", "pass_valid_until")

_LISTS = {
    "category": CargoCategory,
    "temperature": Temperature,
    "health_code": HealthCode,
    "test_type": TestType,
    "test_result": TestResult,
}

EXAMPLE: dict[str, object] = {
    "id": "XW-0001",
    "enterprise_id": "E01",
    "category": "医疗物资",
    "temperature": "冷链",
    "handling_minutes": 30,
    "release": datetime(2026, 11, 28, 7, 50),
    "due": datetime(2026, 11, 28, 10, 0),
    "vehicle_plate": "赣B12345",
    "driver_phone": "13800138000",
    "has_pass": "否",
    "test_type": "核酸",
    "test_result": "阴性",
    "test_time": datetime(2026, 11, 27, 8, 0),
    "health_code": "绿码",
    "body_temperature_c": 36.5,
}


def header_name(column: str) -> str:
    """The template's header of a column: its first Chinese name, `*` when required."""
    name = next((n for n in HEADERS[column] if not n.isascii()), column)
    return name + ("*" if column in REQUIRED else "")


def template_csv() -> str:
    """The CSV template: the workbook's header row (Chinese, `*` when required), with a BOM so
    Excel opens the UTF-8 file as such; the import reads it back as it is."""
    return "\ufeff" + ",".join(header_name(c) for c in COLUMNS) + "\r\n"


def _choices(column: str) -> list[str]:
    if column == "has_pass":
        return [YES[0], NO[0]]
    return [words[0] for words in CHOICES[_LISTS[column]].values()]


def template_xlsx() -> bytes:
    """The template workbook as bytes: sheet 导入 (header, example row), sheet 说明 (notes)."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "导入"
    sheet.append([header_name(c) for c in COLUMNS])
    sheet.append([EXAMPLE.get(c) for c in COLUMNS])
    sheet.freeze_panes = "A2"
    last = MAX_ROWS + 1
    for i, column in enumerate(COLUMNS):
        letter = column_letter(i)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(12, 2 * len(header_name(column)) + 2)
        if column in TIME_COLUMNS:
            sheet.column_dimensions[letter].width = 18
            sheet.column_dimensions[letter].number_format = DATE_FORMAT  # cells typed in later
            sheet[f"{letter}2"].number_format = DATE_FORMAT
        if column in _LISTS or column == "has_pass":
            listed = DataValidation(
                type="list",
                formula1='"' + ",".join(_choices(column)) + '"',
                allow_blank=column not in REQUIRED,
                showErrorMessage=True,
                errorTitle="请从列表中选择",
                error="、".join(_choices(column)),
            )
            sheet.add_data_validation(listed)
            listed.add(f"{letter}2:{letter}{last}")
    notes = book.create_sheet("说明")
    for line in (
        ["每行一车；带 * 的列必填；车次编号可留空，由系统生成。"],
        ["时间按场站所在时区读取，如 2026/11/28 7:50；不要写 11/12/2026 这样分不清日月的形式。"],
        [f"一张表最多 {MAX_ROWS} 行。列名、取值中英文均可，见 docs/sheets.md。"],
    ):
        notes.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
