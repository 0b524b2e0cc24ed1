"""Relays (transfers, H7): declare, list and remove them; every entry point checks them here.

A relay joins an inbound load (its truck drops the goods) to an outbound load (its truck takes
them later). `POST /transfers`, `POST /loads` with `transfer_to` / `transfer_from` and the batch
all call `relay_errors`, so one set of rules holds wherever a relay is declared:

- a load is never its own partner, and both loads exist (stored, or in the same submission);
- both belong to one enterprise (an enterprise token sees only its own loads, so another
  enterprise's load reads as unknown: no existence leak), unless an admin declares the relay or
  the other enterprise confirmed a proposal (`services/transfer_proposals.py`);
- both have the same temperature class (cold-chain goods never change zone, H2/H7);
- a load is the inbound of at most one relay and the outbound of at most one relay;
- relays never form a cycle (A -> B -> A: neither truck could ever come first).

Relays between two enterprises are proposed and confirmed in `services/transfer_proposals.py`;
confirming checks every rule above again (`relay_errors`) before the relay is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hub_scheduler import load_keys
from hub_scheduler.domain import Load, Transfer
from hub_scheduler.errors import FieldError, NotFound, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Role
from hub_scheduler.services.audit import record
from hub_scheduler.services.principal import Principal


@dataclass(frozen=True)
class RelayFields:
    """The request fields that name the inbound load, the outbound load and the gap (errors
    point there): `inbound`/`outbound` for `POST /transfers`; `transfer_from` or `transfer_to`
    for a load submission, where both loads are named by the one field holding the partner."""

    inbound: str = "inbound"
    outbound: str = "outbound"
    gap: str = "min_gap_minutes"


def unknown_partner(field: str, load_id: str) -> FieldError:
    """A relay naming a load nobody has (or the principal may not see)."""
    return FieldError(
        field=field,
        message=f'unknown load "{load_id}"',
        code="relay_unknown",
        params={"load": load_id},
    )


def side_taken(field: str, side: str, load_id: str) -> FieldError:
    """A load that is already the `side` ("inbound" or "outbound") of another relay: a load is
    the inbound (outbound) of one relay at most."""
    return FieldError(
        field=field,
        message=f'load "{load_id}" is already the {side} of another relay',
        code=f"relay_{side}_taken",
        params={"load": load_id},
    )


def relay_errors(
    uow: UnitOfWork,
    transfer: Transfer,
    principal: Principal,
    *,
    fields: RelayFields = RelayFields(),
    pending: Mapping[str, Load] | None = None,
    pending_transfers: Iterable[Transfer] = (),
    agreed: bool = False,
) -> list[FieldError]:
    """Every rule above a new `transfer` breaks, as field errors; [] when it may be stored.

    `pending` holds loads of the same submission (not stored yet); `pending_transfers` the relays
    declared earlier in it; `agreed`: both enterprises agreed (a confirmed proposal), so the
    loads may belong to two. An admin may join two enterprises' loads directly. Call inside
    `with uow:`.
    """
    pending = pending or {}
    if transfer.inbound == transfer.outbound:
        return [
            FieldError(
                field=fields.outbound, message="a load cannot relay to itself", code="relay_self"
            )
        ]
    loads: dict[str, Load] = {}
    errors: list[FieldError] = []
    for role, load_id in (("inbound", transfer.inbound), ("outbound", transfer.outbound)):
        load = pending.get(load_id) or uow.loads.get(load_id)
        if load is None or not principal.may_see_enterprise(load.enterprise_id):
            errors.append(unknown_partner(getattr(fields, role), load_id))
        else:
            loads[role] = load
    if errors:
        return errors
    inbound, outbound = loads["inbound"], loads["outbound"]
    across_allowed = agreed or principal.role is Role.ADMIN
    # Where the outbound load must be like the inbound one: (code, unlike, why).
    alike = (
        (
            "relay_enterprise",
            inbound.enterprise_id != outbound.enterprise_id and not across_allowed,
            f'belongs to enterprise "{outbound.enterprise_id}", the inbound load to '
            f'"{inbound.enterprise_id}": a relay joins loads of one enterprise',
        ),
        (
            "relay_temperature",
            inbound.temperature != outbound.temperature,
            f"is {outbound.temperature.value}, the inbound load "
            f"{inbound.temperature.value}: a relay stays in one temperature zone",
        ),
    )
    for code, unlike, why in alike:
        if unlike:
            errors.append(
                FieldError(
                    field=fields.outbound, message=why, code=code, params={"load": outbound.id}
                )
            )
    existing = [*uow.transfers.list(), *pending_transfers]
    for role in ("inbound", "outbound"):
        load_id = getattr(transfer, role)
        if any(getattr(t, role) == load_id for t in existing):
            errors.append(side_taken(getattr(fields, role), role, load_id))
    if _closes_cycle(transfer, existing):
        errors.append(
            FieldError(
                field=fields.outbound,
                message=f'"{transfer.outbound}" already relays (directly or not) to '
                f'"{transfer.inbound}": the relays would form a cycle',
                code="relay_cycle",
                params={"inbound": transfer.inbound, "outbound": transfer.outbound},
            )
        )
    return errors


def _closes_cycle(transfer: Transfer, existing: list[Transfer]) -> bool:
    """Whether following the relays forward from the new outbound reaches the new inbound."""
    forward: dict[str, list[str]] = {}
    for t in existing:
        forward.setdefault(t.inbound, []).append(t.outbound)
    seen: set[str] = set()
    todo = [transfer.outbound]
    while todo:
        current = todo.pop()
        if current == transfer.inbound:
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(forward.get(current, []))
    return False


def add_transfer(uow: UnitOfWork, transfer: Transfer, *, principal: Principal) -> Transfer:
    """Declare a relay between two stored loads; `ValidationFailed` names every broken rule."""
    with uow:
        errors = relay_errors(uow, transfer, principal)
        if errors:
            raise ValidationFailed("the relay is not valid", errors)
        stored = uow.transfers.add(transfer)
        record(
            uow,
            principal.actor,
            "transfer.create",
            "load",
            transfer.outbound,
            stored.model_dump(mode="json"),
        )
        uow.commit()
    return stored


def visible_transfers(uow: UnitOfWork, principal: Principal) -> list[Transfer]:
    """Every relay (admin, operator) or those with at least one of an enterprise token's own
    loads (a confirmed relay with another enterprise shows the partner's load id, nothing more)."""
    with uow:
        transfers = uow.transfers.list()
        if not principal.is_enterprise:
            return transfers
        ids = {t.inbound for t in transfers} | {t.outbound for t in transfers}
        own = {
            ld.id
            for ld in uow.loads.get_many(ids)
            if principal.may_see_enterprise(ld.enterprise_id)
        }
        return [t for t in transfers if t.inbound in own or t.outbound in own]


def remove_transfer(uow: UnitOfWork, inbound: str, outbound: str, *, principal: Principal) -> None:
    """Drop one relay; either side's enterprise may lift it (a relay needs both to agree);
    `NotFound` when there is none the principal may see."""
    with uow:
        seen = [
            ld
            for ld in uow.loads.get_many([inbound, outbound])
            if principal.may_see_enterprise(ld.enterprise_id)
        ]
        if not seen:
            raise NotFound(f'no relay "{inbound}" -> "{outbound}"')
        if not uow.transfers.remove(inbound, outbound):
            raise NotFound(f'no relay "{inbound}" -> "{outbound}"')
        record(uow, principal.actor, "transfer.delete", "load", outbound, {"inbound": inbound})
        uow.commit()


def with_partners(uow: UnitOfWork, loads: list[Load]) -> list[Load]:
    """The loads carrying `transfer_to` (the outbound partner's id) and `transfer_from` (the
    inbound partner's id), None where a load has none; only ids, never the partner load."""
    to: dict[str, str] = {}
    back: dict[str, str] = {}
    for t in uow.transfers.list():
        to[t.inbound] = t.outbound
        back[t.outbound] = t.inbound
    return [
        ld.model_copy(update={"transfer_to": to.get(ld.id), "transfer_from": back.get(ld.id)})
        for ld in loads
    ]


RELAY_KEYS = ("transfer_to", "transfer_from", "transfer_min_gap_minutes", "transfer_enterprise_id")


def split_relay(data: dict[str, object]) -> tuple[dict[str, object], dict[str, object]]:
    """A load submission without its relay keys, and those keys (`RELAY_KEYS`) apart."""
    load_data = {k: v for k, v in data.items() if k not in RELAY_KEYS}
    return load_data, {k: data[k] for k in RELAY_KEYS if data.get(k) is not None}


def relay_owner_errors(
    relay: Mapping[str, object], principal: Principal, path: str = ""
) -> list[FieldError]:
    """An enterprise token may name only itself as a relay partner's enterprise (another
    enterprise's load is proposed instead: `propose_transfer`); the answer depends on nothing
    but the token's own enterprise."""
    named = relay.get("transfer_enterprise_id")
    if not principal.is_enterprise or not named or named == principal.enterprise_id:
        return []
    return [
        FieldError(
            field=f"{path}transfer_enterprise_id",
            message="an enterprise token names its own enterprise only; a relay with another "
            "enterprise's load is proposed at POST /api/v1/transfers/proposals",
            code="relay_not_own_enterprise",
        )
    ]


def relays_of(
    load: Load, relay: Mapping[str, object], path: str = ""
) -> list[tuple[Transfer, RelayFields]]:
    """The relays a load submission declares (`transfer_to`: it is the inbound; `transfer_from`:
    the outbound; both: the middle of a chain), each with the fields its errors point at. The
    partner is of `transfer_enterprise_id` (an admin's relay across enterprises; whether the
    principal may name it is `relay_owner_errors`), else of the load's own enterprise."""
    gap = relay.get("transfer_min_gap_minutes") or 0
    owner = str(relay.get("transfer_enterprise_id") or load.enterprise_id)
    out: list[tuple[Transfer, RelayFields]] = []
    for name in ("transfer_to", "transfer_from"):
        partner = relay.get(name)
        if not partner:
            continue
        partner = load_keys.qualify(owner, str(partner))
        inbound, outbound = (load.id, partner) if name == "transfer_to" else (partner, load.id)
        fields = RelayFields(f"{path}{name}", f"{path}{name}", f"{path}transfer_min_gap_minutes")
        out.append((Transfer(inbound=inbound, outbound=outbound, min_gap_minutes=gap), fields))
    return out
