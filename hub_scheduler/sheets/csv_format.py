"""CSV: UTF-8 (with or without the BOM Excel writes) or GB18030 (Chinese Excel's default), comma-separated.

The stdlib csv module reads it rather than pandas: pandas pads short rows and rejects long ones,
and the import must report a ragged row by its number instead.
"""

from __future__ import annotations

import csv
import io

from hub_scheduler.errors import FieldError, ValidationFailed
from hub_scheduler.sheets.table import SheetFormat, Table


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed(
        "the CSV file is not text",
        [FieldError(field="file", message="save the sheet as CSV UTF-8 and upload it again")],
    )


# Excel runs a CSV cell that starts with one of these as a formula; text from users (a plate, a
# load id) must not become one on a manager's machine, so it is written behind a quote.
FORMULA_STARTS = ("=", "+", "-", "@")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, "'")):
        return "'" + value  # a leading quote is doubled too, so reading gives back exactly the text
    return str(value)


def _unquote(cell: str) -> str:
    """The inverse of the formula guard: "'=x" reads as "=x"."""
    guarded = cell.startswith("'") and cell[1:].startswith((*FORMULA_STARTS, "'"))
    return cell[1:] if guarded else cell


class CsvFormat(SheetFormat):
    name = "csv"
    extensions = (".csv",)
    media_types = ("text/csv", "application/csv", "text/comma-separated-values")
    multi_sheet = False

    def read(self, data: bytes) -> Table:
        text = _decode(data)
        try:
            rows = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise ValidationFailed(
                "the CSV file cannot be read",
                [FieldError(field="file", message=f"{exc}; check the quotes in the sheet")],
            ) from None
        rows = [[_unquote(c) for c in row] for row in rows]
        return Table(title="loads", header=rows[0] if rows else [], rows=rows[1:])

    def write(self, tables: list[Table]) -> bytes:
        (table,) = tables
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([_cell(c) for c in table.header])
        writer.writerows([_cell(c) for c in row] for row in table.rows)
        # The BOM makes Excel open the file as UTF-8 instead of the system code page.
        return out.getvalue().encode("utf-8-sig")
