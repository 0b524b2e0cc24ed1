"""JSON: a list of records (objects keyed by column name) or {"loads": [...]}; record k is row k+1.

Keys are the header in order of first appearance, so a record with an extra key shows up as a
column the import does not know, and a record missing a key reads as blank cells. The json module
reads and writes it, not pandas: `pd.read_json` turns a column named like a time (`test_time`) into
datetimes and a whole-number column with a gap into floats (12345678901234567 comes back changed),
and `to_json` keeps 10 decimals by default; the import wants every value exactly as sent.
"""

from __future__ import annotations

import json
from typing import Any

from hub_scheduler.errors import FieldError, ValidationFailed
from hub_scheduler.sheets.table import SheetFormat, Table


def _records(data: bytes) -> list[Any]:
    if not data.strip():
        return []
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed(
            "the JSON file cannot be read", [FieldError(field="file", message=str(exc))]
        ) from None
    if isinstance(parsed, dict) and isinstance(parsed.get("loads"), list):
        parsed = parsed["loads"]
    if not isinstance(parsed, list):
        raise ValidationFailed(
            "the JSON file is not a list of loads",
            [FieldError(field="file", message='expected [{"id": ...}, ...] or {"loads": [...]}')],
        )
    return parsed


class JsonFormat(SheetFormat):
    name = "json"
    extensions = (".json",)
    media_types = ("application/json",)
    multi_sheet = True

    def read(self, data: bytes) -> Table:
        records = _records(data)
        header: list[str] = []
        for record in records:
            for key in record if isinstance(record, dict) else ():
                if key not in header:
                    header.append(key)
        rows = []
        for record in records:
            if isinstance(record, dict):
                rows.append([record.get(key) for key in header])
            else:  # not an object: a row of the wrong shape, reported as ragged
                rows.append([record])
        return Table(title="loads", header=header, rows=rows)

    def write(self, tables: list[Table]) -> bytes:
        def records(table: Table) -> list[dict]:
            return [dict(zip(table.header, row, strict=True)) for row in table.rows]

        body: Any = (
            records(tables[0]) if len(tables) == 1 else {t.title: records(t) for t in tables}
        )
        return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
