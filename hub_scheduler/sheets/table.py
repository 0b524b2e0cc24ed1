"""What every sheet format reads and writes: titled tables of cells, and the format interface."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass
class Table:
    """One sheet: a title (the XLSX sheet name), a header row and the data rows, cells as read.

    Cells are plain Python values, never pandas ones: text from CSV; text, numbers, booleans or
    naive datetimes from XLSX (None when empty); JSON values from JSON. `rows[k]` is sheet row k+2,
    and a row keeps its length, so a ragged row stays visible.
    """

    title: str
    header: list[Any]
    rows: list[list[Any]] = field(default_factory=list)


class SheetFormat:
    """One file format: bytes to tables and back; pandas and openpyxl are imported on first use."""

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]
    media_types: ClassVar[tuple[str, ...]]
    # False when the format holds a single table (CSV): callers then merge their sheets into one.
    multi_sheet: ClassVar[bool] = False

    def read(self, data: bytes) -> Table:
        """The first sheet of `data`; ValidationFailed when the bytes are not this format."""
        raise NotImplementedError

    def write(self, tables: list[Table]) -> bytes:
        """The tables as one file; a single-sheet format gets exactly one table."""
        raise NotImplementedError

    @property
    def media_type(self) -> str:
        return self.media_types[0]
