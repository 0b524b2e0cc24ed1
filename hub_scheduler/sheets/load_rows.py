"""Sheet rows to load submissions and back: every bad cell named by row, column and cell ("C5").

A row becomes the same plain dict a JSON client sends to `POST /loads` (screening and origin
nested, values typed), so the import service validates it on exactly the submission path; this
module only reads cells. Times without an offset are read in the site's zone (`moments`). Blank
rows at the end are ignored; any other row is a load, an error, or a repeated header row.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
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
from hub_scheduler.services.transfers import RELAY_KEYS
from hub_scheduler.sheets import limits
from hub_scheduler.sheets.header import (
    OWNER,
    REQUIRED,
    Header,
    blank,
    header_row,
    read_header,
    required_of,
    text,
)
from hub_scheduler.sheets.moments import read_moment
from hub_scheduler.sheets.problems import CellError, capped, problem
from hub_scheduler.sheets.vocabulary import HEADERS, choice, choice_names, choice_words, flag
from hub_scheduler.values import phone_number

COLUMNS = tuple(HEADERS)
OPTIONAL = tuple(c for c in COLUMNS if c not in REQUIRED)
SCREENING_COLUMNS = (
    "test_type",
    "test_result",
    "test_time",
    "health_code",
    "body_temperature_c",
    "pass_valid_until",
)
HUB_SEPARATOR = ";"


def _str(value: Any, zone: ZoneInfo) -> str:
    return text(value)


def _phone(value: Any, zone: ZoneInfo) -> str:
    """A mobile or landline number in its one form (values.phone_number); a cell error else."""
    try:
        return phone_number(text(value))
    except ValueError:
        raise CellError("phone", value=text(value)) from None


def _enum(kind: type[StrEnum]) -> Callable[[Any, ZoneInfo], StrEnum]:
    def parse(value: Any, zone: ZoneInfo) -> StrEnum:
        found = choice(kind, text(value))
        if found is None:
            raise CellError(
                "choice", value=text(value), choices=choice_names(kind), names=choice_words(kind)
            )
        return found

    return parse


def _number(value: Any) -> float:
    if isinstance(value, bool) or isinstance(value, datetime):
        raise CellError("number", value=text(value))
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(text(value))
        except ValueError:
            raise CellError("number", value=text(value)) from None
    if not math.isfinite(number):
        raise CellError("finite")
    return number


def _whole(minimum: int) -> Callable[[Any, ZoneInfo], int]:
    def parse(value: Any, zone: ZoneInfo) -> int:
        number = _number(value)
        if not number.is_integer():
            raise CellError("whole", value=text(value))
        if number < minimum:
            raise CellError("at_least", minimum=minimum)
        return int(number)

    return parse


def _float(value: Any, zone: ZoneInfo) -> float:
    return _number(value)


def _flag(value: Any, zone: ZoneInfo) -> bool:
    if isinstance(value, bool):
        return value
    found = flag(text(value))
    if found is None:
        raise CellError("flag", value=text(value))
    return found


def _hubs(value: Any, zone: ZoneInfo) -> list[str]:
    parts = value if isinstance(value, list) else text(value).split(HUB_SEPARATOR)  # JSON: a list
    hubs = [text(h) for h in parts]
    if any(not h for h in hubs):
        raise CellError("hubs", separator=HUB_SEPARATOR)
    return hubs


PARSERS: dict[str, Callable[[Any, ZoneInfo], Any]] = {
    "id": _str,
    "enterprise_id": _str,
    "category": _enum(CargoCategory),
    "temperature": _enum(Temperature),
    "handling_minutes": _whole(1),
    "release": read_moment,
    "due": read_moment,
    "deadline": read_moment,
    "priority_weight": _whole(1),
    "allowed_hubs": _hubs,
    "vehicle_plate": _str,
    "driver_phone": _phone,
    "has_pass": _flag,
    "test_type": _enum(TestType),
    "test_result": _enum(TestResult),
    "test_time": read_moment,
    "health_code": _enum(HealthCode),
    "body_temperature_c": _float,
    "origin_lat": _float,
    "origin_lon": _float,
    "disinfection_minutes": _whole(0),
    "pass_valid_until": read_moment,
    "transfer_to": _str,
    "transfer_from": _str,
    "transfer_min_gap_minutes": _whole(0),
}
assert set(PARSERS) == set(COLUMNS), "every column of the vocabulary has a reader"


@dataclass
class SheetRow:
    """One load of a sheet: its sheet row (1-based) and the fields as `POST /loads` takes them."""

    number: int
    data: dict[str, Any]
    # The columns whose cells could not be read (`ParsedSheet.partial`): absent from `data`.
    bad: frozenset[str] = frozenset()


@dataclass
class ParsedSheet:
    """The loads of a sheet, where its columns are, and what was ignored (unknown columns)."""

    rows: list[SheetRow]
    header: Header
    errors: list[FieldError] = field(default_factory=list)
    # Rows with a bad cell, with what their other cells hold, so that the checks that need only
    # those run too (the import lists every problem of every row at once).
    partial: list[SheetRow] = field(default_factory=list)

    def cell(self, row: int, path: str, code: str = "invalid", **params: Any) -> FieldError:
        """A problem found later (by the domain or the service) at `path` of a row's data;
        "invalid" takes the checker's own message as `reason`."""
        column = column_of(path)
        index = self.header.positions.get(column or "")
        return problem(code, row=row, column=column, index=index, **params)


def column_of(path: str) -> str | None:
    """The sheet column a JSON path of a row's data came from: screening.test_time -> test_time."""
    parts = [p.split("[")[0] for p in path.split(".") if p]
    if not parts:
        return None
    if parts[0] == "origin":
        return "origin_lon" if parts[-1] == "lon" else "origin_lat"
    return parts[-1] if parts[0] == "screening" else parts[0]


def _row_data(
    cells: dict[str, tuple[int, Any]],
    row: int,
    zone: ZoneInfo,
    required: tuple[str, ...] = REQUIRED,
):
    """One data row (column -> (position, cell)) as submission fields, and its cells' problems
    (the fields hold the cells that could be read)."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    for column, (index, raw) in cells.items():
        if blank(raw):
            if column in required:
                errors.append(problem("required", row=row, column=column, index=index))
            continue
        try:
            if isinstance(raw, str) and "\x00" in raw:
                raise CellError("nul")
            values[column] = PARSERS[column](raw, zone)
        except CellError as exc:
            errors.append(problem(exc.code, row=row, column=column, index=index, **exc.params))
    if ("origin_lat" in values) != ("origin_lon" in values):
        missing = "origin_lon" if "origin_lat" in values else "origin_lat"
        position = cells[missing][0] if missing in cells else None
        errors.append(problem("origin_pair", row=row, column=missing, index=position))
    screening = {k: values.pop(k) for k in SCREENING_COLUMNS if k in values}
    lat, lon = values.pop("origin_lat", None), values.pop("origin_lon", None)
    if screening:
        values["screening"] = screening
    if lat is not None and lon is not None:
        values["origin"] = {"lat": lat, "lon": lon}
    # The domain's own rules for the nested parts (lat/lon and body temperature ranges), so
    # that they are listed with this row's other bad cells rather than after they are fixed.
    for key, model in (("screening", Screening), ("origin", Location)):
        if key not in values:
            continue
        try:
            model.model_validate(values[key])
        except ValidationError as exc:
            for e in exc.errors():
                named = column_of(".".join([key, *map(str, e["loc"])]))
                position = cells[named][0] if named in cells else None
                reason = e["msg"][:1].lower() + e["msg"][1:]
                errors.append(
                    problem("invalid", row=row, column=named, index=position, reason=reason)
                )
    return values, errors


def _trim_trailing_blank_rows(rows: list[list[Any]]) -> list[list[Any]]:
    end = len(rows)
    while end and all(blank(c) for c in rows[end - 1]):
        end -= 1
    return rows[:end]


def parse_rows(
    header: list[Any],
    rows: list[list[Any]],
    *,
    timezone: str = DEFAULT_TIMEZONE,
    own_enterprise: str | None = None,
) -> ParsedSheet:
    """Read every row of a sheet (`header` is sheet row 1, `rows[k]` row k+2) into submissions.

    With `own_enterprise` (an enterprise uploads its own sheet) the enterprise column may be
    missing or blank: such rows are that enterprise's; a row naming another is kept as written
    for the import to refuse at its cell. Problems are collected in `errors`, never raised,
    except SheetTooLarge (413) beyond the row limit and ValidationFailed for an empty sheet.
    """
    zone = ZoneInfo(timezone)
    required = required_of(own_enterprise)
    every = _trim_trailing_blank_rows([list(header), *rows])
    if not every:
        raise ValidationFailed(
            "the sheet is empty", [problem("sheet_empty", row=1, names=", ".join(COLUMNS))]
        )
    top = header_row(every)
    head = read_header(every[top], top + 1, required)
    body = every[top + 1 :]
    limits.check_rows(len(body))
    errors = list(head.errors)
    if not body:
        errors.append(problem("no_loads", row=top + 2))
    parsed: list[SheetRow] = []
    partial: list[SheetRow] = []
    first_row_of: dict[str, int] = {}
    for number, cells in enumerate(body, start=top + 2):
        if all(blank(c) for c in cells):
            errors.append(problem("row_blank", row=number))
            continue
        if head.repeats(cells):
            continue
        extra = cells[head.width :]
        if len(cells) < head.width or any(not blank(c) for c in extra):
            errors.append(problem("row_ragged", row=number, cells=len(cells), columns=head.width))
            continue
        by_column = {name: (i, cells[i]) for name, i in head.positions.items()}
        data, row_errors = _row_data(by_column, number, zone, required)
        if own_enterprise is not None and blank(by_column.get(OWNER, (0, None))[1]):
            data[OWNER] = own_enterprise  # no column, or a blank cell: the uploader's row
        errors.extend(row_errors)
        if row_errors:
            if head.complete:
                bad = frozenset(str(e.column) for e in row_errors if e.column)
                partial.append(SheetRow(number, data, bad))
            data = None
        if data is not None and data.get("id"):
            load_id = data["id"]
            if load_id in first_row_of:
                errors.append(
                    problem(
                        "id_twice",
                        row=number,
                        column="id",
                        index=head.positions["id"],
                        id=load_id,
                        first=first_row_of[load_id],
                    )
                )
            else:
                first_row_of[load_id] = number
        if data is not None and head.complete:
            parsed.append(SheetRow(number, data))
    return ParsedSheet(parsed, head, errors, partial)


def refuse(errors: list[FieldError], what: str = "the sheet") -> ValidationFailed:
    """ValidationFailed listing at most MAX_LISTED problems and saying how many there are."""
    listed, total = capped(errors)
    count = f"{total} problem" + ("s" if total > 1 else "")
    more = f" (the first {len(listed)} are listed)" if total > len(listed) else ""
    failed = ValidationFailed(f"{what} has {count}{more}; nothing was imported", listed)
    failed.total = total  # type: ignore[attr-defined]  # a page says "200 of 5,000 problems"
    return failed


def rows_to_loads(
    header: list[Any],
    rows: list[list[Any]],
    *,
    timezone: str = DEFAULT_TIMEZONE,
    enterprise_ids: Collection[str] | None = None,
    new_id: Callable[[], str] | None = None,
) -> list[Load]:
    """Validate every row as a domain Load (rows without an id get `new_id()`); return the loads,
    or raise ValidationFailed listing every bad cell. For tools; the API imports through the
    load service, which checks more (owner, known hubs)."""
    sheet = parse_rows(header, rows, timezone=timezone)
    errors = list(sheet.errors)
    loads: list[Load] = []
    for row in sheet.rows:
        # Relays are stored apart from the load (services.transfers); a tool reads loads only.
        data = {k: v for k, v in row.data.items() if k not in RELAY_KEYS}
        data.setdefault("id", new_id() if new_id else f"row-{row.number}")
        if enterprise_ids is not None and data["enterprise_id"] not in enterprise_ids:
            errors.append(
                _at(
                    sheet,
                    row.number,
                    "enterprise_id",
                    "unknown_enterprise",
                    value=data["enterprise_id"],
                )
            )
        for column in ("due", "deadline"):
            if data.get(column) is not None and data[column] < data["release"]:
                errors.append(_at(sheet, row.number, column, "before_release"))
        try:
            loads.append(Load.model_validate(data))
        except ValidationError as exc:
            for e in exc.errors():
                path = ".".join(str(p) for p in e["loc"])
                msg = e["msg"][:1].lower() + e["msg"][1:]
                errors.append(sheet.cell(row.number, path, reason=msg))
    errors.sort(key=lambda e: e.row or 0)
    if errors:
        raise refuse(errors)
    return loads


def _at(sheet: ParsedSheet, row: int, column: str, code: str, **params: Any) -> FieldError:
    return problem(code, row=row, column=column, index=sheet.header.positions.get(column), **params)


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
        "driver_phone": load.driver_phone,
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
        # Present when the load was read with its partners (services.transfers.with_partners).
        **{k: (load.model_extra or {}).get(k) for k in ("transfer_to", "transfer_from")},
        "transfer_min_gap_minutes": None,
    }
    return [cells[c] for c in COLUMNS]


def loads_to_rows(loads: Iterable[Load]) -> tuple[list[str], list[list[Any]]]:
    return list(COLUMNS), [load_row(load) for load in loads]
