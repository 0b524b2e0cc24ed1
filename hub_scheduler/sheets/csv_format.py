"""CSV through pandas: UTF-8 (with or without the BOM Excel writes) or GB18030 (Chinese Excel).

`pd.read_csv` runs on the python engine with every cell kept as the text written (dtype=object,
no NA filtering, blank lines kept), so row k of the frame is sheet row k+1. A short row comes back
padded with None, which a cell that exists never is; a long row goes to an `on_bad_lines` callable
that keeps it whole. A row that the engine's strict quote rules reject is dropped by pandas without
a word, so the records are counted against the lines of the file and such a row is reported too.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from hub_scheduler.errors import FieldError, ValidationFailed
from hub_scheduler.sheets import limits
from hub_scheduler.sheets.problems import problem
from hub_scheduler.sheets.table import SheetFormat, Table


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed("the CSV file is not text", [problem("file_not_text", field="file")])


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


@dataclass(eq=False)  # hashed by identity: pandas puts cells in a set
class _LongRow:
    """A row with more cells than the first row, held whole in one cell of the frame."""

    cells: list[str]


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SKIPPED = re.compile(r"Skipping line (\d+): (.*)", re.DOTALL)


def _frame(text: str, on_bad_lines):
    import pandas as pd  # imported on first use: it takes most of a second

    return pd.read_csv(
        io.StringIO(text, newline=""),
        sep=",",
        header=None,
        dtype=object,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        engine="python",
        on_bad_lines=on_bad_lines,
    )


def _records(text: str) -> list[list[str]]:
    """Every record of `text` (which does not start with a blank line), each with its own cells."""
    if not text:
        return []
    rows = []
    for values in _frame(text, lambda line: [_LongRow(line)]).to_numpy().tolist():
        if values and isinstance(values[0], _LongRow):
            rows.append(list(values[0].cells))
            continue
        width = next((i for i, c in enumerate(values) if not isinstance(c, str)), len(values))
        rows.append(values[:width])  # what follows is padding of a short row
    return rows


def _line_count(rows: list[list[str]]) -> int:
    """How many lines of the file the records span: one each, plus the line breaks inside cells."""
    breaks = sum(len(_LINE_BREAK.findall(c)) for row in rows for c in row if "\n" in c or "\r" in c)
    return len(rows) + breaks


def _unreadable(text: str, first_row: int) -> ValidationFailed:
    """The row pandas dropped: its python engine says which one only as a warning."""
    import pandas as pd

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        _frame(text, "warn")
    for warning in caught:
        found = _SKIPPED.match(str(warning.message))
        if found and not found[2].startswith("Expected "):  # not a long row: those are kept
            return ValidationFailed(
                "the CSV file cannot be read",
                [problem("csv_quotes", row=int(found[1]) + first_row - 1, reason=found[2].strip())],
            )
    return ValidationFailed(
        "the CSV file cannot be read",
        [FieldError(field="file", message="a row cannot be read; check the quotes in the sheet")],
    )


class CsvFormat(SheetFormat):
    name = "csv"
    extensions = (".csv",)
    media_types = ("text/csv", "application/csv", "text/comma-separated-values")
    multi_sheet = False

    def read(self, data: bytes) -> Table:
        import pandas as pd

        lines = io.StringIO(_decode(data), newline="").readlines()
        limits.check_text_lines(len(lines))
        # A blank first line would give the frame no columns at all; blank lines are rows too.
        blank = next(
            (i for i, line in enumerate(lines) if line not in ("\n", "\r", "\r\n")), len(lines)
        )
        text = "".join(lines[blank:])
        try:
            rows = _records(text)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            # a lone quote leaves pandas with no columns at all (EmptyDataError)
            raise ValidationFailed(
                "the CSV file cannot be read",
                [problem("csv_quotes", field="file", reason=str(exc).strip())],
            ) from None
        if _line_count(rows) != len(lines) - blank:
            raise _unreadable(text, first_row=blank + 1)
        rows = [[] for _ in range(blank)] + [[_unquote(c) for c in row] for row in rows]
        return Table(title="loads", header=rows[0] if rows else [], rows=rows[1:])

    def write(self, tables: list[Table]) -> bytes:
        import pandas as pd

        (table,) = tables
        cells = [[_cell(c) for c in row] for row in [table.header, *table.rows]]
        text = pd.DataFrame(cells, dtype=object).to_csv(
            index=False, header=False, lineterminator="\r\n"
        )
        # The BOM makes Excel open the file as UTF-8 instead of the system code page.
        return text.encode("utf-8-sig")
