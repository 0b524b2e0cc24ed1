"""How large a sheet may be, checked BEFORE a reader unpacks or parses it.

An XLSX or ODS file is a zip: 2 MB on the wire can unpack to gigabytes (a zip bomb), and one
cell at XFD1048576 makes a dense reader allocate the whole rectangle. So the zip directory's
unpacked sizes are summed first, then the worksheet XML is streamed once (bounded by that sum)
for its largest row and column; only then does calamine parse it. Memory stays bounded by
MAX_UNPACKED_BYTES and MAX_ROWS x the header's width.
"""

from __future__ import annotations

import re
import zipfile
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from hub_scheduler.errors import ValidationFailed
from hub_scheduler.sheets.problems import problem

MAX_ROWS = 20_000  # loads in one sheet (a county's day is a few thousand trucks)
MAX_COLUMNS = 16_384  # Excel's own limit (XFD); unknown ones are only listed, capped
MAX_CELLS = 4_000_000  # rows x columns of the used range
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # an accepted 20,000-row XLSX unpacks to about 12 MB
_CHUNK = 1 << 20


class SheetTooLarge(ValidationFailed):
    """The sheet is over a documented limit: 413, nothing read further, nothing written."""

    status = 413
    title = "Content too large"


def _too_large(code: str, **params: Any) -> SheetTooLarge:
    error = problem(code, field="file", **params)
    return SheetTooLarge(error.message, [error])


def check_rows(rows: int) -> None:
    if rows > MAX_ROWS:
        raise _too_large("too_many_rows", rows=rows, limit=MAX_ROWS)


def check_range(rows: int, columns: int) -> None:
    check_rows(rows - 1)  # the header is not a load
    if columns > MAX_COLUMNS:
        raise _too_large("too_many_columns", columns=columns, limit=MAX_COLUMNS)
    if rows * columns > MAX_CELLS:
        raise _too_large("too_many_cells", cells=rows * columns, limit=MAX_CELLS)


def check_text_lines(lines: int) -> None:
    """A CSV: every line at most one row; a title and a few blank lines are allowed for."""
    if lines > MAX_ROWS + 20:
        raise _too_large("too_many_rows", rows=lines, limit=MAX_ROWS)


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d{1,7})"')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bt="e"[^>]*>')
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')


def _scan(stream: IO[bytes], errors: set[tuple[int, int]]) -> tuple[int, int]:
    """The largest row and column an XLSX sheet's XML names; its error cells (#DIV/0!) are
    added to `errors` as (row, column), 0-based."""
    rows = columns = 0
    tail = b""
    while chunk := stream.read(_CHUNK):
        block = tail + chunk
        # a tag cut by the chunk's end is found whole in the next block (a set: no doubles)
        for tag in _ERROR_CELL.findall(block):
            ref = _REF.search(tag)
            if ref:
                errors.add((int(ref[2]) - 1, _column_number(ref[1].decode()) - 1))
        for letters, number in _CELL_REF.findall(block):
            columns = max(columns, _column_number(letters.decode()))
            rows = max(rows, int(number))
        for number in _ROW_REF.findall(block):
            rows = max(rows, int(number))
        tail = block[-256:]
    return rows, columns


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _ods_range(stream: IO[bytes]) -> tuple[int, int]:
    """The used rows and columns of an ODS's first table, repeats counted.

    ODS writes a run of equal rows or cells once with a repeat count, and calamine expands the
    runs that hold a value (a 6 KB file can stand for 100,000 x 50 cells), while it drops the
    empty ones LibreOffice writes to the sheet's end; so are they counted here.
    """
    from defusedxml.ElementTree import iterparse  # expat without entity expansion

    rows = used_rows = used_columns = 0
    for _, element in iterparse(stream, events=("end",)):
        if element.tag == _TABLE + "table-row":
            width = used = 0
            for cell in element:
                width += int(cell.get(_TABLE + "number-columns-repeated", "1"))
                if cell.get(_OFFICE + "value-type") or len(cell):
                    used = width
            rows += int(element.get(_TABLE + "number-rows-repeated", "1"))
            if used:
                used_rows, used_columns = rows, max(used_columns, used)
            element.clear()
        elif element.tag == _TABLE + "table":
            break  # the first sheet is the one read
    return used_rows, used_columns


def check_zip(data: IO[bytes], kind: str) -> set[tuple[int, int]]:
    """Refuse an XLSX or ODS whose unpacked size or used range is over the limits (413).

    Returns the error cells of an XLSX (calamine reads them as blank). A file that is not a zip
    is left to the reader, which says so.
    """
    errors: set[tuple[int, int]] = set()
    try:
        book = zipfile.ZipFile(data)
    except zipfile.BadZipFile:
        return errors
    with book:
        unpacked = sum(info.file_size for info in book.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise _too_large("unpacked_too_large", size=unpacked, limit=MAX_UNPACKED_BYTES)
        names = book.namelist()
        if kind == "ods":
            parts = [n for n in names if n == "content.xml"]
        else:
            # the first worksheet in the workbook's order need not be sheet1.xml: all are checked
            parts = sorted(
                n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")
            )
        for name in parts:
            try:
                with book.open(name) as stream:
                    found: set[tuple[int, int]] = set()
                    if kind == "ods":
                        rows, columns = _ods_range(stream)
                    else:
                        rows, columns = _scan(stream, found)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ParseError):
                return set()  # a broken member: the reader reports the file as unreadable
            if name.endswith("/sheet1.xml"):  # the sheet read, in every workbook Excel writes
                errors = found
            check_range(rows, columns)
    return errors
