"""The formats people still send: Excel 97-2003 (.xls) and OpenDocument (.ods); read only.

Both go through calamine like .xlsx; the service never writes them (an .xlsx opens everywhere).
"""

from __future__ import annotations

from hub_scheduler.errors import ValidationFailed
from hub_scheduler.sheets.problems import problem
from hub_scheduler.sheets.table import SheetFormat, Table
from hub_scheduler.sheets.workbook import read_workbook


class _ReadOnly(SheetFormat):
    """A workbook format calamine reads (by the subclass's `name`), never written."""

    multi_sheet = True
    label = ""

    def read(self, data: bytes) -> Table:
        return read_workbook(data, self.name, self.label)

    def write(self, tables: list[Table]) -> bytes:
        error = problem("file_type", field="file", file=self.name, formats=".xlsx, .csv")
        raise ValidationFailed(f"{self.name} files are read, not written", [error])


class XlsFormat(_ReadOnly):
    name = "xls"
    extensions = (".xls",)
    media_types = ("application/vnd.ms-excel",)
    label = "Excel 97-2003 Workbook (.xls)"


class OdsFormat(_ReadOnly):
    name = "ods"
    extensions = (".ods",)
    media_types = ("application/vnd.oasis.opendocument.spreadsheet",)
    label = "OpenDocument Spreadsheet (.ods)"
