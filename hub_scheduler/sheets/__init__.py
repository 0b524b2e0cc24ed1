"""Loads in and plans out as spreadsheets: CSV, XLSX, XLS, ODS and JSON behind one registry.

Pick a format by file name (`for_filename("loads.xlsx")`) or media type
(`for_media_type("text/csv")`). `read_sheet` reads a sheet into load submissions (the import
service validates them on the `POST /loads` path); `read_loads` goes on to domain Loads for tools;
both name each bad cell by sheet row, column and cell ("C5"). `write_loads` writes what
`read_loads` reads; `write_timetable` exports a plan as a gate timetable per hub and dock.
pandas reads and writes the files, inside the format classes only (JSON keeps the json module;
its docstring says why); everything else here works on plain `Table` rows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import PurePath

from hub_scheduler.domain import Load, Scenario, Schedule
from hub_scheduler.errors import ValidationFailed
from hub_scheduler.sheets.csv_format import CsvFormat
from hub_scheduler.sheets.json_format import JsonFormat
from hub_scheduler.sheets.legacy_formats import OdsFormat, XlsFormat
from hub_scheduler.sheets.load_rows import (
    COLUMNS,
    DEFAULT_TIMEZONE,
    ParsedSheet,
    loads_to_rows,
    parse_rows,
    rows_to_loads,
)
from hub_scheduler.sheets.problems import problem
from hub_scheduler.sheets.table import SheetFormat, Table
from hub_scheduler.sheets.timetable import timetable_tables
from hub_scheduler.sheets.xlsx_format import XlsxFormat

FORMATS: tuple[SheetFormat, ...] = (
    CsvFormat(),
    XlsxFormat(),
    XlsFormat(),
    OdsFormat(),
    JsonFormat(),
)

__all__ = [
    "COLUMNS",
    "FORMATS",
    "ParsedSheet",
    "SheetFormat",
    "Table",
    "for_filename",
    "for_media_type",
    "format_named",
    "read_loads",
    "read_sheet",
    "write_loads",
    "write_timetable",
]


def _unsupported(what: str) -> ValidationFailed:
    names = ", ".join(ext for f in FORMATS for ext in f.extensions)
    return ValidationFailed(
        f"cannot read {what}", [problem("file_type", field="file", file=what, formats=names)]
    )


def for_filename(filename: str) -> SheetFormat:
    """The format for a file name, by its extension (case does not matter)."""
    suffix = PurePath(filename).suffix.lower()
    for fmt in FORMATS:
        if suffix in fmt.extensions:
            return fmt
    raise _unsupported(f'"{filename}"')


def for_media_type(media_type: str) -> SheetFormat:
    """The format for a media type such as `text/csv; charset=utf-8`."""
    bare = media_type.split(";")[0].strip().lower()
    for fmt in FORMATS:
        if bare in fmt.media_types:
            return fmt
    raise _unsupported(f'media type "{bare}"')


def format_named(fmt: str | SheetFormat) -> SheetFormat:
    """A format object from itself, a name ("csv"), an extension (".xlsx") or a file name."""
    if isinstance(fmt, SheetFormat):
        return fmt
    key = fmt.lower().lstrip(".")
    for candidate in FORMATS:
        if key == candidate.name:
            return candidate
    return for_filename(fmt)


def _format_of(filename: str | None, media_type: str | None) -> SheetFormat:
    if filename is not None:
        return for_filename(filename)
    if media_type is not None:
        return for_media_type(media_type)
    raise _unsupported("a file with neither a name nor a media type")


def read_sheet(
    data: bytes,
    filename: str | None = None,
    *,
    media_type: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    own_enterprise: str | None = None,
) -> ParsedSheet:
    """Every row of a sheet as a `POST /loads` submission, with the problems of its cells.

    Times without an offset are read in `timezone` (the site's); with `own_enterprise` (an
    enterprise's own upload) the enterprise column may be left out or blank and is filled with
    it. Raises ValidationFailed for a file that cannot be read and SheetTooLarge (413) beyond
    the limits in `limits`.
    """
    table = _format_of(filename, media_type).read(data)
    return parse_rows(table.header, table.rows, timezone=timezone, own_enterprise=own_enterprise)


def read_loads(
    data: bytes,
    filename: str | None = None,
    *,
    media_type: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    enterprise_ids: Collection[str] | None = None,
) -> list[Load]:
    """Every load of a sheet, or ValidationFailed listing every bad row and column at once.

    Times without an offset are read in `timezone`; with `enterprise_ids`, an enterprise not in it
    is an error; a row without an id gets `row-<n>` (the import service makes real ids).
    """
    table = _format_of(filename, media_type).read(data)
    return rows_to_loads(table.header, table.rows, timezone=timezone, enterprise_ids=enterprise_ids)


def write_loads(loads: Iterable[Load], fmt: str | SheetFormat) -> bytes:
    """The loads as a sheet in COLUMNS order, which `read_loads` reads back unchanged."""
    header, rows = loads_to_rows(loads)
    return format_named(fmt).write([Table(title="loads", header=header, rows=rows)])


def write_timetable(schedule: Schedule, scenario: Scenario, fmt: str | SheetFormat) -> bytes:
    """The plan as a gate timetable ordered by hub, dock and start; XLSX gets one sheet per hub."""
    sheet_format = format_named(fmt)
    tables = timetable_tables(schedule, scenario)
    if not sheet_format.multi_sheet:
        merged = Table(
            title="timetable", header=tables[0].header, rows=[row for t in tables for row in t.rows]
        )
        tables = [merged]
    return sheet_format.write(tables)
