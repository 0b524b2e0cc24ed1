"""Importing a sheet of loads: all or nothing, on the same checks as `POST /loads`, retry-safe.

Each row is read into the dict a JSON client would send and goes through the submission path
(`row_check`, the API's request schema, then `loads.build_load` and `loads.store_loads`), so a sheet
can never pass what the JSON API refuses. Every problem names its sheet cell. A row without an
id gets a server-made one; with an `Idempotency-Key`, a retried upload of the same file answers
the first result again (no new rows) and the same key with another file is a 409.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from hub_scheduler.domain import Load
from hub_scheduler.errors import Conflict, FieldError, ValidationFailed
from hub_scheduler.services.load_checks import build_load, new_load_id
from hub_scheduler.services.load_submission import store_loads
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.site import site_timezone
from hub_scheduler.services.transfers import split_relay

RowCheck = Callable[[dict[str, Any]], list[FieldError]]
_KEY_PREFIX = "sheet-import"


@dataclass
class SheetImport:
    """What an import did: the loads (in sheet order), the ids the server made (sheet row ->
    id), what was ignored (unknown columns, capped, and their count), and whether this answer
    is the replay of an earlier upload with the same Idempotency-Key."""

    loads: list[Load]
    generated_ids: dict[int, str] = field(default_factory=dict)
    warnings: list[FieldError] = field(default_factory=list)
    unknown_columns: int = 0
    replayed: bool = False


def _key(principal: Principal, idempotency_key: str) -> str:
    owner = principal.enterprise_id if principal.is_enterprise else f"actor:{principal.actor}"
    return f"{_KEY_PREFIX}:{owner}:{idempotency_key}"


def _replay(uow, record: dict[str, Any], digest: str, idempotency_key: str) -> SheetImport:
    if record.get("sha256") != digest:
        raise Conflict(
            f'the Idempotency-Key "{idempotency_key}" was used for another file',
            [FieldError(field="Idempotency-Key", message="was already used for another file")],
        )
    found = {ld.id: ld for ld in uow.loads.get_many(record["load_ids"])}
    return SheetImport(
        loads=[found[i] for i in record["load_ids"] if i in found],
        generated_ids={int(k): v for k, v in record.get("generated_ids", {}).items()},
        warnings=[FieldError(**w) for w in record.get("warnings", [])],
        unknown_columns=record.get("unknown_columns", 0),
        replayed=True,
    )


def import_sheet(
    uow,
    data: bytes,
    filename: str,
    *,
    principal: Principal,
    dry_run: bool,
    idempotency_key: str | None = None,
    row_check: RowCheck | None = None,
) -> SheetImport:
    """Create every load of a sheet (.csv, .xlsx, .xls, .ods, .json), or none.

    Raises ValidationFailed (422) listing at most 200 bad cells with the total, SheetTooLarge
    (413) beyond the sheet limits, Conflict (409) for a key reused with another file.
    """
    from hub_scheduler.sheets import read_sheet
    from hub_scheduler.sheets.load_rows import refuse

    digest = hashlib.sha256(data).hexdigest()
    with uow:
        timezone = str(site_timezone(uow))
        if idempotency_key and not dry_run:
            record = uow.config.get(_key(principal, idempotency_key))
            if record is not None:
                return _replay(uow, record, digest, idempotency_key)
    sheet = read_sheet(data, filename, timezone=timezone)
    errors = list(sheet.errors)
    loads: list[Load] = []
    rows: list[int] = []
    relays: list[dict[str, Any]] = []
    generated: dict[int, str] = {}
    for row in sheet.rows:
        submitted = dict(row.data)
        checked = row_check(submitted) if row_check else []
        errors += [_coded(sheet, row.number, wrong) for wrong in checked]
        if principal.is_enterprise and submitted.get("enterprise_id") != principal.enterprise_id:
            enterprise = principal.enterprise_id
            errors.append(
                sheet.cell(
                    row.number, "enterprise_id", "not_your_enterprise", enterprise=enterprise
                )
            )
            continue
        if not submitted.get("id"):
            submitted["id"] = generated[row.number] = new_load_id()
        submitted, relay = split_relay(submitted)
        load, bad = build_load(submitted, principal, "")
        said = {e.field for e in checked}  # the same schema refuses the same field once
        errors += [_coded(sheet, row.number, e) for e in bad if e.field not in said]
        if load is not None:
            loads.append(load)
            relays.append(relay)
            rows.append(row.number)
    if errors:
        raise refuse(sorted(errors, key=lambda e: e.row or 0))
    result = SheetImport([], generated, sheet.header.warnings, sheet.header.unknown_columns)

    def remember(uow, stored: list[Load]) -> None:
        if idempotency_key:
            result.loads = stored
            uow.config.set(_key(principal, idempotency_key), _record(digest, result))

    try:
        result.loads = store_loads(
            uow,
            loads,
            principal,
            "load.import",
            lambda i: f"#{i}.",
            dry_run=dry_run,
            before_commit=remember,
            relays=relays,
        )
    except ValidationFailed as exc:
        raise refuse([_at_cell(sheet, rows, e) for e in exc.errors]) from None
    except Exception:
        # The same key arrived twice at once: the config row's primary key let only the other
        # upload in, and this one's loads were rolled back with its record; answer as a retry.
        if idempotency_key:
            with uow:
                record = uow.config.get(_key(principal, idempotency_key))
                if record is not None:
                    return _replay(uow, record, digest, idempotency_key)
        raise
    return result


def _at_cell(sheet, rows: list[int], error: FieldError) -> FieldError:
    """'#3.due' (the 4th load stored) -> the cell of column due on that load's sheet row."""
    where, _, path = (error.field or "").partition(".")
    if where.startswith("#") and where[1:].isdigit():
        return _coded(sheet, rows[int(where[1:])], error, path)
    return error


def _coded(sheet, row: int, error: FieldError, path: str | None = None) -> FieldError:
    """A checker's problem at its cell, keeping its code and params (so a page says it in its own
    language): a sheet code fills its own text; another code (a relay check's `relay_unknown`, a
    schema's `string_too_long`) keeps the checker's English message; none is "invalid"."""
    from hub_scheduler.sheets.problems import TEXTS  # (the sheets package loads pandas)

    where = (error.field or "") if path is None else path
    if error.code in TEXTS:
        try:
            return sheet.cell(row, where, error.code, **(error.params or {}))
        except (KeyError, IndexError):  # params that do not fill the code's text
            pass
    cell = sheet.cell(row, where, reason=error.message)
    if error.code and error.code not in TEXTS:
        return replace(cell, message=error.message, code=error.code, params=error.params)
    return cell


def _record(digest: str, result: SheetImport) -> dict[str, Any]:
    """What a retry with the same Idempotency-Key answers (kept in site_config, in the same
    transaction as the loads)."""
    return {
        "sha256": digest,
        "load_ids": [ld.id for ld in result.loads],
        "generated_ids": {str(k): v for k, v in result.generated_ids.items()},
        "warnings": [w.as_dict() for w in result.warnings],
        "unknown_columns": result.unknown_columns,
    }
