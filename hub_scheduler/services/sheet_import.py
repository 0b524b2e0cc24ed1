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
from typing import TYPE_CHECKING, Any

from hub_scheduler import load_keys
from hub_scheduler.domain import Load
from hub_scheduler.errors import Conflict, FieldError, ValidationFailed
from hub_scheduler.services.load_checks import Known, build_load, check_fields, new_load_id
from hub_scheduler.services.load_submission import store_loads
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.site import site_timezone
from hub_scheduler.services.transfers import split_relay, unknown_partner

if TYPE_CHECKING:
    from hub_scheduler.sheets.load_rows import SheetRow  # (the sheets package loads pandas)

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
    from hub_scheduler.sheets.load_rows import column_of, refuse

    digest = hashlib.sha256(data).hexdigest()
    with uow:
        timezone = str(site_timezone(uow))
        if idempotency_key and not dry_run:
            record = uow.config.get(_key(principal, idempotency_key))
            if record is not None:
                return _replay(uow, record, digest, idempotency_key)
    # An enterprise's rows are its own: it may leave the enterprise column out (a row naming
    # another enterprise is refused below, at its cell); the command centre must fill it.
    sheet = read_sheet(data, filename, timezone=timezone, own_enterprise=principal.own_enterprise)
    errors = list(sheet.errors)
    loads: list[Load] = []
    rows: list[int] = []
    relays: list[dict[str, Any]] = []
    generated: dict[int, str] = {}
    unbuilt: list[SheetRow] = []  # rows with a problem of their own: no load to check further
    for row in sorted([*sheet.rows, *sheet.partial], key=lambda r: r.number):
        submitted = dict(row.data)
        checked = row_check(submitted) if row_check else []
        # (a bad cell is absent from `submitted`: its own problem is listed, not "missing")
        checked = [e for e in checked if column_of(e.field or "") not in row.bad]
        errors += [_coded(sheet, row.number, wrong) for wrong in checked]
        if principal.is_enterprise and submitted.get("enterprise_id") != principal.enterprise_id:
            if "enterprise_id" not in row.bad:
                enterprise = principal.enterprise_id
                errors.append(
                    sheet.cell(
                        row.number, "enterprise_id", "not_your_enterprise", enterprise=enterprise
                    )
                )
            continue
        if not submitted.get("id") and "id" not in row.bad:
            submitted["id"] = generated[row.number] = new_load_id()
        submitted, relay = split_relay(submitted)
        load, bad = (None, []) if row.bad else build_load(submitted, principal, "")
        said = {e.field for e in checked}  # the same schema refuses the same field once
        errors += [_coded(sheet, row.number, e) for e in bad if e.field not in said]
        if load is not None:
            loads.append(load)
            relays.append(relay)
            rows.append(row.number)
        else:
            refused = {column_of(e.field or "") for e in [*checked, *bad]}
            unbuilt.append(replace(row, bad=row.bad | {c for c in refused if c}))
    # Every stage at once: the cell problems, then what the store checks (enterprises, times,
    # relays) on the loads that could be built and on the readable cells of those that could
    # not; a check that needs a bad cell is skipped for that row only. Nothing is written
    # while any problem stands (a dry run of the store's checks).
    errors += _unbuilt_errors(uow, sheet, unbuilt, principal)
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
            dry_run=dry_run or bool(errors),
            before_commit=remember,
            relays=relays,
        )
    except ValidationFailed as exc:
        skipped = {_key_of(r, principal) for r in unbuilt}
        later = [_at_cell(sheet, rows, e) for e in exc.errors if not _needs(e, skipped)]
        errors += _not_said(errors, later)
    except Exception:
        # The same key arrived twice at once: the config row's primary key let only the other
        # upload in, and this one's loads were rolled back with its record; answer as a retry.
        if idempotency_key:
            with uow:
                record = uow.config.get(_key(principal, idempotency_key))
                if record is not None:
                    return _replay(uow, record, digest, idempotency_key)
        raise
    if errors:
        raise refuse(sorted(errors, key=lambda e: e.row or 0))
    return result


def _key_of(row: SheetRow, principal: Principal) -> str | None:
    """The load key a row would have had (None: no readable id)."""
    owner = principal.enterprise_id if principal.is_enterprise else row.data.get("enterprise_id")
    load_id = row.data.get("id")
    return load_keys.qualify(str(owner), str(load_id)) if owner and load_id else None


def _needs(error: FieldError, skipped: set[str | None]) -> bool:
    """Whether a relay problem is only that its partner is a row that could not be built (that
    row's own problems are listed; the relay is checked once it can be)."""
    return error.code == "relay_unknown" and (error.params or {}).get("load") in skipped


def _not_said(said: list[FieldError], later: list[FieldError]) -> list[FieldError]:
    """`later` problems but those at a cell an earlier stage named (one problem per cell: an id
    used twice in the sheet is not also 'used twice' by the store)."""
    cells = {(e.row, e.column) for e in said}
    return [e for e in later if (e.row, e.column) not in cells]


def _unbuilt_errors(uow, sheet, unbuilt: list[SheetRow], principal: Principal) -> list[FieldError]:
    """The store's checks on the readable cells of rows that could not be built: unknown
    enterprise, times out of order, unknown hubs, a relay partner that is nowhere (neither in the
    sheet nor stored). A check whose cell is bad is skipped for that row."""
    from hub_scheduler.sheets.load_rows import column_of

    if not unbuilt:
        return []
    in_sheet = {_key_of(r, principal) for r in [*sheet.rows, *sheet.partial]}
    found: list[FieldError] = []
    with uow:
        known = Known(uow, many=True)
        for row in unbuilt:
            readable = {k: v for k, v in row.data.items() if column_of(k) not in row.bad}
            if principal.is_enterprise:
                readable["enterprise_id"] = principal.enterprise_id
            problems = check_fields(
                known,
                enterprise_id=readable.get("enterprise_id"),
                release=readable.get("release"),
                due=readable.get("due"),
                deadline=readable.get("deadline"),
                allowed_hubs=readable.get("allowed_hubs"),
            )
            owner = str(readable.get("transfer_enterprise_id") or readable.get("enterprise_id"))
            for name in ("transfer_to", "transfer_from"):
                partner = readable.get(name)
                key = load_keys.qualify(owner, str(partner)) if partner else None
                if key and key not in in_sheet and uow.loads.get(key) is None:
                    problems.append(unknown_partner(name, key))
            found += [_coded(sheet, row.number, e) for e in problems]
    return found


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
