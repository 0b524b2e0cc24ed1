"""Every problem a sheet can have, as a code with an English text; pages translate the code.

A problem is raised as `CellError(code, **params)` by the cell readers and becomes a FieldError
carrying the code, its parameters, the row, the column name and the cell ("C5"). The zh-CN texts
live with the pages (`api/web/sheet_messages.py`); a test checks that every code has one.
"""

from __future__ import annotations

from typing import Any

from hub_scheduler.errors import FieldError

MAX_LISTED = 200  # problems listed in one answer; the total is always given

TEXTS: dict[str, str] = {
    # the file
    "file_type": "cannot read {file}; upload one of {formats}",
    "file_not_text": "the CSV file is not text; save the sheet as CSV UTF-8 and upload it again",
    "file_unreadable": "the file is not a {format} workbook; save the sheet again as {format}",
    "csv_quotes": "the row cannot be read ({reason}); check its quotes",
    "too_many_rows": "the sheet has {rows} rows; at most {limit} loads go in one sheet",
    "too_many_columns": "the sheet has {columns} columns; at most {limit} are read",
    "too_many_cells": "the sheet has {cells} cells; at most {limit} are read",
    "unpacked_too_large": "the workbook unpacks to {size} bytes; at most {limit} are read",
    "sheet_empty": "the sheet is empty; the first row must name the columns",
    # the header
    "no_header": "no row names the columns; the header needs at least {required}",
    "column_unnamed": "the column has no name",
    "column_unknown": "unknown column, ignored",
    "column_twice": "the column appears twice (also as {other})",
    "column_missing": "required column is missing",
    "no_loads": "the sheet has a header but no loads",
    # rows
    "row_blank": "blank row; delete it or fill it in",
    "row_ragged": "the row has {cells} cells but the header has {columns} columns",
    "id_twice": 'duplicate load id "{id}" (first on row {first})',
    "not_your_enterprise": 'must be "{enterprise}" (your enterprise)',
    # cells
    "required": "is required",
    "nul": "must not contain a NUL character",
    "choice": '"{value}" is not one of {choices}',
    "number": '"{value}" is not a number',
    "finite": "must be a finite number",
    "whole": "{value} is not a whole number",
    "at_least": "must be at least {minimum}",
    "between": "must be between {low} and {high}",
    "flag": '"{value}" is not yes or no (是/否, true/false, Y/N, 1/0)',
    "phone": '"{value}" is not a phone number; write an 11-digit mobile number (13800138000) '
    "or a landline with its area code (0797-2881234)",
    "hubs": 'hub ids separated by "{separator}", with none empty',
    "moment": '"{value}" is not a date and time; write 2026-11-28 08:30 or 2026/11/28 7:50',
    "moment_ambiguous": (
        '"{value}" could be day/month or month/day; write the year first: {example}'
    ),
    "moment_serial": "{value} is not an Excel date (days since 1899-12-30)",
    "moment_time_only": "a time without a date; write the date too, like 2026/11/28 7:50",
    "before_release": "must not be before release",
    "origin_pair": "origin_lat and origin_lon go together: give both or neither",
    "unknown_enterprise": 'unknown enterprise "{value}"',
    "unknown_hub": 'unknown hub "{value}"',
    "invalid": "{reason}",
}


class CellError(ValueError):
    """A cell that cannot be read; `code` names the problem in TEXTS, `params` fill it in."""

    def __init__(self, code: str, **params: Any):
        self.code = code
        self.params: dict[str, Any] = {
            k: v if isinstance(v, int | float) else str(v) for k, v in params.items()
        }
        super().__init__(text(code, self.params))


def text(code: str, params: dict[str, Any]) -> str:
    return TEXTS[code].format(**params)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, 16383 -> XFD: the spreadsheet's name of a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def problem(
    code: str,
    *,
    row: int | None = None,
    column: str | None = None,
    index: int | None = None,
    field: str | None = None,
    **params: Any,
) -> FieldError:
    """A FieldError for `code`; `index` (0-based column position) gives the cell name."""
    clean = {k: v if isinstance(v, int | float) else str(v) for k, v in params.items()}
    cell = f"{column_letter(index)}{row}" if index is not None and row is not None else None
    return FieldError(
        message=text(code, clean),
        field=field,
        row=row,
        column=column,
        cell=cell,
        code=code,
        params=clean or None,
    )


def capped(errors: list[FieldError]) -> tuple[list[FieldError], int]:
    """At most MAX_LISTED problems, and how many there were in all."""
    return errors[:MAX_LISTED], len(errors)
