"""XLSX: read by calamine (`workbook.read_workbook`), written by pandas on openpyxl.

One sheet per table on the way out; the first sheet on the way in. Reading uses calamine (Rust)
rather than openpyxl: 16-23x faster; openpyxl (streaming, read-only) holds less memory, 9 MB
against 27 MB at 20,000 rows (bench/bench_sheets.py, bench/README.md).
"""

from __future__ import annotations

import io
import re
from typing import Any

from hub_scheduler.errors import HubSchedulerError
from hub_scheduler.sheets.table import SheetFormat, Table
from hub_scheduler.sheets.workbook import read_workbook

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def load_openpyxl():
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
        return read_workbook(data, "xlsx", "Excel Workbook (.xlsx)")

    def write(self, tables: list[Table]) -> bytes:
        openpyxl = load_openpyxl()
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
