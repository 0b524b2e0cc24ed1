"""Sheet rows to loads and back: every bad cell reported by sheet row (header = row 1) and column.

Times: a cell with an offset (`2026-11-28T08:30:00+08:00`) is kept as written; a time without one
(`2026-11-28 08:30`, or an Excel date cell) is read in the sheet's time zone, Asia/Shanghai unless
the caller says otherwise. Only blank rows at the end of a sheet are ignored; any other row is
either a load or an error.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from hub_scheduler.domain import (
    DEFAULT_TIMEZONE,
    CargoCategory,
    HealthCode,
    Load,
    Location,
    Screening,
    Temperature,
    TestResult,
    TestType,
)
from hub_scheduler.errors import FieldError, ValidationFailed

REQUIRED = ("id", "enterprise_id", "category", "temperature", "handling_minutes", "release", "due")
OPTIONAL = (
    "deadline",
    "priority_weight",
    "allowed_hubs",
    "vehicle_plate",
    "has_pass",
    "test_type",
    "test_result",
    "test_time",
    "health_code",
    "body_temperature_c",
    "origin_lat",
    "origin_lon",
    "disinfection_minutes",
    "pass_valid_until",
)
COLUMNS = REQUIRED + OPTIONAL
SCREENING_COLUMNS = (
    "test_type",
    "test_result",
    "test_time",
    "health_code",
    "body_temperature_c",
    "pass_valid_until",
)
HUB_SEPARATOR = ";"

_TRUE = {"true", "yes", "y", "1", "是", "有"}
_FALSE = {"false", "no", "n", "0", "否", "无", ""}


class CellError(ValueError):
    """A cell that cannot be read; the message says what the cell should hold."""


def _blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, float) and math.isnan(value))
    )


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps ids like 1001 as numbers
    return str(value).strip()


def _enum(kind: type[StrEnum]) -> Callable[[Any, ZoneInfo], StrEnum]:
    choices = ", ".join(m.value for m in kind)

    def parse(value: Any, tz: ZoneInfo) -> StrEnum:
        try:
            return kind(_text(value).lower())
        except ValueError:
            raise CellError(f'"{_text(value)}" is not one of {choices}') from None

    return parse


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise CellError("must be a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(_text(value))
        except ValueError:
            raise CellError(f'"{_text(value)}" is not a number') from None
    if not math.isfinite(number):
        raise CellError("must be a finite number")
    return number


def _whole(minimum: int) -> Callable[[Any, ZoneInfo], int]:
    def parse(value: Any, tz: ZoneInfo) -> int:
        number = _number(value)
        if not number.is_integer():
            raise CellError(f"{_text(value)} is not a whole number")
        if number < minimum:
            raise CellError(f"must be at least {minimum}")
        return int(number)

    return parse


def _float(value: Any, tz: ZoneInfo) -> float:
    return _number(value)


def _moment(value: Any, tz: ZoneInfo) -> datetime:
    """An aware datetime: ISO-8601 text or an Excel date cell; without an offset, in `tz`."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date | time) or not isinstance(value, str):
        raise CellError(
            "must be a date and a time, like 2026-11-28 08:30 or 2026-11-28T08:30+08:00"
        )
    else:
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise CellError(
                f'"{value.strip()}" is not a date and time; write 2026-11-28 08:30 '
                "(read in the sheet's time zone) or 2026-11-28T08:30+08:00"
            ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def _flag(value: Any, tz: ZoneInfo) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f'"{_text(value)}" is not true or false')


def _hubs(value: Any, tz: ZoneInfo) -> list[str]:
    parts = value if isinstance(value, list) else _text(value).split(HUB_SEPARATOR)  # JSON: a list
    hubs = [_text(h) for h in parts]
    if any(not h for h in hubs):
        raise CellError(f'hub ids separated by "{HUB_SEPARATOR}", with none empty')
    return hubs


def _str(value: Any, tz: ZoneInfo) -> str:
    return _text(value)


PARSERS: dict[str, Callable[[Any, ZoneInfo], Any]] = {
    "id": _str,
    "enterprise_id": _str,
    "category": _enum(CargoCategory),
    "temperature": _enum(Temperature),
    "handling_minutes": _whole(1),
    "release": _moment,
    "due": _moment,
    "deadline": _moment,
    "priority_weight": _whole(1),
    "allowed_hubs": _hubs,
    "vehicle_plate": _str,
    "has_pass": _flag,
    "test_type": _enum(TestType),
    "test_result": _enum(TestResult),
    "test_time": _moment,
    "health_code": _enum(HealthCode),
    "body_temperature_c": _float,
    "origin_lat": _float,
    "origin_lon": _float,
    "disinfection_minutes": _whole(0),
    "pass_valid_until": _moment,
}


@dataclass
class _Header:
    """Where each known column sits, and the problems with the header row itself."""

    positions: dict[str, int]
    errors: list[FieldError]


def read_header(header: list[Any]) -> _Header:
    positions: dict[str, int] = {}
    errors: list[FieldError] = []
    for index, cell in enumerate(header):
        name = "" if _blank(cell) else _text(cell).lower()
        if not name:
            errors.append(
                FieldError(row=1, column=f"#{index + 1}", message="the column has no name")
            )
        elif name not in PARSERS:
            errors.append(
                FieldError(
                    row=1,
                    column=name,
                    message="unknown column; the columns are " + ", ".join(COLUMNS),
                )
            )
        elif name in positions:
            errors.append(FieldError(row=1, column=name, message="the column appears twice"))
        else:
            positions[name] = index
    for name in REQUIRED:
        if name not in positions:
            errors.append(FieldError(row=1, column=name, message="required column is missing"))
    return _Header(positions, errors)


def _pydantic_errors(exc: ValidationError, row: int) -> list[FieldError]:
    """Whatever the domain model still rejects, pinned to the column it came from."""
    out = []
    for e in exc.errors():
        loc = [str(p) for p in e["loc"]]
        column = {"origin": "origin_lat"}.get(loc[0], loc[-1] if loc[0] == "screening" else loc[0])
        message = e["msg"]
        out.append(FieldError(row=row, column=column, message=message[:1].lower() + message[1:]))
    return out


def _row_load(
    cells: dict[str, Any],
    row: int,
    tz: ZoneInfo,
    enterprise_ids: Collection[str] | None,
    complete: bool,
) -> tuple[Load | None, list[FieldError]]:
    """One data row (cells keyed by column) to a Load, or the errors of its cells.

    With a required column missing (`complete` false) the cells are still checked, but no load is
    built: the header error already says what is missing, once.
    """
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    for column, raw in cells.items():
        if _blank(raw):
            if column in REQUIRED:
                errors.append(FieldError(row=row, column=column, message="is required"))
            continue
        try:
            values[column] = PARSERS[column](raw, tz)
        except CellError as exc:
            errors.append(FieldError(row=row, column=column, message=str(exc)))

    def err(column: str, message: str) -> None:
        errors.append(FieldError(row=row, column=column, message=message))

    if (
        enterprise_ids is not None
        and "enterprise_id" in values
        and values["enterprise_id"] not in enterprise_ids
    ):
        err("enterprise_id", f'unknown enterprise "{values["enterprise_id"]}"')
    release = values.get("release")
    for column in ("due", "deadline"):
        if release is not None and values.get(column) is not None and values[column] < release:
            err(column, "must not be before release")
    if ("origin_lat" in values) != ("origin_lon" in values):
        missing = "origin_lon" if "origin_lat" in values else "origin_lat"
        err(missing, "origin_lat and origin_lon go together: give both or neither")
    for column, low, high in (
        ("origin_lat", -90, 90),
        ("origin_lon", -180, 180),
        ("body_temperature_c", 30, 45),
    ):
        if column in values and not low <= values[column] <= high:
            err(column, f"must be between {low} and {high}")
    if errors or not complete:
        return None, errors

    screening = {k: values.pop(k) for k in SCREENING_COLUMNS if k in values}
    lat, lon = values.pop("origin_lat", None), values.pop("origin_lon", None)
    try:
        load = Load.model_validate(
            {
                **values,
                "origin": Location(lat=lat, lon=lon) if lat is not None else None,
                "screening": Screening(**screening) if screening else None,
            }
        )
    except ValidationError as exc:
        return None, _pydantic_errors(exc, row)
    return load, []


def _trim_trailing_blank_rows(rows: list[list[Any]]) -> list[list[Any]]:
    end = len(rows)
    while end and all(_blank(c) for c in rows[end - 1]):
        end -= 1
    return rows[:end]


def rows_to_loads(
    header: list[Any],
    rows: list[list[Any]],
    *,
    timezone: str = DEFAULT_TIMEZONE,
    enterprise_ids: Collection[str] | None = None,
) -> list[Load]:
    """Validate every row; return the loads, or raise ValidationFailed listing every bad cell."""
    tz = ZoneInfo(timezone)
    if all(_blank(c) for c in header) and not _trim_trailing_blank_rows(rows):
        raise ValidationFailed(
            "the sheet is empty",
            [
                FieldError(
                    row=1,
                    message="the sheet is empty; the first row must name the columns: "
                    + ", ".join(COLUMNS),
                )
            ],
        )
    # Excel often reports formatted but empty columns to the right: they are not columns.
    while header and _blank(header[-1]):
        header = header[:-1]
    head = read_header(header)
    errors = list(head.errors)
    rows = _trim_trailing_blank_rows(rows)
    if not rows:
        errors.append(FieldError(row=2, message="the sheet has a header but no loads"))
    width = len(header)
    complete = all(name in head.positions for name in REQUIRED)
    loads: list[Load] = []
    first_row_of: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):
        if all(_blank(c) for c in cells):
            errors.append(FieldError(row=number, message="blank row; delete it or fill it in"))
            continue
        extra = cells[width:]
        if len(cells) < width or any(not _blank(c) for c in extra):
            errors.append(
                FieldError(
                    row=number,
                    message=f"the row has {len(cells)} cells but the header has {width} columns",
                )
            )
            continue
        by_column = {name: cells[i] for name, i in head.positions.items()}
        load, row_errors = _row_load(by_column, number, tz, enterprise_ids, complete)
        errors.extend(row_errors)
        if "id" in by_column and not _blank(by_column["id"]):
            load_id = _text(by_column["id"])
            if load_id in first_row_of:
                errors.append(
                    FieldError(
                        row=number,
                        column="id",
                        message=f'duplicate load id "{load_id}" '
                        f"(first on row {first_row_of[load_id]})",
                    )
                )
            else:
                first_row_of[load_id] = number
        if load is not None:
            loads.append(load)
    if errors:
        count = f"{len(errors)} problem" + ("s" if len(errors) > 1 else "")
        raise ValidationFailed(f"the sheet has {count}; nothing was imported", errors)
    return loads


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def load_row(load: Load) -> list[Any]:
    """A load as sheet cells in COLUMNS order (times ISO-8601 with their offset)."""
    s = load.screening or Screening()
    cells: dict[str, Any] = {
        "id": load.id,
        "enterprise_id": load.enterprise_id,
        "category": load.category.value,
        "temperature": load.temperature.value,
        "handling_minutes": load.handling_minutes,
        "release": _iso(load.release),
        "due": _iso(load.due),
        "deadline": _iso(load.deadline),
        "priority_weight": load.priority_weight,
        "allowed_hubs": HUB_SEPARATOR.join(load.allowed_hubs) if load.allowed_hubs else None,
        "vehicle_plate": load.vehicle_plate,
        "has_pass": "true" if load.has_pass else "false",
        "test_type": s.test_type.value if s.test_type else None,
        "test_result": s.test_result.value if s.test_result else None,
        "test_time": _iso(s.test_time),
        "health_code": s.health_code.value if s.health_code else None,
        "body_temperature_c": s.body_temperature_c,
        "origin_lat": load.origin.lat if load.origin else None,
        "origin_lon": load.origin.lon if load.origin else None,
        "disinfection_minutes": load.disinfection_minutes,
        "pass_valid_until": _iso(s.pass_valid_until),
    }
    return [cells[c] for c in COLUMNS]


def loads_to_rows(loads: Iterable[Load]) -> tuple[list[str], list[list[Any]]]:
    return list(COLUMNS), [load_row(load) for load in loads]
