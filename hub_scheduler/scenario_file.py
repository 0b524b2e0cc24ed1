"""Read and write the scenario@1 and schedule@1 files, reporting every problem at once by its
path."""

from __future__ import annotations

import errno
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from hub_scheduler.domain import Scenario, Schedule, hhmm_minutes
from hub_scheduler.errors import FieldError, ValidationFailed

M = TypeVar("M", bound=BaseModel)


def json_path(loc: Iterable[Any]) -> str:
    """('loads', 17, 'temperature') -> 'loads[17].temperature'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_DATE_KINDS = {
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
}


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind in ("enum", "literal_error"):
        return "must be " + str(ctx.get("expected", "")).replace("'", '"')
    if kind == "timezone_aware":
        return "must be an ISO-8601 time with an offset, like 2026-11-27T08:00:00+08:00"
    if kind.startswith("datetime"):
        return "must be an ISO-8601 time with an offset, like 2026-11-27T08:00:00+08:00"
    if kind in _DATE_KINDS:  # pydantic's own reason ("input is too short") is not ours
        return "must be a date (YYYY-MM-DD)"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    msg = error["msg"]
    return msg[:1].lower() + msg[1:]


def pydantic_errors(exc: ValidationError, prefix: Iterable[Any] = ()) -> list[FieldError]:
    """Turn pydantic's errors into FieldErrors with JSON paths and plain messages. Each keeps
    pydantic's error type as its `code` (`int_parsing`, `less_than_equal`, `extra_forbidden`;
    and ours, `values.CODED_ERRORS`) and the type's context as `params` (`{"le": "10080"}`), so
    that the edge says it in the reader's language by the code, never by pydantic's own words.
    A validator's own message (`value_error`: our English text) has no code."""
    return [_field_error(e, prefix) for e in exc.errors()]


def _field_error(error: Any, prefix: Iterable[Any]) -> FieldError:
    field = json_path([*prefix, *error["loc"]]) or "(body)"
    kind = error["type"]
    if kind == "value_error":
        return FieldError(field=field, message=_message(error))
    params = {k: str(v) for k, v in (error.get("ctx") or {}).items() if k != "error"}
    return FieldError(field=field, message=_message(error), code=kind, params=params or None)


def parse_model(model: type[M], data: Any, what: str) -> M:
    """Validate `data` as `model` or raise ValidationFailed naming every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(f"{what} is not valid", pydantic_errors(exc)) from None


def _duplicates(ids: Iterable[str]) -> set[str]:
    return {i for i, n in Counter(ids).items() if n > 1}


def _opening_overlaps(periods: list) -> bool:
    """True when two daily opening periods share a minute (periods crossing midnight unrolled)."""
    minutes: set[int] = set()
    for p in periods:
        start, end = hhmm_minutes(p.start), hhmm_minutes(p.end)
        span = range(start, end) if end > start else range(start, end + 1440)
        covered = {m % 1440 for m in span}
        if minutes & covered:
            return True
        minutes |= covered
    return False


def reference_errors(s: Scenario) -> list[FieldError]:
    """Everything a field-by-field check cannot see: ids, references, orders of times."""
    errors: list[FieldError] = []

    def err(path: str, message: str) -> None:
        errors.append(FieldError(field=path, message=message))

    try:
        ZoneInfo(s.timezone)
    except (
        ZoneInfoNotFoundError,
        ValueError,
        OSError,
    ):  # "America" is a directory: IsADirectoryError
        err("timezone", f'unknown time zone "{s.timezone}"')
    if s.horizon.end <= s.horizon.start:
        err("horizon.end", "must be after horizon.start")

    for dup in _duplicates(h.id for h in s.hubs):
        err("hubs", f'duplicate hub id "{dup}"')
    for hi, hub in enumerate(s.hubs):
        for dup in _duplicates(z.id for z in hub.zones):
            err(f"hubs[{hi}].zones", f'duplicate zone id "{dup}"')
        seen: set[str] = set()  # a repeated dock id is named at the docks of the zone repeating it
        named: set[str] = set()
        for zi, each in enumerate(hub.zones):
            ids = [d.id for d in each.docks]
            repeats = _duplicates([*seen, *ids])
            for dup in sorted(repeats - named):
                err(f"hubs[{hi}].zones[{zi}].docks", f'duplicate dock id "{dup}"')
            named |= repeats
            seen |= set(ids)
        if hub.opening_hours is not None and _opening_overlaps(hub.opening_hours):
            err(f"hubs[{hi}].opening_hours", "opening periods overlap")
        for bi, window in enumerate(hub.blocked):
            where = f"hubs[{hi}].blocked[{bi}]"
            if window.end <= window.start:
                err(f"{where}.end", "must be after start")
            if window.zone_id is not None and hub.zone(window.zone_id) is None:
                err(f"{where}.zone_id", f'unknown zone "{window.zone_id}" at hub "{hub.id}"')
            if window.dock_id is not None:
                zone = hub.dock_zone(window.dock_id)
                if zone is None:
                    err(f"{where}.dock_id", f'unknown dock "{window.dock_id}" at hub "{hub.id}"')
                elif window.zone_id is not None and zone.id != window.zone_id:
                    err(
                        f"{where}.dock_id",
                        f'dock "{window.dock_id}" is not in zone "{window.zone_id}"',
                    )

    for dup in _duplicates(e.id for e in s.enterprises):
        err("enterprises", f'duplicate enterprise id "{dup}"')
    for dup in _duplicates(ld.id for ld in s.loads):
        err("loads", f'duplicate load id "{dup}"')

    enterprises = {e.id for e in s.enterprises}
    hubs = {h.id: h for h in s.hubs}
    for li, load in enumerate(s.loads):
        where = f"loads[{li}]"
        if load.enterprise_id not in enterprises:
            err(f"{where}.enterprise_id", f'unknown enterprise "{load.enterprise_id}"')
        if load.due < load.release:
            err(f"{where}.due", "must not be before release")
        if load.deadline is not None and load.deadline < load.release:
            err(f"{where}.deadline", "must not be before release")
        for hub_id in load.allowed_hubs or []:
            if hub_id not in hubs:
                err(f"{where}.allowed_hubs", f'unknown hub "{hub_id}"')
        for key in ("pinned", "previous"):
            pos = getattr(load, key)
            if pos is None:
                continue
            at = hubs.get(pos.hub_id)
            if at is None:
                err(f"{where}.{key}.hub_id", f'unknown hub "{pos.hub_id}"')
            elif at.dock_zone(pos.dock_id) is None:
                err(f"{where}.{key}.dock_id", f'unknown dock "{pos.dock_id}" at hub "{pos.hub_id}"')

    load_ids = {ld.id for ld in s.loads}
    for ti, transfer in enumerate(s.transfers):
        where = f"transfers[{ti}]"
        for key in ("inbound", "outbound"):
            if getattr(transfer, key) not in load_ids:
                err(f"{where}.{key}", f'unknown load "{getattr(transfer, key)}"')
        if transfer.inbound == transfer.outbound:
            err(f"{where}.outbound", "must differ from inbound")
    for dup in _duplicates(t.outbound for t in s.transfers):
        err("transfers", f'load "{dup}" is the outbound of more than one transfer')
    return errors


def parse_scenario(data: Any) -> Scenario:
    """A dict (parsed JSON) to a Scenario, or ValidationFailed listing every problem."""
    scenario = parse_model(Scenario, data, "scenario")
    errors = reference_errors(scenario)
    if errors:
        raise ValidationFailed("scenario is not consistent", errors)
    return scenario


def _load_json(path: str | Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:  # the system's words as the message, its errno name as the code
        why = FieldError(
            field=str(path),
            message=str(exc.strerror or exc),
            code=errno.errorcode.get(exc.errno or 0),
        )
        raise ValidationFailed(f"cannot read {path}", [why]) from None
    except json.JSONDecodeError as exc:
        # Where, in our words (the parser's own text is not said)
        raise ValidationFailed(
            f"{path} is not JSON (line {exc.lineno}, column {exc.colno})"
        ) from None
    except UnicodeDecodeError:
        raise ValidationFailed(f"{path} is not JSON: it is not UTF-8 text") from None


def read_scenario(path: str | Path) -> Scenario:
    return parse_scenario(_load_json(path))


def read_schedule(path: str | Path) -> Schedule:
    return parse_model(Schedule, _load_json(path), "schedule")


def dump(model: BaseModel) -> dict:
    """The JSON-ready dict of a domain object: enums as values, times in ISO-8601, no empty
    extras."""
    return model.model_dump(mode="json", exclude_none=False)


def write_json(model: BaseModel, path: str | Path) -> None:
    Path(path).write_text(
        json.dumps(dump(model), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


write_scenario = write_json
write_schedule = write_json
