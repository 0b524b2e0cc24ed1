"""Reading spreadsheet files (.xlsx, .xls, .ods) through pandas on the calamine engine.

Calamine (python-calamine, Rust) reads all three formats with one code path, gives Excel date
cells as datetimes, and is 16-23x faster than openpyxl on .xlsx; it holds the whole sheet
(27 MB peak at the 20,000-row limit, where streaming openpyxl holds 9 MB), which the limits
bound. The size checks of `limits` run before it sees the bytes. Cells come back as plain
Python values: None when empty, ERROR_CELL for an Excel error (#DIV/0!): calamine reads one as
blank, so XLSX error cells are found by the size check's pass over the sheet XML; in .xls and
.ods an error cell still reads as blank.
"""

from __future__ import annotations

import io
import math
import warnings
from typing import Any

from hub_scheduler.errors import ValidationFailed
from hub_scheduler.sheets import limits
from hub_scheduler.sheets.problems import problem
from hub_scheduler.sheets.table import Table

ERROR_CELL = "#ERROR!"


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return ERROR_CELL
    return value


def _unreadable(kind: str, label: str) -> ValidationFailed:
    error = problem("file_unreadable", field="file", format=label)
    return ValidationFailed(f"the file is not an {kind.upper()} workbook", [error])


def read_workbook(data: bytes, kind: str, label: str) -> Table:
    """The first sheet of an `kind` ("xlsx", "xls", "ods") workbook, every cell as calamine
    reads it; ValidationFailed when the bytes are not such a workbook, SheetTooLarge (413)
    beyond the limits."""
    error_cells = limits.check_zip(io.BytesIO(data), kind) if kind in ("xlsx", "ods") else set()
    import pandas as pd  # imported on first use: it takes most of a second

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pd.ExcelFile(io.BytesIO(data), engine="calamine") as book:
                title = str(book.sheet_names[0])
                # every cell as calamine gives it: no type guessing, no "NA" text read as missing
                frame = pd.read_excel(
                    book,
                    sheet_name=0,
                    header=None,
                    dtype=object,
                    keep_default_na=False,
                    na_filter=False,
                )
    except limits.SheetTooLarge:
        raise
    except Exception:  # noqa: BLE001 - any failure to parse uploaded bytes is the file's fault
        raise _unreadable(kind, label) from None
    limits.check_range(len(frame.index), len(frame.columns))
    # pandas keeps blank rows in a workbook, so frame row k is still sheet row k+1
    rows = [[_cell(v) for v in values] for values in frame.itertuples(index=False, name=None)]
    for r, c in error_cells:
        if r < len(rows) and c < len(rows[r]):
            rows[r][c] = ERROR_CELL
    return Table(title=title, header=rows[0] if rows else [], rows=rows[1:])
