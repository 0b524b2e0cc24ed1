"""Finding the header row of a sheet and what each of its columns holds.

People put a merged title row ("寻乌县保供车辆申报表") above the header, and copy the header again
between blocks of rows; the header is the first row among the first few that names at least two
columns, rows above it are titles, and a later row that repeats it is skipped. Unknown columns
are a warning, not an error: the sheet may carry the sender's own notes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from hub_scheduler.errors import FieldError
from hub_scheduler.sheets.problems import capped, problem
from hub_scheduler.sheets.vocabulary import HEADERS, column_named

REQUIRED = ("enterprise_id", "category", "temperature", "handling_minutes", "release", "due")
# Required of a sheet the command centre files for enterprises; an enterprise's own upload may
# leave it out or blank: its rows are its own (`parse_rows(own_enterprise=...)` fills them).
OWNER = "enterprise_id"


def required_of(own_enterprise: str | None) -> tuple[str, ...]:
    """The columns a sheet must have: REQUIRED, less OWNER for an enterprise's own sheet
    (`own_enterprise`: its id; None: the command centre's). The import and the template read it."""
    return tuple(c for c in REQUIRED if own_enterprise is None or c != OWNER)


SEARCHED_ROWS = 10  # title rows above the header: a few at most


def blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and math.isnan(value))
    )


def text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps ids like 1001 as numbers
    return str(value).strip()


@dataclass
class Header:
    """Where the header is (sheet row, 1-based), each known column's position, and problems."""

    row: int
    positions: dict[str, int]
    width: int
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)
    unknown_columns: int = 0
    required: tuple[str, ...] = REQUIRED

    @property
    def complete(self) -> bool:
        return all(name in self.positions for name in self.required)

    def repeats(self, cells: list[Any]) -> bool:
        """True for a copy of the header row further down (each named cell names its column)."""
        names = {i: name for name, i in self.positions.items()}
        named = False
        for i, c in enumerate(cells):  # a data row fails on its first cell: no list is built
            if blank(c):
                continue
            if not isinstance(c, str) or i >= self.width or column_named(c) != names.get(i):
                return False
            named = True
        return named


def _known(cells: list[Any]) -> int:
    return sum(1 for c in cells if isinstance(c, str) and column_named(c) is not None)


def header_row(rows: list[list[Any]]) -> int:
    """The index (0-based) of the header among `rows`: the first naming two columns, else the
    first non-blank row."""
    for index, cells in enumerate(rows[:SEARCHED_ROWS]):
        if _known(cells) >= 2:
            return index
    return next((i for i, cells in enumerate(rows) if not all(map(blank, cells))), 0)


def read_header(cells: list[Any], row: int, required: tuple[str, ...] = REQUIRED) -> Header:
    """The columns of header `cells` found on sheet row `row`; trailing blank cells are dropped.
    A column of `required` that is not there is an error."""
    width = len(cells)
    while width and blank(cells[width - 1]):
        width -= 1
    head = Header(row=row, positions={}, width=width, required=required)
    unknown: list[FieldError] = []
    for index, cell in enumerate(cells[:width]):
        name = None if blank(cell) else column_named(text(cell))
        if blank(cell):
            head.errors.append(
                problem("column_unnamed", row=row, column=f"#{index + 1}", index=index)
            )
        elif name is None:
            unknown.append(problem("column_unknown", row=row, column=text(cell), index=index))
        elif name in head.positions:
            first = cells[head.positions[name]]
            head.errors.append(
                problem("column_twice", row=row, column=name, index=index, other=text(first))
            )
        else:
            head.positions[name] = index
    head.warnings, head.unknown_columns = capped(unknown)
    for name in required:
        if name not in head.positions:
            head.errors.append(
                problem("column_missing", row=row, column=name, names=" / ".join(HEADERS[name]))
            )
    return head
