"""Submitting loads: one (`POST /loads`), a JSON batch, or the rows of a sheet (`store_loads`,
called by `services/sheet_import.py`).

Submissions are all or nothing and checked completely before anything is written
(`services/load_checks.py`); an `Idempotency-Key` makes a retried submission return the load it
already created (`services/idempotency.py`). Relays declared with a load (`transfer_to` /
`transfer_from`) are checked by the rules of `services/transfers.py` and stored with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hub_scheduler import load_keys
from hub_scheduler.domain import Load, Transfer
from hub_scheduler.errors import Conflict, FieldError, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.services import idempotency, transfers
from hub_scheduler.services.audit import entry as audit_entry
from hub_scheduler.services.audit import record
from hub_scheduler.services.load_checks import Known, build_load, check_load, with_screening
from hub_scheduler.services.principal import Principal

# What a client sends; the rest (status, positions, screening verdict) the service keeps.
_SUBMITTED_FIELDS = set(Load.model_fields) - {
    "id",
    "status",
    "pinned",
    "previous",
    "screening_failures",
    "arrived_at",
    "arrival_slot_start",
    "started_at",
    "completed_at",
    "hold",
    "needs_new_slot",
    "slot_changed",
}


def _replay(existing: Load, load: Load, data: dict[str, Any], key: str) -> Load:
    """The load a repeated idempotency key stands for; the same key with another load is a 409."""
    fields = _SUBMITTED_FIELDS | ({"id"} if data.get("id") else set())
    if existing.model_dump(include=fields) != load.model_dump(include=fields):
        raise Conflict(
            f'the Idempotency-Key "{key}" was used for a different load ({existing.id})',
            [FieldError(field="Idempotency-Key", message="was already used for another load")],
        )
    return existing


def _replay_record(uow: UnitOfWork, kind: str, principal: Principal, key: str, digest: str):
    """The loads an earlier request with this key made (as they are now), or None if unseen."""
    stored = uow.config.get(idempotency.record_key(kind, principal, key))
    if stored is None:
        return None
    return uow.loads.get_many(idempotency.replayed_ids(stored, digest, key))


def submit_load(
    uow: UnitOfWork,
    data: dict[str, Any],
    *,
    principal: Principal,
    idempotency_key: str | None = None,
) -> tuple[Load, bool]:
    """Create one load; returns (load, created).

    A repeated Idempotency-Key with the same request body answers the load it made, as it is now
    (also after a PATCH); with another body it is a Conflict (409). The key and the request's
    digest are stored with the load, in its transaction (`services/idempotency.py`).
    `transfer_to` / `transfer_from` in `data` declare a relay with a stored load
    (services.transfers).
    """
    # The whole request, its relay included; only a keyed submission stores or compares it.
    digest = idempotency.request_digest(data) if idempotency_key else ""
    data, relay = transfers.split_relay(data)
    load, errors = build_load(data, principal, "")
    if load is None:
        raise ValidationFailed("the load is not valid", errors)
    with uow:
        if idempotency_key:
            replayed = _replay_record(uow, idempotency.SUBMIT, principal, idempotency_key, digest)
            if replayed:
                return replayed[0], False
        known = Known(uow)
        errors = check_load(load, known)
        relays = _relay_checks(uow, [(load, relay)], principal, lambda i: "", errors)
        load = with_screening(load, known.policy)
        if errors:
            raise ValidationFailed("the load is not valid", errors)
        # Made before the first write: from the load's INSERT to the commit the transaction
        # holds SQLite's write lock, which every other worker's submission waits for.
        entry = audit_entry(
            principal.actor,
            "load.create",
            "load",
            load.id,
            {"enterprise_id": load.enterprise_id, "idempotency_key": idempotency_key},
        )
        try:  # the store refuses a taken id or key itself: no need to ask first
            load = uow.loads.add(load, idempotency_key=idempotency_key, created_by=principal.actor)
            for transfer in relays:
                uow.transfers.add(transfer)
            load = transfers.with_partners(uow, [load])[0] if relays else load
            uow.audit.add(entry)
            if idempotency_key:
                idempotency.store(
                    uow,
                    idempotency.record_key(idempotency.SUBMIT, principal, idempotency_key),
                    digest,
                    [load.id],
                )
            uow.commit()
        except Exception:
            uow.rollback()
            if idempotency_key:
                # The same key arrived twice at once: the other request won; answer with its load.
                replayed = _replay_record(
                    uow, idempotency.SUBMIT, principal, idempotency_key, digest
                )
                if replayed:
                    return replayed[0], False
                # A load stored with this key before requests were recorded (its key taken in
                # the loads table, no record): compare with the load itself.
                existing = uow.loads.get_by_idempotency_key(load.enterprise_id, idempotency_key)
                if existing is not None:
                    return _replay(existing, load, data, idempotency_key), False
            if uow.loads.get(load.id) is not None:
                # Only the enterprise's own ids can clash (keys are per enterprise).
                raise Conflict(
                    f'a load "{load_keys.local(load.id)}" exists already',
                    [FieldError(field="id", message="is taken")],
                ) from None
            raise
    return load, True


def store_loads(
    uow: UnitOfWork,
    loads: list[Load],
    principal: Principal,
    action: str,
    field_of: Callable[[int], str],
    *,
    dry_run: bool = False,
    before_commit: Callable[[Any, list[Load]], None] | None = None,
    relays: list[dict[str, Any]] | None = None,
) -> list[Load]:
    """Check every load (and duplicate ids), then add them all in one transaction or none;
    `before_commit(uow, loads)` writes what must be stored with them (an import's key).
    `relays[i]` holds the relay keys of `loads[i]` (services.transfers.RELAY_KEYS)."""
    errors: list[FieldError] = []
    with uow:
        known = Known(uow, many=True)
        taken = {ld.id for ld in uow.loads.get_many(ld.id for ld in loads)}
        seen: set[str] = set()
        for i, load in enumerate(loads):
            errors += check_load(load, known, field_of(i))
            if load.id in seen or load.id in taken:
                errors.append(
                    FieldError(
                        field=f"{field_of(i)}id",
                        message=f'load id "{load_keys.local(load.id)}" is used twice or exists '
                        "already",
                    )
                )
            seen.add(load.id)
        pairs = list(zip(loads, relays or [{}] * len(loads), strict=True))
        new_relays = _relay_checks(uow, pairs, principal, field_of, errors)
        if errors:
            raise ValidationFailed(f"{len(errors)} problem(s); nothing was stored", errors)
        loads = [with_screening(ld, known.policy) for ld in loads]
        if dry_run:
            return loads
        uow.loads.add_many(loads, created_by=principal.actor)
        for transfer in new_relays:
            uow.transfers.add(transfer)
        record(
            uow,
            principal.actor,
            action,
            "load",
            loads[0].id if loads else "",
            # each load by key (an admin's batch may hold two enterprises' `L-1`)
            {"count": len(loads), "load_ids": [load_keys.ref(ld.id) for ld in loads][:1000]},
        )
        if before_commit is not None:
            before_commit(uow, loads)
        uow.commit()
    return loads


def _relay_checks(
    uow: UnitOfWork,
    items: list[tuple[Load, dict[str, Any]]],
    principal: Principal,
    field_of: Callable[[int], str],
    errors: list[FieldError],
) -> list[Transfer]:
    """The relays the submitted loads declare, checked against the store and each other (partners
    may be in the same submission; a relay both partners declare counts once); problems go to
    `errors`."""
    pending = {load.id: load for load, _ in items}
    found: list[Transfer] = []
    for i, (load, relay) in enumerate(items):
        refused = transfers.relay_owner_errors(relay, principal, field_of(i))
        if refused:
            errors += refused
            continue
        for transfer, fields in transfers.relays_of(load, relay, field_of(i)):
            if any((t.inbound, t.outbound) == (transfer.inbound, transfer.outbound) for t in found):
                continue
            problems = transfers.relay_errors(
                uow, transfer, principal, fields=fields, pending=pending, pending_transfers=found
            )
            errors += problems
            if not problems:
                found.append(transfer)
    return found


def submit_batch(
    uow: UnitOfWork,
    items: list[dict[str, Any]],
    *,
    principal: Principal,
    idempotency_key: str | None = None,
) -> tuple[list[Load], bool]:
    """Create every load of a JSON array, or none; errors are named `[i].field`. Returns the
    loads and whether they were created now (False: the replay of a retried Idempotency-Key)."""
    digest = idempotency.request_digest(items)
    if idempotency_key:
        with uow:
            replayed = _replay_record(uow, idempotency.BATCH, principal, idempotency_key, digest)
        if replayed is not None:
            return replayed, False
    if not items:
        raise ValidationFailed(
            "the batch is empty",
            [FieldError(field="(body)", message="must hold at least one load")],
        )
    loads: list[Load] = []
    errors: list[FieldError] = []
    relays: list[dict[str, Any]] = []
    for i, data in enumerate(items):
        data, relay = transfers.split_relay(data)
        load, bad = build_load(data, principal, f"[{i}].")
        errors += bad
        if load is not None:
            loads.append(load)
            relays.append(relay)
    if errors:
        raise ValidationFailed(f"{len(errors)} problem(s); nothing was stored", errors)

    def remember(uow, stored: list[Load]) -> None:
        if idempotency_key:
            idempotency.store(
                uow,
                idempotency.record_key(idempotency.BATCH, principal, idempotency_key),
                digest,
                [ld.id for ld in stored],
            )

    try:
        stored = store_loads(
            uow,
            loads,
            principal,
            "load.batch",
            lambda i: f"[{i}].",
            before_commit=remember,
            relays=relays,
        )
    except ValidationFailed:
        raise
    except Exception:
        # The same key arrived twice at once: the record's primary key let only the other in.
        if idempotency_key:
            with uow:
                replayed = _replay_record(
                    uow, idempotency.BATCH, principal, idempotency_key, digest
                )
            if replayed is not None:
                return replayed, False
        raise
    return stored, True
