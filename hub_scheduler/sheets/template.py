"""The import template (`GET /api/v1/loads/template.xlsx`): what a sender fills in, in Chinese
(English with `?lang=en`, or on the English page). The loads page's CSV template (`template_csv`)
has the same header row and nothing else.

Headers are the Chinese names of `vocabulary.HEADERS` (required ones marked `*`: for an
enterprise's own template, `own_enterprise`, the enterprise column is not, since its import may
leave it out, `header.required_of`; the command centre's keeps `企业编号*`), choice columns
carry drop-down lists (Excel data validation) of the Chinese words, one example row shows each
form, and the time columns are real date cells in `yyyy/m/d h:mm`. openpyxl writes it: pandas'
`to_excel` cannot add data validation.
"""

from __future__ import annotations

import io
from datetime import datetime

from hub_scheduler.domain import CargoCategory, HealthCode, Temperature, TestResult, TestType
from hub_scheduler.sheets.header import OWNER, required_of
from hub_scheduler.sheets.limits import MAX_ROWS
from hub_scheduler.sheets.load_rows import COLUMNS
from hub_scheduler.sheets.problems import column_letter
from hub_scheduler.sheets.template_notes import COLUMN_NOTES, GENERAL_NOTES, WORDS
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


def header_name(column: str, language: str = "zh-CN", own_enterprise: str | None = None) -> str:
    """The template's header of a column: its first Chinese name (English: the column's own
    name), `*` when required (`header.required_of(own_enterprise)`: an enterprise's own
    template leaves the enterprise column unmarked)."""
    name = column
    if language != "en":
        name = next((n for n in HEADERS[column] if not n.isascii()), column)
    return name + ("*" if column in required_of(own_enterprise) else "")


def template_csv(own_enterprise: str | None = None) -> str:
    """The CSV template: the workbook's header row (Chinese, `*` when required; `own_enterprise`
    as for `header_name`), with a BOM so Excel opens the UTF-8 file as such; the import reads it
    back as it is."""
    header = ",".join(header_name(c, own_enterprise=own_enterprise) for c in COLUMNS)
    return "\ufeff" + header + "\r\n"


def _choices(column: str, language: str = "zh-CN") -> list[str]:
    """A choice column's drop-down: the Chinese words, or in English the codes."""
    english = language == "en"
    if column == "has_pass":
        return ["yes", "no"] if english else [YES[0], NO[0]]
    kind = _LISTS[column]
    return [m.value for m in kind] if english else [w[0] for w in CHOICES[kind].values()]


def _example(column: str, language: str, own_enterprise: str | None = None) -> object:
    if column == OWNER and own_enterprise is not None:
        return own_enterprise  # an enterprise's example row is its own: another's is refused
    value = EXAMPLE.get(column)
    if language == "en" and (column in _LISTS or column == "has_pass"):
        return _choices(column, "en")[_choices(column).index(str(value))]
    return value


def template_xlsx(language: str = "zh-CN", own_enterprise: str | None = None) -> bytes:
    """The template workbook as bytes, in `language` ("zh-CN", else "en"): sheet 导入 / Import
    (header, example row, drop-down lists), sheet 说明 / Notes (how to fill it in, then each
    column: its header, whether required, what to write, the example). Both import as they are.
    `own_enterprise` (an enterprise's id: its own template): the enterprise column is optional
    there (no `*`, not marked required in the notes) and the example row names that enterprise;
    None (the command centre's): the column is required."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    language = "en" if language == "en" else "zh-CN"
    words = WORDS[language]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = words["import"]
    required = required_of(own_enterprise)
    sheet.append([header_name(c, language, own_enterprise) for c in COLUMNS])
    sheet.append([_example(c, language, own_enterprise) for c in COLUMNS])
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
            choices = _choices(column, language)
            listed = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=column not in required,
                showErrorMessage=True,
                errorTitle=words["pick"],
                error=("、" if language == "zh-CN" else ", ").join(choices),
            )
            sheet.add_data_validation(listed)
            listed.add(f"{letter}2:{letter}{last}")
    notes = book.create_sheet(words["notes"])
    for line in GENERAL_NOTES[language]:
        notes.append([line])
    notes.append([])
    notes.append([words["column"], words["required"], words["what"], words["example"]])
    for cell in notes[notes.max_row]:
        cell.font = Font(bold=True)
    english = language == "en"
    for column in COLUMNS:
        example = _example(column, language, own_enterprise)
        if isinstance(example, datetime):
            example = f"{example.year}/{example.month}/{example.day} {example:%H:%M}"
        notes.append(
            [
                header_name(column, language, own_enterprise),
                words["yes"] if column in required else "",
                COLUMN_NOTES[column][1 if english else 0],
                example,
            ]
        )
    for letter, width in (("A", 22), ("B", 10), ("C", 70), ("D", 18)):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
