"""XLSX through pandas on its openpyxl engine; both are imported only when a workbook is used.

One sheet per table on the way out; the first sheet on the way in, every cell as openpyxl gives it.
"""

from __future__ import annotations

import io
import math
import re
import warnings
import zipfile
from typing import Any

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


# pandas reads an Excel error cell (#DIV/0!, #N/A) as NaN, which would pass for a blank cell:
# it is read as this text instead, so a number, time or choice column reports it.
ERROR_CELL = "#ERROR!"


def _cell(value: Any) -> Any:
    """A cell as read: None when empty, ERROR_CELL for an Excel error, else as openpyxl gives it."""
    if isinstance(value, str) and value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return ERROR_CELL
    return value


def _style(sheet: Any, table: Table, openpyxl: Any) -> None:
    """Bold header kept in view, columns wide enough, text that looks like a formula kept text."""
    bold = openpyxl.styles.Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    for i, column in enumerate(table.header, start=1):
        width = max([len(str(column))] + [len(str(r[i - 1] or "")) for r in table.rows[:200]])
        sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width = min(width + 2, 40)


class XlsxFormat(SheetFormat):
    name = "xlsx"
    extensions = (".xlsx",)
    media_types = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",)
    multi_sheet = True

    def read(self, data: bytes) -> Table:
        _openpyxl()
        import pandas as pd  # imported on first use: it takes most of a second

        try:
            with warnings.catch_warnings():
                # openpyxl warns about styles and extensions it does not read; cells are what matter
                warnings.simplefilter("ignore", UserWarning)
                with pd.ExcelFile(io.BytesIO(data), engine="openpyxl") as book:
                    title = book.sheet_names[0]
                    # each cell as openpyxl gives it: no type guessing, no "NA" text read as missing
                    frame = pd.read_excel(
                        book,
                        sheet_name=0,
                        header=None,
                        dtype=object,
                        keep_default_na=False,
                        na_filter=False,
                    )
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError):
            raise ValidationFailed(
                "the file is not an XLSX workbook",
                [FieldError(field="file", message="save the sheet as Excel Workbook (.xlsx)")],
            ) from None
        # pandas keeps blank rows in a workbook, so frame row k is still sheet row k+1
        rows = [[_cell(v) for v in values] for values in frame.itertuples(index=False, name=None)]
        return Table(title=title, header=rows[0] if rows else [], rows=rows[1:])

    def write(self, tables: list[Table]) -> bytes:
        openpyxl = _openpyxl()
        import pandas as pd

        out = io.BytesIO()
        with pd.ExcelWriter(out, engine="openpyxl") as writer:
            taken: set[str] = set()
            for table in tables:
                title = sheet_title(table.title, taken)
                # the header goes in as a row of its own: a frame's column labels must be unique
                frame = pd.DataFrame([list(table.header), *map(list, table.rows)], dtype=object)
                frame.to_excel(
                    writer, sheet_name=title, index=False, header=False, freeze_panes=(1, 0)
                )
                _style(writer.sheets[title], table, openpyxl)
            if not tables:
                writer.book.create_sheet("empty")
        return out.getvalue()
