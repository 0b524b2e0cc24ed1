"""Loads: submit (one, a batch, a sheet), read, change, cancel, and the truck's life at the hub.

Submissions are all or nothing and checked completely before anything is written; an
`Idempotency-Key` makes a retried submission return the load it already created.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from pydantic import ValidationError

from hub_scheduler import load_keys
from hub_scheduler.domain import Load, LoadStatus, ScreeningPolicy, Transfer
from hub_scheduler.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Role
from hub_scheduler.scenario_file import pydantic_errors
from hub_scheduler.screening import failed_checks
from hub_scheduler.services import idempotency, transfers
from hub_scheduler.services.audit import entry as audit_entry
from hub_scheduler.services.audit import record
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.repair import repair_if_stale
from hub_scheduler.services.site import site_settings, site_timezone
from hub_scheduler.weights import explicit_weight_problem

_EDITABLE = {LoadStatus.SUBMITTED, LoadStatus.SCHEDULED}


def _now() -> datetime:
    return datetime.now(UTC)


def new_load_id() -> str:
    return "L-" + uuid.uuid4().hex[:12]


# --- checking a submission ------------------------------------------------------------------------


def _owner(
    data: dict[str, Any], principal: Principal, path: str
) -> tuple[str | None, list[FieldError]]:
    """The enterprise a submitted load belongs to: an enterprise token's own, an admin's choice."""
    given = data.get("enterprise_id")
    if principal.is_enterprise:
        if given and given != principal.enterprise_id:
            raise Forbidden(
                "an enterprise token submits loads only for its own enterprise",
                [
                    FieldError(
                        field=f"{path}enterprise_id",
                        message=f'must be "{principal.enterprise_id}" or left out',
                    )
                ],
            )
        return principal.enterprise_id, []
    if not given:
        return None, [FieldError(field=f"{path}enterprise_id", message="is required")]
    return given, []


class _Known:
    """What the checks need, read at most once per submission (a 10,000-row sheet costs three
    queries, a single load as few as it needs: its own enterprise, not the whole list)."""

    def __init__(self, uow, *, many: bool = False):
        self.uow = uow
        self.many = many
        self._enterprise_found: dict[str, bool] = {}

    @cached_property
    def enterprises(self) -> set[str]:
        return {e.id for e in self.uow.enterprises.list()}

    def has_enterprise(self, enterprise_id: str) -> bool:
        if self.many:
            return enterprise_id in self.enterprises
        if enterprise_id not in self._enterprise_found:
            found = self.uow.enterprises.get(enterprise_id) is not None
            self._enterprise_found[enterprise_id] = found
        return self._enterprise_found[enterprise_id]

    @cached_property
    def hubs(self) -> set[str]:
        return {h.id for h in self.uow.hubs.list()}

    @cached_property
    def policy(self) -> ScreeningPolicy:
        return site_settings(self.uow).screening


def check_load(load: Load, known: _Known, path: str = "") -> list[FieldError]:
    """What a submitted load must satisfy beyond its field types: references and times."""
    errors: list[FieldError] = []
    if not known.has_enterprise(load.enterprise_id):
        errors.append(
            FieldError(
                field=f"{path}enterprise_id", message=f'unknown enterprise "{load.enterprise_id}"'
            )
        )
    if load.due < load.release:
        errors.append(FieldError(field=f"{path}due", message="must not be before release"))
    if load.deadline is not None and load.deadline < load.release:
        errors.append(FieldError(field=f"{path}deadline", message="must not be before release"))
    for i, hub_id in enumerate(load.allowed_hubs or []):
        if hub_id not in known.hubs:
            errors.append(
                FieldError(field=f"{path}allowed_hubs[{i}]", message=f'unknown hub "{hub_id}"')
            )
    return errors


def with_screening(load: Load, policy: ScreeningPolicy, arrival: datetime | None = None) -> Load:
    """The load carrying `screening_failures`: every entry check its driver fails at arrival.

    A failure does not refuse the submission: the load is kept, with its reasons, and the planner
    leaves it out (H11) until the data is corrected.
    """
    failed: list[str] = []
    if load.screening is not None or policy.required:
        failed = [
            f"{c.code}: {c.message}" for c in failed_checks(load, policy, arrival or load.release)
        ]
    return load.model_copy(update={"screening_failures": failed})


def build_load(
    data: dict[str, Any], principal: Principal, path: str
) -> tuple[Load | None, list[FieldError]]:
    enterprise_id, errors = _owner(data, principal, path)
    if data.get("priority_weight") is not None:
        errors += _weight_errors(data["priority_weight"], principal, f"{path}priority_weight")
    if errors:
        return None, errors
    if enterprise_id is None:  # an enterprise token always has one; kept for the type checker
        return None, [FieldError(field=f"{path}enterprise_id", message="is required")]
    fields = {k: v for k, v in data.items() if v is not None}
    # The key below the API is `enterprise_id/id` (load_keys): ids are unique per enterprise.
    load_id = load_keys.qualify(enterprise_id, data.get("id") or new_load_id())
    fields.update(enterprise_id=enterprise_id, id=load_id, status=LoadStatus.SUBMITTED)
    try:
        return Load.model_validate(fields), []
    except ValidationError as exc:
        return None, pydantic_errors(exc, [path.rstrip(".")] if path else [])


def _weight_errors(weight: Any, principal: Principal, field: str) -> list[FieldError]:
    """The explicit-weight rule (weights.explicit_weight_problem) for a sent `priority_weight`."""
    problem = explicit_weight_problem(weight, may_set=principal.role is Role.ADMIN)
    return [FieldError(field=field, message=problem)] if problem else []


# --- submitting -----------------------------------------------------------------------------------


# What a client sends; the rest (status, positions, screening verdict) the service keeps.
_SUBMITTED_FIELDS = set(Load.model_fields) - {
    "id",
    "status",
    "pinned",
    "previous",
    "screening_failures",
    "arrived_at",
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
    digest = idempotency.request_digest(data)  # the whole request, its relay included
    data, relay = transfers.split_relay(data)
    load, errors = build_load(data, principal, "")
    if load is None:
        raise ValidationFailed("the load is not valid", errors)
    with uow:
        if idempotency_key:
            replayed = _replay_record(uow, idempotency.SUBMIT, principal, idempotency_key, digest)
            if replayed:
                return replayed[0], False
        known = _Known(uow)
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
        known = _Known(uow, many=True)
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


# --- reading and changing -------------------------------------------------------------------------


def load_key(
    uow: UnitOfWork, load_id: str, principal: Principal, enterprise_id: str | None = None
) -> str:
    """The key (`enterprise_id/id`, load_keys) of the load a request names by its id.

    An enterprise names its own loads (another `enterprise_id` than its own is a key it never
    sees). An admin or operator gives `enterprise_id`, or leaves it out when only one enterprise
    holds the id; held by several, it is a Conflict (409) naming them. A key is taken as it is;
    an id no enterprise holds comes back unqualified (so the caller's lookup finds nothing).
    Call inside `with uow:`.
    """
    if load_keys.SEPARATOR in load_id:
        return load_id
    if principal.is_enterprise:
        return load_keys.qualify(enterprise_id or principal.enterprise_id or "", load_id)
    if enterprise_id:
        return load_keys.qualify(enterprise_id, load_id)
    return unique_key(uow, load_id)


def unique_key(uow: UnitOfWork, load_id: str) -> str:
    """The key of the one load any enterprise holds under `load_id` (the id itself when none
    does, a key as it is); Conflict (409) naming the enterprises when several do. For admins and
    operators, who see every enterprise. Call inside `with uow:`."""
    if load_keys.SEPARATOR in load_id:
        return load_id
    found = _holders(uow, load_id)
    if len(found) > 1:
        holders = [load_keys.enterprise_of(key) for key in found]
        raise Conflict(
            f'the load id "{load_id}" is held by {len(found)} enterprises '
            f"({', '.join(str(h) for h in holders)}); name one with ?enterprise_id=",
            [
                FieldError(
                    field="enterprise_id",
                    message="is required: the load id is held by several enterprises",
                    code="load_ambiguous",
                    params={"load": load_id, "enterprises": holders},
                )
            ],
        )
    return found[0] if found else load_id


def _holders(uow: UnitOfWork, load_id: str) -> list[str]:
    """The keys of every enterprise's load with id `load_id`, sorted."""
    candidates = [load_keys.qualify(e.id, load_id) for e in uow.enterprises.list()]
    return sorted(ld.id for ld in uow.loads.get_many(candidates))


def _side_error(field: str, code: str, load_id: str, message: str, **params: Any) -> FieldError:
    return FieldError(field=field, message=message, code=code, params={"load": load_id, **params})


def relay_keys(uow: UnitOfWork, named: Mapping[str, Any], principal: Principal) -> tuple[str, str]:
    """The keys of a relay's two loads (`POST /transfers` body `named`: `inbound`, `outbound`,
    each side's enterprise apart in `inbound_enterprise_id` / `outbound_enterprise_id`, or both
    in `enterprise_id`; a side's own wins only when they agree).

    An enterprise token names its own enterprise or none. An admin names a side's enterprise
    when several hold its id; left ambiguous, or a token naming another enterprise, or the two
    disagreeing, is a ValidationFailed (422) naming the field. An id nobody holds stays
    unqualified (the relay's checks then say "unknown load").
    """
    both = named.get("enterprise_id")
    errors: list[FieldError] = []
    keys: list[str] = []
    with uow:
        for side in ("inbound", "outbound"):
            load_id, field = named[side], f"{side}_enterprise_id"
            own_field = named.get(field)
            owner = own_field or both
            if own_field and both and own_field != both:
                message = f'is "{own_field}" but enterprise_id is "{both}"'
                errors.append(_side_error(field, "relay_enterprise_conflict", load_id, message))
            elif principal.is_enterprise:
                mine = principal.enterprise_id or ""
                if owner and owner != mine:
                    field = field if own_field else "enterprise_id"
                    if all(e.field != field for e in errors):  # `enterprise_id`: said once
                        message = (
                            "an enterprise token names its own enterprise only; a relay with "
                            "another enterprise's load is proposed at "
                            "POST /api/v1/transfers/proposals"
                        )
                        errors.append(
                            _side_error(field, "relay_not_own_enterprise", load_id, message)
                        )
                keys.append(load_keys.qualify(mine, load_id))
            elif owner:
                keys.append(load_keys.qualify(owner, load_id))
            else:
                found = _holders(uow, load_id)
                holders = [load_keys.enterprise_of(key) for key in found]
                if len(found) > 1:
                    message = (
                        f'is required: the load id "{load_id}" is held by {len(found)} '
                        f"enterprises ({', '.join(map(str, holders))})"
                    )
                    errors.append(
                        _side_error(field, "load_ambiguous", load_id, message, enterprises=holders)
                    )
                keys.append(found[0] if found else load_id)
    if errors:
        raise ValidationFailed("name the enterprise of each load of the relay", errors)
    return keys[0], keys[1]


def resolve_keys(
    uow: UnitOfWork, load_ids: list[str], principal: Principal, enterprise_id: str | None = None
) -> list[str]:
    """`load_key` of each id, in one read transaction (the two loads of a relay request)."""
    with uow:
        return [load_key(uow, load_id, principal, enterprise_id) for load_id in load_ids]


def owned_load(
    uow: UnitOfWork, load_id: str, principal: Principal, enterprise_id: str | None = None
) -> Load:
    """The load `load_id` names (an id or a key, see `load_key`); NotFound when the principal
    may not see it, worded the same whether another enterprise holds the id or nobody does."""
    load = uow.loads.get(load_key(uow, load_id, principal, enterprise_id))
    if load is None or not principal.may_see_enterprise(load.enterprise_id):
        raise NotFound(f'no load "{load_keys.local(load_id)}"')
    return load


def get_load(uow: UnitOfWork, load_id: str, *, principal: Principal) -> Load:
    """One load with its relay partners' ids (`transfer_to`, `transfer_from`)."""
    with uow:
        return transfers.with_partners(uow, [owned_load(uow, load_id, principal)])[0]


def list_loads(
    uow: UnitOfWork,
    *,
    principal: Principal,
    status: LoadStatus | None = None,
    hub_id: str | None = None,
    enterprise_id: str | None = None,
    vehicle_plate: str | None = None,
    day: date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[Load], int]:
    """A page of loads (by release) and the total; an enterprise token only ever sees its own.

    `day` is a calendar day in the site's time zone (`services.site`).
    """
    if principal.is_enterprise:
        if enterprise_id and enterprise_id != principal.enterprise_id:
            return [], 0
        enterprise_id = principal.enterprise_id
    with uow:
        filters: dict[str, Any] = {
            "status": status,
            "hub_id": hub_id,
            "enterprise_id": enterprise_id,
            "vehicle_plate": vehicle_plate,
        }
        if day is not None:
            tz = site_timezone(uow)
            start = datetime.combine(day, time(0, 0), tz)
            filters.update(release_from=start, release_to=start + timedelta(days=1))
        page = uow.loads.list(**filters, limit=limit, offset=offset)
        return transfers.with_partners(uow, page), uow.loads.count(**filters)


def update_load(
    uow: UnitOfWork, load_id: str, changes: dict[str, Any], *, principal: Principal
) -> Load:
    """Change a load that has no truck at the hub yet; the whole load is checked again."""
    if "priority_weight" in changes:
        errors = _weight_errors(changes["priority_weight"], principal, "priority_weight")
        if errors:
            raise ValidationFailed("the load is not valid", errors)
    with uow:
        load = owned_load(uow, load_id, principal)
        load_id = load.id
        if load.status not in _EDITABLE:
            shown = load_keys.local(load_id)
            raise Conflict(f'load "{shown}" is {load.status.value}; it can no longer be changed')
        try:
            merged = Load.model_validate({**load.model_dump(), **changes})
        except ValidationError as exc:
            raise ValidationFailed("the load is not valid", pydantic_errors(exc)) from None
        known = _Known(uow)
        errors = check_load(merged, known)
        if errors:
            raise ValidationFailed("the load is not valid", errors)
        merged = with_screening(merged, known.policy)
        # A conditional no-op on the status: a check-in or cancel that came first makes this a 409
        # rather than have the whole-row write below put the old status back.
        if uow.loads.transition(load_id, load.status, load.status) is None:
            shown = load_keys.local(load_id)
            raise Conflict(f'load "{shown}" was changed meanwhile; read it again')
        merged = repair_if_stale(uow, merged, principal.actor)
        uow.loads.update(merged)
        record(uow, principal.actor, "load.update", "load", load_id, {"fields": sorted(changes)})
        uow.commit()
    return merged
