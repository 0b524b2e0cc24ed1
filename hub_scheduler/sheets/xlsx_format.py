"""XLSX through openpyxl (imported only when an XLSX file is read or written); one sheet per table."""

from __future__ import annotations

import io
import re
import warnings
import zipfile

from hub_scheduler.errors import FieldError, HubSchedulerError, ValidationFailed
from hub_scheduler.sheets.table import SheetFormat, Table

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def _openpyxl():
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a core dependency
        raise HubSchedulerError("XLSX needs openpyxl: pip install openpyxl") from None
    return openpyxl


def sheet_title(title: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name: at most 31 characters, none of []:*?/\\."""
    base = _BAD_TITLE.sub("_", title)[:31] or "sheet"
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base[: 31 - len(str(n)) - 1]}~{n}"
    taken.add(name.lower())
    return name


class XlsxFormat(SheetFormat):
    name = "xlsx"
    extensions = (".xlsx",)
    media_types = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",)
    multi_sheet = True

    def read(self, data: bytes) -> Table:
        openpyxl = _openpyxl()
        try:
            with warnings.catch_warnings():
                # openpyxl warns about styles and extensions it does not read; the cells are what matter
                warnings.simplefilter("ignore", UserWarning)
                book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
                sheet = book.worksheets[0]
                rows = [list(row) for row in sheet.iter_rows(values_only=True)]
                book.close()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError):
            raise ValidationFailed(
                "the file is not an XLSX workbook",
                [FieldError(field="file", message="save the sheet as Excel Workbook (.xlsx)")],
            ) from None
        return Table(title=sheet.title, header=rows[0] if rows else [], rows=rows[1:])

    def write(self, tables: list[Table]) -> bytes:
        openpyxl = _openpyxl()
        book = openpyxl.Workbook()
        book.remove(book.active)
        taken: set[str] = set()
        bold = openpyxl.styles.Font(bold=True)
        for table in tables:
            sheet = book.create_sheet(sheet_title(table.title, taken))
            sheet.append(list(table.header))
            for cell in sheet[1]:
                cell.font = bold
            for row in table.rows:
                sheet.append(list(row))
                for cell in sheet[sheet.max_row]:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.data_type = "s"  # text that looks like a formula stays text
            sheet.freeze_panes = "A2"
            for i, column in enumerate(table.header, start=1):
                width = max([len(str(column))] + [len(str(r[i - 1] or "")) for r in table.rows[:200]])
                sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width = min(width + 2, 40)
        if not tables:
            book.create_sheet("empty")
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
